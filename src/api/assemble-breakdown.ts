// Assembling an execution's TimingBreakdown: the partition of its intervals (src/breakdown/partition.ts)
// plus the per-name phase totals and what the execution state recorded.
import { partition } from '../breakdown/partition';
import { createPhaseDurations, TimingBreakdown } from '../breakdown/timing-breakdown';
import type { ExecutionState } from './execution-state';
import type { PhaseBook } from './phase-book';

/**
 * The breakdown of an execution at `end`: mid-execution (getBreakdown()) or final (complete(), with
 * its outcome). Phases still running count up to `end` and are listed in `openPhases`, after those
 * complete() closed (`closedByComplete`).
 */
export function assembleBreakdown(
  s: ExecutionState,
  book: PhaseBook,
  closedByComplete: readonly string[],
  end: number,
  outcome?: 'success' | 'error',
): TimingBreakdown {
  const totals = partition(s.intervals, s.startMs, end);
  const phases = createPhaseDurations();
  book.totalsInto(phases);
  const open: string[] = [...closedByComplete];
  for (const t of book.running()) {
    phases[t.name] = (phases[t.name] ?? 0) + (end - t.start);
    open.push(t.name);
  }
  // Set field by field rather than through the constructor's generic Object.assign (hot path:
  // one breakdown per completed execution).
  const b = new TimingBreakdown();
  b.executionId = s.executionId;
  b.agentName = s.agentName;
  b.totalMs = Math.max(0, end - s.startMs);
  b.initializationMs = totals.initialization;
  b.toolExecutionMs = totals.tool_execution;
  b.llmProcessingMs = totals.llm_processing;
  b.websocketNotificationMs = totals.websocket_notification;
  b.databaseQueryMs = totals.database_query;
  b.externalApiMs = totals.external_api;
  b.queueWaitMs = totals.queue_wait;
  b.overheadMs = totals.overhead;
  b.uncategorizedMs = totals.uncategorized;
  b.phases = phases;
  b.startedAt = s.startedAt;
  b.completed = outcome !== undefined;
  b.openPhases = open;
  b.foreignSpanCount = s.foreignSpanCount;
  if (s.firstTokenAt !== undefined) b.ttftMs = s.firstTokenAt - s.startMs;
  if (outcome !== undefined) b.outcome = outcome;
  return b;
}
