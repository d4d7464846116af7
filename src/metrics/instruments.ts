import { metrics, type Histogram, type Meter } from '@opentelemetry/api';
import { subscribeCompletion } from '../api/completion';
import type { ExecutionState } from '../api/execution-state';
import { limits } from '../internal/limits';
import type { TimingBreakdown } from '../breakdown/timing-breakdown';
import { bucketPlan, histogramSpecs, type BucketPlan } from './buckets';
import type { ExecutionHistogramProducer } from './histogram-producer';
import type { Outcome } from './label-limiter';
import { recordBreakdown, type ExecutionHistograms } from './record-breakdown';
import { HISTOGRAM_DESCRIPTIONS, SCOPE_NAME } from '../spans/names';
import { VERSION } from '../version';

type ExecutionInstruments = { readonly [K in keyof ExecutionHistograms]: Histogram };

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

/** The histograms on a meter, created once per meter. Buckets ride as advice too, so an app that
 *  forgets agentTimingViews() still gets boundaries containing its SLO thresholds. */
export function instrumentsFor(meter?: Meter): ExecutionInstruments {
  const m = meterOrGlobal(meter);
  let inst = byMeter.get(m);
  if (!inst) {
    const specs = histogramSpecs(plan);
    const made = {} as Record<keyof ExecutionHistograms, Histogram>;
    for (const key of Object.keys(specs) as Array<keyof ExecutionHistograms>) {
      const { name, boundaries } = specs[key];
      made[key] = m.createHistogram(name, {
        unit: 's',
        description: HISTOGRAM_DESCRIPTIONS[name],
        advice: { explicitBucketBoundaries: [...boundaries] },
      });
    }
    inst = made;
    byMeter.set(m, inst);
  }
  return inst;
}

/**
 * Records a completed execution (see recordBreakdown; `state` gives its intervals for the
 * per-operation histograms) into the pre-aggregating producer while
 * startAgentTelemetry owns the global MeterProvider, else into SDK instruments on `meter` (or the
 * global meter): an attribute-carrying SDK record costs about as much as a span. Never throws.
 */
export function recordExecutionMetrics(b: TimingBreakdown, outcome: Outcome, meter?: Meter, state?: ExecutionState): void {
  try {
    if (meter === undefined && producer !== undefined) producer.recordExecution(b, outcome, state);
    else recordBreakdown(b, outcome, instrumentsFor(meter), state);
  } catch {
    // a broken meter provider must not break the agent
  }
}

// The histograms subscribe to the collector's one completion hook (src/api/completion.ts) when this
// module loads; every entry point loads it (src/index.ts through setup/, the LangChain entry
// directly), so the collector never imports the metrics.
subscribeCompletion((b, _metrics, outcome, meter, state) => {
  if (!limits.disabled) recordExecutionMetrics(b, outcome, meter, state);
});
