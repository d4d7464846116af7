import { metrics, type Histogram, type Meter } from '@opentelemetry/api';
import { BREAKDOWN_CATEGORIES, CATEGORY_FIELD } from '../timing/categories';
import type { TimingBreakdown } from '../timing/timing-breakdown';
import { bucketPlan, type BucketPlan } from './buckets';
import type { ExecutionHistogramProducer } from './histogram-producer';
import { labelsFor, type Outcome } from './label-limiter';
import { HISTOGRAM_DESCRIPTIONS, METRIC_EXECUTION_DURATION, METRIC_PHASE_DURATION, METRIC_TTFT, SCOPE_NAME } from './names';
import { VERSION } from '../version';

interface ExecutionInstruments {
  execution: Histogram;
  phase: Histogram;
  ttft: Histogram;
}

let plan: BucketPlan = bucketPlan();
/** Set while startAgentTelemetry owns the global MeterProvider: executions recorded without an
 *  explicit meter go to its pre-aggregating producer instead of SDK instruments. */
let producer: ExecutionHistogramProducer | undefined;

/** Routes default-meter recordings to `p` (or back to SDK instruments with undefined). */
export function setHistogramProducer(p: ExecutionHistogramProducer | undefined): void {
  producer = p;
}
const byMeter = new WeakMap<Meter, ExecutionInstruments>();
let globalMeter: { provider: unknown; meter: Meter } | undefined;

/** Sets the SLO thresholds (ms) whose bucket boundaries instruments created from now on advise. */
export function setInstrumentSloThresholds(sloThresholdsMs: Record<string, number>): void {
  plan = bucketPlan(sloThresholdsMs);
}

export function currentBucketPlan(): BucketPlan {
  return plan;
}

function meterOrGlobal(meter: Meter | undefined): Meter {
  if (meter) return meter;
  const provider = metrics.getMeterProvider();
  if (!globalMeter || globalMeter.provider !== provider) {
    globalMeter = { provider, meter: provider.getMeter(SCOPE_NAME, VERSION) };
  }
  return globalMeter.meter;
}

/** The three histograms on a meter, created once per meter. Buckets ride as advice too, so an
 *  app that forgets agentTimingViews() still gets boundaries containing its SLO thresholds. */
export function instrumentsFor(meter?: Meter): ExecutionInstruments {
  const m = meterOrGlobal(meter);
  let inst = byMeter.get(m);
  if (!inst) {
    inst = {
      execution: m.createHistogram(METRIC_EXECUTION_DURATION, {
        unit: 's',
        description: HISTOGRAM_DESCRIPTIONS[METRIC_EXECUTION_DURATION],
        advice: { explicitBucketBoundaries: plan.execution },
      }),
      phase: m.createHistogram(METRIC_PHASE_DURATION, {
        unit: 's',
        description: HISTOGRAM_DESCRIPTIONS[METRIC_PHASE_DURATION],
        advice: { explicitBucketBoundaries: plan.phase },
      }),
      ttft: m.createHistogram(METRIC_TTFT, {
        unit: 's',
        description: HISTOGRAM_DESCRIPTIONS[METRIC_TTFT],
        advice: { explicitBucketBoundaries: plan.ttft },
      }),
    };
    byMeter.set(m, inst);
  }
  return inst;
}

/**
 * Records a completed execution: its duration, its TTFT, and one observation per category with
 * time in it. Per execution rather than per phase, because an attribute-carrying record costs
 * about as much as a span, and the per-category totals are exactly what the fleet-wide share
 * (sum of category time / sum of execution time) needs. Never throws.
 */
export function recordExecutionMetrics(b: TimingBreakdown, outcome: Outcome, meter?: Meter): void {
  try {
    if (meter === undefined && producer !== undefined) return producer.recordExecution(b, outcome);
    const inst = instrumentsFor(meter);
    const labels = labelsFor(b.agentName, outcome);
    inst.execution.record(b.totalMs / 1000, labels.base);
    if (b.ttftMs !== undefined) inst.ttft.record(b.ttftMs / 1000, labels.base);
    for (let c = 0; c < BREAKDOWN_CATEGORIES.length; c++) {
      const ms = b[CATEGORY_FIELD[BREAKDOWN_CATEGORIES[c]]];
      if (ms > 0) inst.phase.record(ms / 1000, labels.byCategory[c]);
    }
  } catch {
    // a broken meter provider must not break the agent
  }
}
