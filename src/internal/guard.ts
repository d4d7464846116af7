import { describeError } from './sanitize';

/** True for the errors our own validation throws (a TypeError or RangeError starting "agent-timing:"). */
export function isOwnError(err: unknown): boolean {
  try {
    return (err instanceof TypeError || err instanceof RangeError) && typeof err.message === 'string' && err.message.startsWith('agent-timing:');
  } catch {
    return false;
  }
}

/**
 * Runs a set-up or query step that reads caller-supplied input, so that it throws only our own
 * documented error types: a TypeError or RangeError from our validation passes through, anything
 * else (a throwing getter, proxy trap or toString in the input) becomes one TypeError naming `what`.
 * Not for hot paths, which never throw at all.
 */
export function readingInput<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (isOwnError(err)) throw err;
    throw new TypeError(`agent-timing: ${what} could not read its input (a getter, proxy trap or toString threw: ${describeError(err)})`);
  }
}

/**
 * A plain copy of an options object taken once, at set-up, so later reads cannot throw or change:
 * undefined for anything that is not an object (callers apply their defaults), a TypeError naming
 * `what` when reading it throws.
 */
export function optionsSnapshot<T extends object>(what: string, options: unknown): T | undefined {
  if (options === null || typeof options !== 'object') return undefined;
  return readingInput(what, () => ({ ...(options as T) }));
}
