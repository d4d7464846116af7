/** Deepest nesting copied; anything deeper becomes the string '[Truncated]'. */
const MAX_DEPTH = 8;

/**
 * A plain, JSON-safe deep copy of metadata for exportMetrics(): what JSON.stringify would keep,
 * without its failure modes. Cycles become '[Circular]', BigInt a decimal string, Date an ISO
 * string, NaN/±Infinity null (as JSON has them), functions, symbols and undefined are left out,
 * and a throwing getter costs only that property. The result shares nothing with the input, so
 * callers may mutate it freely.
 */
export function jsonSafeCopy(value: unknown): unknown {
  try {
    return copy(value, 0, new WeakSet<object>());
  } catch {
    return '[Unreadable]';
  }
}

function copy(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'bigint':
      return value.toString();
    case 'object':
      break;
    default:
      return undefined;
  }
  if (value === null) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (seen.has(value)) return '[Circular]';
  if (depth >= MAX_DEPTH) return '[Truncated]';
  seen.add(value);
  try {
    if (Array.isArray(value)) return Array.from(value as unknown[], (v) => copy(v, depth + 1, seen) ?? null);
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      if (key === '__proto__') continue;
      let v: unknown;
      try {
        v = copy((value as Record<string, unknown>)[key], depth + 1, seen);
      } catch {
        continue;
      }
      if (v !== undefined) out[key] = v;
    }
    return out;
  } finally {
    seen.delete(value);
  }
}
