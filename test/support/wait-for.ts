/**
 * Polls `check` every 10 ms until it returns true; resolves false once `timeoutMs` has passed.
 *
 * For things that happen "soon" on their own timer (an interval sampler, a batch export already on
 * the wire): a fixed sleep before asserting is a race that a loaded CI machine loses, while a
 * deadline only costs time when the check would fail anyway. Assert on the result (and then on the
 * state itself, so a failure shows what was there).
 */
export async function waitFor(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = performance.now() + timeoutMs;
  while (performance.now() < end) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return check();
}
