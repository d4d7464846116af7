/**
 * MetricsAggregator against the guide's store-everything-and-sort design (bench/peers/naive-aggregator.ts):
 * addMetric throughput, p99 over a WEEK window holding 10 M values, memory after 10 M values, and
 * percentile error. The 10 M values are spread over the retained 24 h; the aggregator's clock is
 * frozen at load time so every query sees exactly those values.
 */
import { MetricsAggregator } from '../src/aggregation/metrics-aggregator';
import { AggregationWindow, MetricType, type PerformanceMetric } from '../src/types/metric-type';
import { defineScenario, forEachChunk, heapUsed } from './harness';
import { NaiveAggregator } from './peers/naive-aggregator';

const TYPE = MetricType.LLM_PROCESSING;
const WEEK = AggregationWindow.WEEK;
const THROUGHPUT_OPS = 1_000_000;
/** 10 × 2²⁰: each of the 2²⁰ pooled values appears exactly 10 times. */
const BIG = 10 * (1 << 20);
const POOL_MASK = (1 << 20) - 1;
const HOUR = 3_600_000;

/** Deterministic log-normal latencies (median 200 ms, σ = 1), like real, skewed latency data. */
const VALUES = (() => {
  let s = 12345;
  const r = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) + 1) / 4294967297;
  const out = new Float64Array(POOL_MASK + 1);
  for (let i = 0; i < out.length; i++) out[i] = Math.exp(Math.log(200) + Math.sqrt(-2 * Math.log(r())) * Math.cos(2 * Math.PI * r()));
  return out;
})();

const FROZEN_NOW = Date.now();
const clock = () => FROZEN_NOW;
/** Oldest retained time with the default 24 h retention (hour-aligned). */
const RETAINED_FROM = Math.floor(FROZEN_NOW / HOUR) * HOUR - 23 * HOUR;
const SPAN = FROZEN_NOW - RETAINED_FROM;

/** Timestamp of the i-th of the BIG values: scattered (not sorted) over the retained span. */
function stamp(i: number): number {
  return RETAINED_FROM + ((i * 7919) % BIG) * (SPAN / BIG);
}

function load(target: { addMetric(m: PerformanceMetric): void }): Promise<void> {
  return forEachChunk(BIG, (from, to) => {
    for (let i = from; i < to; i++) target.addMetric({ metricType: TYPE, value: VALUES[i & POOL_MASK], timestamp: stamp(i) });
  });
}

let naive: NaiveAggregator | undefined;
let ours: MetricsAggregator | undefined;
let oursBytes = 0;

/** A naive aggregator holding the BIG values, and the heap it took. */
async function loadNaive(): Promise<{ aggregator: NaiveAggregator; bytes: number }> {
  const before = heapUsed();
  const aggregator = new NaiveAggregator(24, clock);
  await load(aggregator);
  return { aggregator, bytes: heapUsed() - before };
}

async function loadOurs(): Promise<MetricsAggregator> {
  if (!ours) {
    const before = heapUsed();
    ours = new MetricsAggregator({ now: clock });
    await load(ours);
    oursBytes = heapUsed() - before;
  }
  return ours;
}

// One round of on-time addMetric calls per case, with fresh metric objects each call (as in real
// use). Each case has its own loop function on purpose: closures made from one function literal
// share V8's type feedback, so a shared loop would turn polymorphic across the cases and slow them
// all by an amount that depends on the order they ran in.

/** Metrics the naive peer holds before its store is cleared in the timed loop (see its note). */
const NAIVE_STORE_CAP = 8_192;

function naiveRound(a: NaiveAggregator): Promise<void> {
  const now = Date.now();
  return forEachChunk(THROUGHPUT_OPS, (from, to) => {
    for (let i = from; i < to; i++) {
      a.addMetric({ metricType: TYPE, value: VALUES[i & POOL_MASK], timestamp: now });
      if ((i & (NAIVE_STORE_CAP - 1)) === NAIVE_STORE_CAP - 1) a.clear();
    }
  });
}

function oursRound(a: MetricsAggregator): Promise<void> {
  const now = Date.now();
  return forEachChunk(THROUGHPUT_OPS, (from, to) => {
    for (let i = from; i < to; i++) a.addMetric({ metricType: TYPE, value: VALUES[i & POOL_MASK], timestamp: now });
  });
}

function oursWithIdRound(a: MetricsAggregator): Promise<void> {
  const now = Date.now();
  return forEachChunk(THROUGHPUT_OPS, (from, to) => {
    let executionId = `exec-${from}`;
    for (let i = from; i < to; i++) {
      if ((i & 7) === 0) executionId = `exec-${i}`;
      a.addMetric({ metricType: TYPE, value: VALUES[i & POOL_MASK], timestamp: now, executionId, agentName: 'agent' });
    }
  });
}

function oursWithIdUntrackedRound(a: MetricsAggregator): Promise<void> {
  const now = Date.now();
  return forEachChunk(THROUGHPUT_OPS, (from, to) => {
    let executionId = `exec-${from}`;
    for (let i = from; i < to; i++) {
      if ((i & 7) === 0) executionId = `exec-${i}`;
      a.addMetric({ metricType: TYPE, value: VALUES[i & POOL_MASK], timestamp: now, executionId, agentName: 'agent' });
    }
  });
}

