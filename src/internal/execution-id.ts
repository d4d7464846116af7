import { randomUUID } from 'node:crypto';

/**
 * A random (v4) UUID as a flat string. Node builds `randomUUID()` by concatenating 20 pieces, so
 * V8 returns a tree of ~20 cons strings (~490 bytes) that stays a tree for as long as it lives;
 * an execution id lives on in the aggregator's dedupe ledger and raw-metric buffer for thousands
 * of executions, so every one of them was promoted to the old generation whole. Reading a
 * character makes V8 flatten the string in place (one 36-byte sequential string, ~65 bytes
 * retained in all) and the pieces die young. The character is stored, so that no optimizing
 * compiler can drop the read as dead code. (docs/architecture.md, speed invariant 4.)
 */
export function randomExecutionId(): string {
  const id = randomUUID();
  _flattenSink = id.charCodeAt(0);
  return id;
}

let _flattenSink = 0;
