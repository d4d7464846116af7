import type { Attributes } from '@opentelemetry/api';
import { userIdForSpan } from '../../internal/redaction';
import { ATTR_RUN_ID } from '../../spans/names';
import { ATTR_USER_ID } from '../../spans/semconv';

/** The run id of an ExecutionContext-like value, when it has a usable one. Never throws. */
export function runIdOf(context: unknown): string | undefined {
  if (context === null || typeof context !== 'object') return undefined;
  try {
    const id = (context as { runId?: unknown }).runId;
    if (typeof id === 'string' && id.trim()) return id.trim();
    if (typeof id === 'number' && Number.isFinite(id)) return String(id);
  } catch {
    // a throwing getter: no run id
  }
  return undefined;
}

/** The user id of an ExecutionContext-like value, as it may appear on a span. Never throws. */
export function userIdOf(context: unknown): string | undefined {
  if (context === null || typeof context !== 'object') return undefined;
  try {
    const id = (context as { userId?: unknown }).userId;
    if (typeof id === 'string' && id.trim()) return userIdForSpan(id.trim());
    if (typeof id === 'number' && Number.isFinite(id)) return userIdForSpan(String(id));
  } catch {
    // a throwing getter: no user id
  }
  return undefined;
}

/** Span attributes of an execution run for `context`: the run id and (spans only) the user id. */
export function contextAttributes(context: unknown): Attributes | undefined {
  const runId = runIdOf(context);
  const userId = userIdOf(context);
  if (runId === undefined && userId === undefined) return undefined;
  const out: Attributes = {};
  if (runId !== undefined) out[ATTR_RUN_ID] = runId;
  if (userId !== undefined) out[ATTR_USER_ID] = userId;
  return out;
}
