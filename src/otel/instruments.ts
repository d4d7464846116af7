import { metrics, type Histogram, type Meter } from '@opentelemetry/api';
import type { TimingBreakdown } from '../timing/timing-breakdown';
import { bucketPlan, type BucketPlan } from './buckets';
import type { ExecutionHistogramProducer } from './histogram-producer';
import type { Outcome } from './label-limiter';
import { recordBreakdown } from './record-breakdown';
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
 * Records a completed execution (see recordBreakdown) into the pre-aggregating producer while
 * startAgentTelemetry owns the global MeterProvider, else into SDK instruments on `meter` (or the
 * global meter): an attribute-carrying SDK record costs about as much as a span. Never throws.
 */
export function recordExecutionMetrics(b: TimingBreakdown, outcome: Outcome, meter?: Meter): void {
  try {
    if (meter === undefined && producer !== undefined) producer.recordExecution(b, outcome);
    else recordBreakdown(b, outcome, instrumentsFor(meter));
  } catch {
    // a broken meter provider must not break the agent
  }
}
