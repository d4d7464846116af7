import { BREAKDOWN_CATEGORIES, CATEGORY_FIELD, type BreakdownCategory } from './categories';
import { readingInput } from '../internal/guard';

/** Plain-object form of a TimingBreakdown (what `toJSON()` returns). */
export interface TimingBreakdownData {
  executionId: string;
  agentName: string;
  /** Wall-clock time of the execution (to now, while it runs). */
  totalMs: number;
  initializationMs: number;
  toolExecutionMs: number;
  llmProcessingMs: number;
  websocketNotificationMs: number;
  databaseQueryMs: number;
  externalApiMs: number;
  queueWaitMs: number;
  /** Time inside the execution that no phase, task or classified span covers (spans no rule
   *  classifies are transparent: the time only they cover is overhead too). */
  overheadMs: number;
  /** Time covered only by phases that have no category. */
  uncategorizedMs: number;
  /** Time to first token, ms since the execution started; absent when none was recorded. */
  ttftMs?: number;
  /** Per phase or parallel-task name: its own measured duration, children included; repeats sum. */
  phases: Record<string, number>;
  /** Epoch ms at which the execution started. */
  startedAt: number;
  /** True once complete() ended the execution. */
  completed: boolean;
  /** 'success' or 'error' once completed. */
  outcome?: 'success' | 'error';
  /** Phases still running when this breakdown was taken (or closed by complete()). */
  openPhases: string[];
  /** Spans of other instrumentations that landed in this breakdown. */
  foreignSpanCount: number;
}

/** Objects with no Object.prototype above them, so any phase name (even `__proto__`) is plain data.
 *  Made by a constructor rather than Object.create(null), whose objects start in slow dictionary
 *  mode: filling one costs about three times as much. */
const PhaseDurations = function PhaseDurations(this: object) {} as unknown as new () => Record<string, number>;
PhaseDurations.prototype = Object.create(null) as object;

/** An empty `phases` record (see PhaseDurations). */
export function createPhaseDurations(): Record<string, number> {
  return new PhaseDurations();
}

/**
 * Where an execution's wall-clock time went. The category fields partition `totalMs`: they always
 * sum to it (to floating-point rounding).
 */
export class TimingBreakdown implements TimingBreakdownData {
  executionId = '';
  agentName = 'unknown';
  totalMs = 0;
  initializationMs = 0;
  toolExecutionMs = 0;
  llmProcessingMs = 0;
  websocketNotificationMs = 0;
  databaseQueryMs = 0;
  externalApiMs = 0;
  queueWaitMs = 0;
  overheadMs = 0;
  uncategorizedMs = 0;
  ttftMs?: number;
  phases: Record<string, number> = createPhaseDurations();
  startedAt = 0;
  completed = false;
  outcome?: 'success' | 'error';
  openPhases: string[] = [];
  foreignSpanCount = 0;

  constructor(init?: Partial<TimingBreakdownData>) {
    if (init) readingInput('new TimingBreakdown()', () => Object.assign(this, init));
  }

  /** The milliseconds of one category. */
  categoryMs(category: BreakdownCategory): number {
    return this[CATEGORY_FIELD[category]];
  }

  /**
   * Efficiency score, 0–100: the share of wall-clock time spent doing work, i.e.
   * `100 × (totalMs − queueWaitMs − overheadMs) / totalMs`. Queue wait (waiting for a slot) and
   * overhead (time no phase accounts for) are the waste; every other category is work. An
   * execution of zero length scores 100.
   */
  calculateEfficiency(): number {
    return efficiencyScore(this.totalMs, this.queueWaitMs, this.overheadMs);
  }

  /** A plain, JSON-safe copy. */
  toJSON(): TimingBreakdownData {
    const out: TimingBreakdownData = {
      executionId: this.executionId,
      agentName: this.agentName,
      totalMs: this.totalMs,
      initializationMs: this.initializationMs,
      toolExecutionMs: this.toolExecutionMs,
      llmProcessingMs: this.llmProcessingMs,
      websocketNotificationMs: this.websocketNotificationMs,
      databaseQueryMs: this.databaseQueryMs,
      externalApiMs: this.externalApiMs,
      queueWaitMs: this.queueWaitMs,
      overheadMs: this.overheadMs,
      uncategorizedMs: this.uncategorizedMs,
      phases: { ...this.phases },
      startedAt: this.startedAt,
      completed: this.completed,
      openPhases: [...this.openPhases],
      foreignSpanCount: this.foreignSpanCount,
    };
    if (this.ttftMs !== undefined) out.ttftMs = this.ttftMs;
    if (this.outcome !== undefined) out.outcome = this.outcome;
    return out;
  }
}

/** Sum of the category fields (equals totalMs by construction). */
export function sumOfCategories(b: TimingBreakdownData): number {
  let sum = 0;
  for (const c of BREAKDOWN_CATEGORIES) sum += b[CATEGORY_FIELD[c]];
  return sum;
}

/**
 * The efficiency formula, written once: `100 × (totalMs − queueWaitMs − overheadMs) / totalMs`,
 * clamped to 0–100; 100 for zero length. Also for sums over many executions (the report's totals).
 */
export function efficiencyScore(totalMs: number, queueWaitMs: number, overheadMs: number): number {
  if (!(totalMs > 0)) return 100;
  const work = totalMs - queueWaitMs - overheadMs;
  return Math.min(100, Math.max(0, (100 * work) / totalMs));
}
