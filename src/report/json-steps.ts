import { scriptJson } from './html';

/** Array elements serialized per step (50 execution summaries are ~25 KB of JSON). */
const ELEMENTS_PER_STEP = 50;

/**
 * scriptJson(value) in steps, the same text: objects and arrays down to `depth` levels are
 * serialized member by member (arrays ELEMENTS_PER_STEP elements at a time), with a `yield` after
 * each piece, so a caller can give the event loop a turn between pieces. JSON.stringify has no
 * such pause, and the live report's JSON is ~0.7 MB with an hour of a busy service.
 *
 * Exactness: JSON.stringify visits an object's own enumerable string keys in Object.keys order
 * and leaves out members whose value is undefined, a function or a symbol; scriptJson's escapes
 * are per character, so escaping the pieces is escaping the whole. Values with a toJSON method are
 * serialized whole.
 */
export function* scriptJsonSteps(value: unknown, depth = 3): Generator<void, string, void> {
  if (depth <= 0 || value === null || typeof value !== 'object' || typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    const text = scriptJson(value);
    yield;
    return text;
  }
  if (Array.isArray(value)) {
    const parts: string[] = [];
    for (let i = 0; i < value.length; i += ELEMENTS_PER_STEP) {
      parts.push(scriptJson(value.slice(i, i + ELEMENTS_PER_STEP)).slice(1, -1));
      yield;
    }
    return `[${parts.join(',')}]`;
  }
  const parts: string[] = [];
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const member = record[key];
    if (member === undefined || typeof member === 'function' || typeof member === 'symbol') continue;
    parts.push(`${scriptJson(key)}:${yield* scriptJsonSteps(member, depth - 1)}`);
  }
  return `{${parts.join(',')}}`;
}