let exact: { p50: number; p90: number; p95: number; p99: number } | undefined;

export default defineScenario({
  name: 'aggregator',
  description: 'MetricsAggregator vs the guide’s store-everything-and-sort aggregator',
  rounds: 7,
  warmupRounds: 2,
  interleave: true, // the shared 2-core VM's load drifts; interleaving keeps each comparison fair
  cases: (() => {
    const naiveSink = new NaiveAggregator();
    const plain = new MetricsAggregator();
    const tracked = new MetricsAggregator();
    const untracked = new MetricsAggregator({ metricIdentityTracking: 'none' });
    const G1 = 'addMetric, on-time (ns/op)';
    const G2 = 'p99 query, WEEK window holding 10 M values';
    const G3 = 'memory after 10 M values (one type)';
    const G4 = 'percentile error vs exact, 10 M log-normal values';
    return [
      { group: G1, name: 'naive (store every metric)', peer: true, ops: THROUGHPUT_OPS, run: () => naiveRound(naiveSink), afterRound: () => naiveSink.clear(), note: 'store cleared every 8 192 metrics, so the figure is the design’s per-call work (a push), not the GC of a million retained objects per round; its real memory cost is the memory group’s' },
      { group: G1, name: 'MetricsAggregator', ops: THROUGHPUT_OPS, run: () => oursRound(plain) },
      { group: G1, name: 'MetricsAggregator, with executionId', ops: THROUGHPUT_OPS, run: () => oursWithIdRound(tracked), note: 'default identity tracking: a WeakSet insert per metric object' },
      { group: G1, name: "MetricsAggregator, with executionId, identity 'none'", ops: THROUGHPUT_OPS, run: () => oursWithIdUntrackedRound(untracked) },

      {
        group: G3,
        name: 'naive (10 M metric objects)',
        peer: true,
        exclusive: true,
        measure: async () => ({ heapBytes: (await loadNaive()).bytes }), // loaded, measured, released
      },
      { group: G3, name: 'MetricsAggregator', setup: async () => void (await loadOurs()), measure: () => ({ heapBytes: oursBytes }), note: 'includes the full export buffer (10 000 entries)' },

      {
        group: G2,
        name: 'naive (filter + sort per query)',
        peer: true,
        exclusive: true, // its gigabyte of metric objects would slow every other case's GC
        ops: 1,
        setup: async () => {
          naive = (await loadNaive()).aggregator;
        },
        run: () => void naive?.getAggregatedMetrics(TYPE, WEEK)?.p99,
        measure: () => {
          const r = naive?.getAggregatedMetrics(TYPE, WEEK);
          exact = r && { p50: r.p50, p90: r.p90, p95: r.p95, p99: r.p99 };
          return {};
        },
        teardown: () => {
          naive = undefined;
        },
      },
      {
        group: G2,
        name: 'MetricsAggregator (cached merge)',
        ops: 1000,
        setup: async () => void (await loadOurs()),
        run: () => {
          for (let i = 0; i < 1000; i++) ours?.getAggregatedMetrics(TYPE, WEEK);
        },
      },
      {
        group: G2,
        name: 'MetricsAggregator (cold: every cache invalidated before each query)',
        ops: 200,
        setup: async () => void (await loadOurs()),
        run: () => {
          for (let i = 0; i < 200; i++) {
            // A late value into each level (an old hour, the last hour, the last 10 minutes).
            ours?.addMetric({ metricType: TYPE, value: 100, timestamp: RETAINED_FROM + i * 1000 });
            ours?.addMetric({ metricType: TYPE, value: 100, timestamp: FROZEN_NOW - 30 * 60_000 });
            ours?.addMetric({ metricType: TYPE, value: 100, timestamp: FROZEN_NOW - 5 * 60_000 });
            ours?.getAggregatedMetrics(TYPE, WEEK);
          }
        },
        note: 'worst case: each query re-merges all ~100 slots (three late writes per op included)',
      },

      { group: G4, name: 'naive (exact)', peer: true, measure: () => ({ maxRelErrorPercent: 0 }) },
      {
        group: G4,
        name: 'MetricsAggregator (DDSketch, α = 1 %)',
        measure: async () => {
          const a = await loadOurs();
          const got = a.getAggregatedMetrics(TYPE, WEEK);
          if (!got || !exact) return {};
          const ref = exact;
          const err = (k: 'p50' | 'p90' | 'p95' | 'p99') => (100 * Math.abs(got[k] - ref[k])) / ref[k];
          const errors = { p50ErrorPercent: err('p50'), p90ErrorPercent: err('p90'), p95ErrorPercent: err('p95'), p99ErrorPercent: err('p99') };
          return { maxRelErrorPercent: Math.max(...Object.values(errors)), ...errors };
        },
        teardown: () => {
          ours = undefined;
        },
      },
    ];
  })(),
});
