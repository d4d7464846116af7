import type { Attributes } from '@opentelemetry/api';
import { BREAKDOWN_CATEGORIES, CATEGORY_FIELD } from '../timing/categories';
import type { TimingBreakdown } from '../timing/timing-breakdown';
import { labelsFor, type Outcome } from './label-limiter';

/** What takes one observation: an SDK Histogram or a pre-aggregated one. */
export interface HistogramSink {
  record(seconds: number, attributes: Attributes): void;
}

/** agent-timing's three histograms, wherever they are kept. */
export interface ExecutionHistograms {
  readonly execution: HistogramSink;
  readonly phase: HistogramSink;
  readonly ttft: HistogramSink;
}

/**
 * Records a completed execution: its duration, its TTFT, and one observation per category with
 * time in it (seconds), labelled by agent, outcome and category. Per execution rather than per
 * phase: the per-category totals are exactly what the fleet-wide share (sum of category time /
 * sum of execution time) needs.
 */
export function recordBreakdown(b: TimingBreakdown, outcome: Outcome, into: ExecutionHistograms): void {
  const labels = labelsFor(b.agentName, outcome);
  into.execution.record(b.totalMs / 1000, labels.base);
  if (b.ttftMs !== undefined) into.ttft.record(b.ttftMs / 1000, labels.base);
  for (let c = 0; c < BREAKDOWN_CATEGORIES.length; c++) {
    const ms = b[CATEGORY_FIELD[BREAKDOWN_CATEGORIES[c]]];
    if (ms > 0) into.phase.record(ms / 1000, labels.byCategory[c]);
  }
}
