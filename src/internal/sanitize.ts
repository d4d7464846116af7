import type { Attributes, AttributeValue } from '@opentelemetry/api';
import { reportDrop } from './diag';
import { limits } from './limits';
import { redactText, redactValue } from './redaction';

/** Keys that would reach an object's prototype if written as plain properties. */
const FORBIDDEN_KEYS = new Set(['__proto__']);

/** Cuts a string to the attribute length limit. */
export function truncate(s: string, max = limits.maxAttributeLength): string {
  return s.length > max ? s.slice(0, max) : s;
}

/** A usable name (phase, task, agent): a non-empty string, truncated; `undefined` when unusable. */
export function cleanName(name: unknown): string | undefined {
  if (typeof name !== 'string') return undefined;
  // Hot path: most names are already clean; skip trim()'s allocation for them.
  const n = name.length;
  if (n > 0 && n <= limits.maxNameLength && name.charCodeAt(0) > 32 && name.charCodeAt(n - 1) > 32) return name;
  const trimmed = name.trim();
  if (trimmed.length === 0) return undefined;
  return trimmed.length > limits.maxNameLength ? trimmed.slice(0, limits.maxNameLength) : trimmed;
}

/**
 * A short, safe description of a caller-supplied value for a diag message: strings quoted, cut to
 * 64 characters and scrubbed of credential-shaped parts, anything else by its type. Never calls
 * the value's toString (which may throw or be huge).
 */
export function describeForLog(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(redactText(value.length > 64 ? `${value.slice(0, 64)}…` : value));
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return value === null ? 'null' : `(${typeof value})`;
}

/**
 * How much of a value one bounded copy may read and keep. Enumeration is the one cost we cannot
 * cut: V8 collects every key of an object before the first iteration (Object.keys and for…in alike;
 * measured 0.4–0.7 s for one 1e6-key object on the development VM), but nothing past the limits is
 * read, copied, redacted or kept.
 */
interface Budget {
  /** Values (of any depth) still to copy. */
  nodes: number;
  /** Characters (keys and strings) still to keep. */
  chars: number;
}

/** Deepest nesting copied; anything deeper becomes '[Truncated]'. */
const MAX_DEPTH = 6;
/** Most values one metadata copy holds, at every depth together. */
const MAX_NODES = 256;

const hasOwn = Object.prototype.hasOwnProperty;

function newBudget(): Budget {
  return { nodes: MAX_NODES, chars: limits.maxMetadataChars };
}

function keptString(s: string, budget: Budget): string {
  const max = Math.min(limits.maxAttributeLength, Math.max(0, budget.chars));
  const cut = s.length > max ? s.slice(0, max) : s;
  budget.chars -= cut.length;
  return redactText(cut);
}

/**
 * A plain, JSON-safe, redacted copy of any value within the budget: keys redacted at every depth
 * (the redaction key rule or hook), credential-shaped strings scrubbed whatever their key, cycles
 * '[Circular]', BigInt a decimal string, Date an ISO string, NaN/±Infinity null, functions and
 * symbols left out, a throwing getter costs only its property, an unreadable object (a Proxy whose
 * traps throw) becomes '[Unreadable]'. At most maxMetadataKeys keys or items per object.
 */
function boundedCopy(value: unknown, depth: number, budget: Budget, seen: object[]): unknown {
  switch (typeof value) {
    case 'string':
      return keptString(value, budget);
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'bigint':
      return keptString(value.toString(), budget);
    case 'object':
      break;
    default:
      return undefined;
  }
  if (value === null) return null;
  if (seen.includes(value)) return '[Circular]';
  if (depth >= MAX_DEPTH || budget.nodes <= 0 || budget.chars <= 0) return '[Truncated]';
  seen.push(value);
  try {
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
    if (Array.isArray(value)) {
      const n = Math.min(value.length, limits.maxMetadataKeys);
      const out: unknown[] = [];
      for (let i = 0; i < n && budget.nodes > 0; i++) {
        budget.nodes--;
        let v: unknown;
        try {
          v = boundedCopy(value[i], depth + 1, budget, seen);
        } catch {
          v = '[Unreadable]';
        }
        out.push(v === undefined ? null : v);
      }
      return out;
    }
    const out: Record<string, unknown> = {};
    let n = 0;
    for (const key in value) {
      if (!hasOwn.call(value, key) || key === '__proto__') continue;
      if (n >= limits.maxMetadataKeys || budget.nodes <= 0 || budget.chars <= 0) break;
      budget.nodes--;
      let v: unknown;
      try {
        v = boundedCopy(redactValue(key, (value as Record<string, unknown>)[key]), depth + 1, budget, seen);
      } catch {
        continue;
      }
      if (v === undefined) continue;
      const k = key.length > 128 ? key.slice(0, 128) : key;
      budget.chars -= k.length;
      out[k] = v;
      n++;
    }
    return out;
  } catch {
    return '[Unreadable]';
  } finally {
    seen.pop();
  }
}

/**
 * A bounded, redacted JSON-safe copy of any value (see boundedCopy). Never throws. Used for
 * metadata kept in memory and for what exportMetrics() returns.
 */
export function boundedJsonCopy(value: unknown): unknown {
  try {
    return boundedCopy(value, 0, newBudget(), []);
  } catch {
    return '[Unreadable]';
  }
}

