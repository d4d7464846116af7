import { diag, type DiagLogger } from '@opentelemetry/api';

/**
 * agent-timing logs only through OpenTelemetry's `diag`, prefixed `agent-timing/<component>`.
 * Turn it on with `diag.setLogger(new DiagConsoleLogger(), DiagLogLevel.DEBUG)` or
 * `OTEL_LOG_LEVEL=debug` when using startAgentTelemetry.
 */
export function componentLogger(component: string): DiagLogger {
  return diag.createComponentLogger({ namespace: `agent-timing/${component}` });
}

const log = componentLogger('drops');

/**
 * Counts of things the SDK dropped or repaired instead of throwing, by kind. Hot paths never throw
 * on bad input: they call `reportDrop`, which logs the first occurrence of each kind once and
 * counts every occurrence, so a misbehaving caller costs one log line, not a log flood.
 */
const counts = new Map<string, number>();

/** Records one dropped input of the given kind; logs only the first of each kind. */
export function reportDrop(kind: string, detail: string): void {
  const n = (counts.get(kind) ?? 0) + 1;
  counts.set(kind, n);
  if (n === 1) {
    log.warn(`${detail} (kind "${kind}"; this is logged once, later ones are only counted: see getAgentTimingHealth())`);
  }
}

/** Adds `n` to a counter without logging (for counts that are reported in bulk elsewhere). */
export function addToCount(kind: string, n: number): void {
  counts.set(kind, (counts.get(kind) ?? 0) + n);
}

/** How many inputs of each kind were dropped or repaired so far in this process. */
export function getDropCounts(): Record<string, number> {
  return Object.fromEntries(counts);
}

/** For tests: forget the counts so each test sees its own. */
export function resetDropCounts(): void {
  counts.clear();
}
