import { markSpanError } from '../../spans/own-spans';
import type { EnhancedExecutionTimingCollector } from '../../api/collector';
import type { PhaseTimer } from '../../api/phase-timer';

/*
 * Small helpers the agent integrations share on top of the collector's public API (startPhase
 * with an explicit parent or detached, PhaseTimer.span, discard()).
 */

/**
 * Ends an execution that recorded nothing (no phase, span, metric or TTFT) without counting it.
 * Returns false, doing nothing, when it recorded anything or already ended. Used when an agent's
 * execute() makes its own collector (the guide's style), so each call counts once, under the
 * agent's collector.
 */
export function discardUnused(collector: EnhancedExecutionTimingCollector): boolean {
  if (collector.completed || collector.metrics.length > 0) return false;
  const b = collector.getBreakdown();
  if (Object.keys(b.phases).length > 0 || b.foreignSpanCount > 0 || b.ttftMs !== undefined || b.openPhases.length > 0) return false;
  collector.discard();
  return true;
}

/**
 * Starts a phase off the collector's implicit nesting stack (so concurrent siblings never nest
 * under each other), as a child of `parent` — a running timer of the same collector —, directly
 * under the execution when `parent` is undefined (or no longer running), or, when `parent` is
 * `'current'`, under whatever phase the calling async context runs in.
 */
export function startNestedPhase(
  collector: EnhancedExecutionTimingCollector,
  parent: PhaseTimer | undefined | 'current',
  name: string,
  metadata: Record<string, unknown> | undefined,
): PhaseTimer {
  if (parent === 'current') return collector.startPhase(name, metadata, { detached: true });
  return collector.startPhase(name, metadata, { parent: parent?.running ? parent : null });
}

/** Stops a timer once, marking its span failed first when `error` is given. Never throws. */
export function stopTimer(timer: PhaseTimer | undefined, error?: unknown, failed = error !== undefined): number | undefined {
  if (!timer || !timer.running) return undefined;
  if (failed) markSpanError(timer.span, error ?? 'failed');
  try {
    return timer.stop();
  } catch {
    return undefined;
  }
}

