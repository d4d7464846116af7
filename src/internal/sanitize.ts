import type { Attributes, AttributeValue } from '@opentelemetry/api';
import { reportDrop } from './diag';
import { limits } from './limits';
import { redactValue } from './redaction';

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
 * A short, safe description of a caller-supplied value for a diag message: strings quoted and cut
 * to 64 characters, anything else by its type. Never calls the value's toString (which may throw
 * or be huge).
 */
export function describeForLog(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}…` : value);
  return value === null ? 'null' : `(${typeof value})`;
}

/** JSON text of any value, safe for cycles, BigInt and throwing getters, cut to `max`. */
export function safeJson(value: unknown, max = limits.maxAttributeLength): string {
  const seen = new WeakSet<object>();
  try {
    const text = JSON.stringify(value, (_k, v: unknown) => {
      if (typeof v === 'bigint') return v.toString();
      if (typeof v === 'symbol' || typeof v === 'function') return undefined;
      if (typeof v === 'object' && v !== null) {
        if (seen.has(v)) return '[Circular]';
        seen.add(v);
      }
      return v;
    });
    return truncate(text ?? String(value), max);
  } catch {
    return '[unserializable]';
  }
}

function toAttributeValue(value: unknown): AttributeValue | undefined {
  switch (typeof value) {
    case 'string':
      return truncate(value);
    case 'boolean':
      return value;
    case 'number':
      // OTel accepts any number, but NaN and ±Infinity break most backends' JSON.
      return Number.isFinite(value) ? value : String(value);
    case 'bigint':
      return value.toString();
    case 'object':
      if (value === null) return undefined;
      if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
        return (value as string[]).slice(0, 32).map((v) => truncate(v));
      }
      if (Array.isArray(value) && value.every((v) => typeof v === 'number' && Number.isFinite(v))) {
        return (value as number[]).slice(0, 32);
      }
      return safeJson(value);
    default:
      return undefined; // symbols, functions, undefined
  }
}

/**
 * Phase metadata → span attributes: own string keys only, redacted, at most maxMetadataKeys,
 * values made into valid bounded attribute values. Never throws (a throwing getter or proxy
 * drops the metadata and is counted).
 */
export function metadataToAttributes(metadata: unknown, into: Attributes): void {
  if (metadata === null || typeof metadata !== 'object') {
    if (metadata !== undefined) reportDrop('metadata-not-object', 'phase metadata must be a plain object; it was ignored');
    return;
  }
  try {
    let n = 0;
    for (const key of Object.keys(metadata)) {
      if (FORBIDDEN_KEYS.has(key)) {
        reportDrop('metadata-forbidden-key', `metadata key "${key}" is not allowed and was dropped`);
        continue;
      }
      if (n >= limits.maxMetadataKeys) {
        reportDrop('metadata-too-many-keys', `phase metadata has more than ${limits.maxMetadataKeys} keys; the rest were dropped`);
        break;
      }
      const kept = redactValue(key, (metadata as Record<string, unknown>)[key]);
      const value = toAttributeValue(kept);
      if (value === undefined) continue;
      into[truncate(key, 128)] = value;
      n++;
    }
  } catch {
    reportDrop('metadata-unreadable', 'phase metadata could not be read (a getter or proxy threw); it was ignored');
  }
}

/**
 * A JSON-safe, bounded, redacted copy of metric metadata (kept in-process and exported by the
 * aggregator). Null-prototype so hostile keys stay inert data.
 */
export function metadataCopy(metadata: unknown): Record<string, unknown> | undefined {
  if (metadata === null || typeof metadata !== 'object') return undefined;
  const out = Object.create(null) as Record<string, unknown>;
  try {
    let n = 0;
    for (const key of Object.keys(metadata)) {
      if (FORBIDDEN_KEYS.has(key) || n >= limits.maxMetadataKeys) continue;
      const v = toAttributeValue(redactValue(key, (metadata as Record<string, unknown>)[key]));
      if (v !== undefined) {
        out[truncate(key, 128)] = v;
        n++;
      }
    }
  } catch {
    reportDrop('metadata-unreadable', 'metric metadata could not be read (a getter or proxy threw); it was ignored');
  }
  return out;
}