/** JSON text of any value, safe for cycles, BigInt and throwing getters, redacted at every depth, cut to `max`. */
export function safeJson(value: unknown, max = limits.maxAttributeLength): string {
  try {
    const text = JSON.stringify(boundedCopy(value, 0, newBudget(), []));
    return truncate(text ?? '', max);
  } catch {
    return '[unserializable]';
  }
}

function primitiveArray(value: unknown[]): AttributeValue | undefined {
  // Only a homogeneous array of strings or finite numbers is an attribute array; the first
  // maxMetadataKeys items decide (reading further would cost the host time for nothing kept).
  const n = Math.min(value.length, limits.maxMetadataKeys);
  if (n === 0) return undefined;
  const first = typeof value[0];
  if (first === 'string') {
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      const v: unknown = value[i];
      if (typeof v !== 'string') return undefined;
      out.push(redactText(truncate(v)));
    }
    return out;
  }
  if (first === 'number') {
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const v: unknown = value[i];
      if (typeof v !== 'number' || !Number.isFinite(v)) return undefined;
      out.push(v);
    }
    return out;
  }
  return undefined;
}

function toAttributeValue(value: unknown): AttributeValue | undefined {
  switch (typeof value) {
    case 'string':
      return redactText(truncate(value));
    case 'boolean':
      return value;
    case 'number':
      // OTel accepts any number, but NaN and ±Infinity break most backends' JSON.
      return Number.isFinite(value) ? value : String(value);
    case 'bigint':
      return truncate(value.toString());
    case 'object':
      if (value === null) return undefined;
      if (Array.isArray(value)) return primitiveArray(value) ?? safeJson(value);
      return safeJson(value);
    default:
      return undefined; // symbols, functions, undefined
  }
}

/**
 * Phase metadata → span attributes: own string keys only, redacted at every depth, at most
 * maxMetadataKeys, values made into valid bounded attribute values (nested objects as bounded JSON
 * text). Never throws (a throwing getter or proxy drops the metadata and is counted).
 */
export function metadataToAttributes(metadata: unknown, into: Attributes): void {
  if (metadata === null || typeof metadata !== 'object') {
    if (metadata !== undefined) reportDrop('metadata-not-object', 'phase metadata must be a plain object; it was ignored');
    return;
  }
  try {
    let n = 0;
    for (const key in metadata) {
      if (!hasOwn.call(metadata, key)) continue;
      if (FORBIDDEN_KEYS.has(key)) {
        reportDrop('metadata-forbidden-key', 'metadata key "__proto__" is not allowed and was dropped');
        continue;
      }
      if (n >= limits.maxMetadataKeys) {
        reportDrop('metadata-too-many-keys', `phase metadata has more than ${limits.maxMetadataKeys} keys; the rest were dropped`);
        break;
      }
      let value: AttributeValue | undefined;
      try {
        value = toAttributeValue(redactValue(key, (metadata as Record<string, unknown>)[key]));
      } catch {
        reportDrop('metadata-unreadable', 'a phase metadata value could not be read (a getter or proxy threw); it was dropped');
        continue;
      }
      if (value === undefined) continue;
      into[truncate(key, 128)] = value;
      n++;
    }
  } catch {
    reportDrop('metadata-unreadable', 'phase metadata could not be read (a getter or proxy threw); it was ignored');
  }
}

/** Copies made by metadataCopy: already bounded and redacted, so the aggregator need not copy them again. */
const sanitizedCopies = new WeakSet<object>();

/**
 * A JSON-safe, bounded, redacted copy of metric metadata (kept in-process and exported by the
 * aggregator): nested objects and arrays kept as data (redacted at every depth), at most
 * maxMetadataKeys keys per object and maxMetadataChars characters in all. Null-prototype so hostile
 * keys stay inert data. Never throws.
 */
export function metadataCopy(metadata: unknown): Record<string, unknown> | undefined {
  if (metadata === null || typeof metadata !== 'object') return undefined;
  if (sanitizedCopies.has(metadata)) return metadata as Record<string, unknown>;
  let copied: unknown;
  try {
    copied = Array.isArray(metadata) ? undefined : boundedCopy(metadata, 0, newBudget(), []);
  } catch {
    copied = undefined;
  }
  const out = Object.create(null) as Record<string, unknown>;
  if (copied !== null && typeof copied === 'object' && !Array.isArray(copied)) {
    Object.assign(out, copied);
  } else {
    reportDrop('metadata-unreadable', 'metric metadata could not be read (a getter or proxy threw, or it was not an object); it was ignored');
  }
  sanitizedCopies.add(out);
  return out;
}

/** True when `metadata` came from metadataCopy (bounded and redacted already). */
export function isSanitizedMetadata(metadata: object): boolean {
  return sanitizedCopies.has(metadata);
}

/**
 * `Name: message` of a thrown value for a diag message: bounded, redacted, and safe for hostile
 * errors (throwing getters, a throwing toString, null-prototype objects). Never throws.
 */
export function describeError(err: unknown): string {
  try {
    if (err instanceof Error) {
      const name: unknown = err.name;
      const message: unknown = err.message;
      const text = `${typeof name === 'string' ? name : 'Error'}: ${typeof message === 'string' ? message : describeForLog(message)}`;
      return redactText(text.length > 512 ? `${text.slice(0, 512)}…` : text);
    }
    return describeForLog(err);
  } catch {
    return '(unreadable error)';
  }
}
