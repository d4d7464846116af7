/** True for promises and promise-likes; a hostile `then` getter that throws counts as "not one". */
export function isThenable(v: unknown): v is PromiseLike<unknown> {
  try {
    return v !== null && (typeof v === 'object' || typeof v === 'function') && typeof (v as PromiseLike<unknown>).then === 'function';
  } catch {
    return false;
  }
}
