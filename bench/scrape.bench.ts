// Over ~400 lines on purpose: one file per scenario (bench/harness.ts), and this scenario's three
// groups share one telemetry, one prom-client registry of the same 2 208 series and one scraper process.
/**
 * The /metrics scrape at 2 208 series, the issue's ~2 200 (69 agents × 2 outcomes × 16 series of
 * our four histograms: execution, 9 categories, TTFT, 5 operation categories, each with the dense
 * 2^(1/5) buckets: ~190 k lines, ~40 MB), side by side with prom-client on the same series, the
 * same buckets and the same labels (scope labels included, as default labels):
 *
 * - serialize: the text of one scrape, from collection to bytes — prom-client's
 *   `registry.metrics()` (peer); agent-timing as the endpoint runs it (the SDK reader's collect()
 *   plus our histograms read in place, ExecutionHistogramProducer.scrapeView(), serialized in
 *   slices, with the stages' figures); the same through the producer's collect() DataPoints (the
 *   path before scrapeView); and the exporter's PrometheusSerializer that served /metrics first.
 *   Goal: ≤ 0.2× prom-client.
 * - HTTP scrape: single, 20 concurrent, and 10 slow readers (each reads nothing for 1 s), by a
 *   scraper in its own process (bench/support/scraper-process.mjs), as Prometheus is: the agent
 *   process only serves. It sends `Accept-Encoding: gzip`, as Prometheus does: agent-timing then
 *   answers gzip; prom-client on a plain node:http server answers the text (responseBytes is
 *   what went over the socket). The figure to read is the event loop's worst delay per round
 *   (monitorEventLoopDelay, 1 ms resolution): median round and worst round. Goal: ~25 ms, and
 *   concurrent no worse than single. prom-client is served by a plain http server, as its README shows.
 * - execution while scraped: executions with /metrics scraped every 2 s of the case's own running
 *   time (the schedule carries over from round to round, so a short round does not pay a whole
 *   scrape), against the same executions unscraped (peer). Goal: ≤ 5 % more.
 *
 * The telemetry is started with maxAgentNames 10 000 and setup checks that the scrape really has
 * 2 208 series, so no agent-label budget spent by an earlier scenario in this process can shrink
 * it (run.ts --processes=N runs it in fresh processes anyway).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { MeterProvider, type MetricReader } from '@opentelemetry/sdk-metrics';
import { Histogram as PromHistogram, Registry } from 'prom-client';
import { defineScenario, yieldToEventLoop, type BenchCase } from './harness';
import { sdk } from './support/otel-peers';

/* eslint-disable @typescript-eslint/no-require-imports */
const { PrometheusTextSerializer } = require('../dist/cjs/setup/prometheus-serializer.js') as typeof import('../src/setup/prometheus-serializer');
const { ExecutionHistogramProducer } = require('../dist/cjs/metrics/histogram-producer.js') as typeof import('../src/metrics/histogram-producer');
const { currentBucketPlan } = require('../dist/cjs/metrics/instruments.js') as typeof import('../src/metrics/instruments');
/* eslint-enable @typescript-eslint/no-require-imports */

const AGENTS = 69;
// Per agent: 2 outcomes × (execution + 9 categories + TTFT + 5 operation categories) = 32 series.
const SERIES = AGENTS * 32;
const PHASES = ['initialization', 'tool_execution', 'llm_processing', 'websocket_notification', 'database_query', 'external_api', 'queue_wait', 'step'];
/** The endpoint's slice budget (METRICS_ENDPOINT_DEFAULTS), for the serialize case. */
const SLICE_MS = 5;
const SLICE_SERIES = 64;

type Telemetry = ReturnType<typeof sdk.startAgentTelemetry>;
let telemetry: Telemetry | undefined;
let users = 0;
let url = '';
let reader: MetricReader;
/**
 * The same series in a producer of the bench's own, for the serialize cases (the telemetry's
 * producer is internal to it): fed the same breakdowns, read in place (scrapeView) or through collect().
 */
let histograms: InstanceType<typeof ExecutionHistogramProducer>;
let before: { exporter: PrometheusExporter; provider: MeterProvider } | undefined;

function execution(agent: number, success: boolean) {
  const c = new sdk.EnhancedExecutionTimingCollector({ agentName: `agent_${agent}` });
  for (const p of PHASES) {
    c.startPhase(p);
    c.stopPhase(p);
  }
  c.recordFirstToken();
  return { breakdown: c.complete({ success }), state: c.state };
}

/** One telemetry with the 2 208 series, shared by the cases that need it (started once, stopped by the last). */
async function acquireTelemetry(): Promise<void> {
  users++;
  if (telemetry) return;
  telemetry = sdk.startAgentTelemetry({ prometheus: { host: '127.0.0.1', port: 0 }, otlp: false, aggregator: false, instrumentations: [], maxAgentNames: 10_000 });
  url = (await telemetry.metricsEndpoint).url!;
  histograms = new ExecutionHistogramProducer(currentBucketPlan());
  for (let a = 0; a < AGENTS; a++) {
    for (const success of [true, false]) {
      // With the execution's state, as the collector records it: the operation histogram's series too.
      const { breakdown, state } = execution(a, success);
      histograms.recordExecution(breakdown, success ? 'success' : 'error', state);
    }
  }
  const agentSeries = (text: string) => text.split('\n').filter((l) => /^agent_\w+_count[{ ]/.test(l)).length;
  const series = agentSeries(await (await fetch(url)).text());
  if (series !== SERIES) throw new Error(`scrape bench: expected ${SERIES} series on /metrics, found ${series} (an agent-label budget left by an earlier scenario?)`);
  reader = (telemetry.meterProvider as unknown as { _sharedState: { metricCollectors: { _metricReader: MetricReader }[] } })._sharedState.metricCollectors[0]._metricReader;
  const own = agentSeries(new PrometheusTextSerializer().serialize((await reader.collect()).resourceMetrics, histograms.scrapeView()));
  if (own !== SERIES) throw new Error(`scrape bench: the serialize cases' producer has ${own} series, expected ${SERIES}`);
  // The path before scrapeView: the producer as a reader's metricProducer, its DataPoints copied per scrape.
  const exporter = new PrometheusExporter({ preventServerStart: true, metricProducers: [histograms] });
  before = { exporter, provider: new MeterProvider({ readers: [exporter] }) };
}

async function releaseTelemetry(): Promise<void> {
  if (--users > 0) return;
  await telemetry?.shutdown();
  await before?.provider.shutdown();
  telemetry = undefined;
  before = undefined;
  registry = undefined;
  scraper?.disconnect();
  scraper = undefined;
}

/** prom-client with the same series: our histograms' names, buckets (read from our own scrape) and labels. */
let registry: Registry | undefined;
async function promClientRegistry(): Promise<Registry> {
  if (registry) return registry;
  const text = await (await fetch(url)).text();
  const bucketsOf = (name: string): number[] => {
    const first = text.split('\n').filter((l) => l.startsWith(`${name}_bucket{gen_ai_agent_name="agent_0"`) && l.includes('agent_timing_outcome="success"'));
    const seen = new Set<number>();
    for (const l of first) {
      const le = /le="([^"]+)"/.exec(l)![1];
      if (le !== '+Inf') seen.add(Number(le));
    }
    return [...seen].sort((a, b) => a - b);
  };
  registry = new Registry();
  registry.setDefaultLabels({ otel_scope_name: 'agent-timing', otel_scope_version: /otel_scope_version="([^"]+)"/.exec(text)![1] });
  const h = (name: string, labelNames: string[]) => new PromHistogram({ name, help: name, labelNames, buckets: bucketsOf(name), registers: [registry!] });
  const execution = h('agent_execution_duration_seconds', ['gen_ai_agent_name', 'agent_timing_outcome']);
  const ttft = h('agent_time_to_first_token_seconds', ['gen_ai_agent_name', 'agent_timing_outcome']);
  const phase = h('agent_phase_duration_seconds', ['gen_ai_agent_name', 'agent_timing_outcome', 'agent_timing_category']);
  const operation = h('agent_operation_duration_seconds', ['gen_ai_agent_name', 'agent_timing_outcome', 'agent_timing_category']);
  const categoriesOf = (name: string) => [
    ...new Set(text.split('\n').flatMap((l) => (l.startsWith(`${name}_count{`) ? [/agent_timing_category="([^"]+)"/.exec(l)![1]] : []))),
  ];
  const categories = categoriesOf('agent_phase_duration_seconds');
  const operationCategories = categoriesOf('agent_operation_duration_seconds');
  for (let a = 0; a < AGENTS; a++) {
    for (const outcome of ['success', 'error']) {
      const labels = { gen_ai_agent_name: `agent_${a}`, agent_timing_outcome: outcome };
      execution.observe(labels, 0.01);
      ttft.observe(labels, 0.001);
      for (const c of categories) phase.observe({ ...labels, agent_timing_category: c }, 0.001);
      for (const c of operationCategories) operation.observe({ ...labels, agent_timing_category: c }, 0.001);
    }
  }
  const lines = (await registry.metrics()).split('\n').filter((l) => l.includes('_count{')).length;
  if (lines !== SERIES) throw new Error(`scrape bench: prom-client peer has ${lines} series, expected ${SERIES}`);
  return registry;
}

/** The scraper process (Prometheus's stand-in): one request at a time. */
let scraper: ChildProcess | undefined;
interface ScrapeReply {
  bytes: number;
  ok: number;
  errors: string[];
  ms: number;
}
/** Scrapes that did not get a whole 200 response, per target (reported as a figure, and printed once each). */
const failures = new Map<string, number>();
function scrapeFrom(target: string, concurrency = 1, stallMs = 0): Promise<ScrapeReply> {
  scraper ??= fork(`${__dirname}/support/scraper-process.mjs`);
  const child = scraper;
  return new Promise((resolve, reject) => {
    child.once('message', (reply: ScrapeReply) => {
      if (reply.ok === 0) reject(new Error(`scrape bench: every scrape of ${target} failed: ${reply.errors.join(', ')}`));
      if (reply.errors.length > 0) {
        failures.set(target, (failures.get(target) ?? 0) + reply.errors.length);
        console.error(`scrape bench: ${reply.errors.length} of ${concurrency} scrapes of ${target} failed: ${reply.errors.slice(0, 3).join(', ')}`);
      }
      resolve(reply);
    });
    child.send({ url: target, concurrency, stallMs });
  });
}

let promServer: Server | undefined;
let promUrl = '';
async function startPromServer(): Promise<void> {
  await acquireTelemetry();
  if (promServer) return;
  const reg = await promClientRegistry();
  promServer = createServer((_req, res) => {
    void reg.metrics().then((body) => res.writeHead(200, { 'content-type': reg.contentType }).end(body));
  });
  await new Promise<void>((r) => promServer!.listen(0, '127.0.0.1', r));
  promUrl = `http://127.0.0.1:${(promServer.address() as AddressInfo).port}/metrics`;
}
async function stopPromServer(): Promise<void> {
  const s = promServer;
  promServer = undefined;
  if (s) await new Promise((r) => s.close(r));
  await releaseTelemetry();
}

/** Worst event-loop delay per round of one case (1 ms resolution), reported as median and worst round. */
class LoopDelay {
  private h: IntervalHistogram | undefined;
  private readonly maxima: number[] = [];
  start = (): void => {
    this.h = monitorEventLoopDelay({ resolution: 1 });
    this.h.enable();
  };
  stop = (): void => {
    if (!this.h) return;
    this.h.disable();
    this.maxima.push(this.h.max / 1e6);
    this.h = undefined;
  };
  figures(): Record<string, number> {
    const sorted = [...this.maxima].sort((a, b) => a - b);
    return { eventLoopMaxDelayMs: sorted[Math.floor(sorted.length / 2)] ?? 0, eventLoopWorstRoundMs: sorted[sorted.length - 1] ?? 0 };
  }
}

const idleDelay = new LoopDelay();

/** A prom-client / agent-timing pair of HTTP cases, scraped from another process, interleaved round by round. */
function httpCases(group: string, concurrency: number, stallMs: number): BenchCase[] {
  const peerDelay = new LoopDelay();
  const ourDelay = new LoopDelay();
  const bytes = { prom: 0, ours: 0 };
  return [
    {
      group,
      name: 'prom-client on node:http',
      peer: true,
      ops: 1,
      setup: startPromServer,
      beforeRound: peerDelay.start,
      afterRound: peerDelay.stop,
      run: async () => {
        const r = await scrapeFrom(promUrl, concurrency, stallMs);
        bytes.prom = r.bytes / r.ok;
      },
      measure: () => ({ responseBytes: bytes.prom, ...peerDelay.figures(), failedScrapes: failures.get(promUrl) ?? 0 }),
      teardown: stopPromServer,
    },
    {
      group,
      name: 'agent-timing /metrics',
      ops: 1,
      setup: acquireTelemetry,
      beforeRound: ourDelay.start,
      afterRound: ourDelay.stop,
      run: async () => {
        const r = await scrapeFrom(url, concurrency, stallMs);
        bytes.ours = r.bytes / r.ok;
      },
      measure: () => ({ responseBytes: bytes.ours, ...ourDelay.figures(), failedScrapes: failures.get(url) ?? 0 }),
      teardown: releaseTelemetry,
    },
  ];
}

/**
 * Scrapes every 2 s of the scraped case's own running time: the time left to the next scrape is
 * carried from one round to the next, so the case pays one scrape per 2 s it runs, whatever the
 * length of its rounds (the first starts with its first round).
 */
const SCRAPE_EVERY_MS = 2000;
let untilNextScrape = 0;
let armedAt = 0;
let scrapeTimer: NodeJS.Timeout | undefined;
let scrapesDone = 0;
let scrapedMs = 0;
let inflight: Promise<unknown> = Promise.resolve();
const scrapeNow = (): void => {
  inflight = scrapeFrom(url).then(() => scrapesDone++);
  arm(SCRAPE_EVERY_MS);
};
const arm = (ms: number): void => {
  untilNextScrape = ms;
  armedAt = performance.now();
  scrapeTimer = setTimeout(scrapeNow, ms);
};
const roundStart = (): void => {
  roundStartedAt = performance.now();
  arm(untilNextScrape);
};
let roundStartedAt = 0;
const roundEnd = async (): Promise<void> => {
  clearTimeout(scrapeTimer);
  scrapedMs += performance.now() - roundStartedAt;
  untilNextScrape = Math.max(0, untilNextScrape - (performance.now() - armedAt));
  await inflight; // a scrape still being served must not spill into the peer's round
};

const EXECUTIONS = 20_000;
async function executions(): Promise<void> {
  for (let i = 0; i < EXECUTIONS; i += 20) {
    for (let k = i; k < i + 20; k++) execution(k % AGENTS, k % 7 !== 0);
    await yieldToEventLoop();
  }
}
/** The same loop, its own function (closures from one literal would share type feedback). */
async function executionsScraped(): Promise<void> {
  for (let i = 0; i < EXECUTIONS; i += 20) {
    for (let k = i; k < i + 20; k++) execution(k % AGENTS, k % 7 !== 0);
    await yieldToEventLoop();
  }
}

const serializers = {
  default: new PrometheusTextSerializer(),
  withoutScopeInfo: new PrometheusTextSerializer({ withoutScopeInfo: true }),
  viaCollect: new PrometheusTextSerializer(),
};
const sizes: Record<string, number> = {};
/** Stages of the endpoint's path, per round: the SDK reader's collect(), scrapeView(), the longest slice. */
const stages = { collectMs: [] as number[], viewMs: [] as number[], maxSliceMs: [] as number[], slices: 0, producerCollectMs: [] as number[] };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

export default defineScenario({
  name: 'scrape',
  description: '/metrics at 2 208 series (dense buckets): serialization and HTTP scrapes (single, 20 concurrent, slow readers) vs prom-client, event-loop delay, executions while scraped',
  interleave: true,
  rounds: 7,
  warmupRounds: 1,
  cases: [
    {
      group: 'serialize 2 208 series',
      name: 'prom-client registry.metrics()',
      peer: true,
      ops: 1,
      setup: async () => {
        await acquireTelemetry();
        await promClientRegistry();
      },
      run: async () => {
        sizes.prom = Buffer.byteLength(await registry!.metrics());
      },
      measure: () => ({ responseBytes: sizes.prom }),
      teardown: releaseTelemetry,
    },
    {
      group: 'serialize 2 208 series',
      name: 'agent-timing (collect + scrapeView, in slices)',
      ops: 1,
      setup: acquireTelemetry,
      run: async () => {
        let t = performance.now();
        const { resourceMetrics } = await reader.collect();
        stages.collectMs.push(performance.now() - t);
        t = performance.now();
        const view = histograms.scrapeView();
        stages.viewMs.push(performance.now() - t);
        const task = serializers.default.start(resourceMetrics, view);
        let bytes = 0;
        let maxSlice = 0;
        stages.slices = 0;
        for (;;) {
          t = performance.now();
          const c = task.next(t + SLICE_MS, SLICE_SERIES);
          const ms = performance.now() - t;
          if (c === undefined) break;
          if (ms > maxSlice) maxSlice = ms;
          bytes += c.length;
          stages.slices++;
        }
        stages.maxSliceMs.push(maxSlice);
        sizes.ours = bytes;
      },
      measure: () => ({
        responseBytes: sizes.ours,
        collectMs: median(stages.collectMs),
        scrapeViewMs: median(stages.viewMs),
        maxSliceMs: median(stages.maxSliceMs),
        slices: stages.slices,
      }),
      teardown: releaseTelemetry,
      note: `slices of ${SLICE_MS} ms / ${SLICE_SERIES} series run back to back here (the endpoint yields between them)`,
    },
    {
      group: 'serialize 2 208 series',
      name: 'agent-timing, withoutScopeInfo',
      ops: 1,
      setup: acquireTelemetry,
      run: async () => {
        const { resourceMetrics } = await reader.collect();
        const task = serializers.withoutScopeInfo.start(resourceMetrics, histograms.scrapeView());
        let bytes = 0;
        for (let c = task.next(Infinity); c !== undefined; c = task.next(Infinity)) bytes += c.length;
        sizes.withoutScope = bytes;
      },
      measure: () => ({ responseBytes: sizes.withoutScope }),
      teardown: releaseTelemetry,
    },
    {
      group: 'serialize 2 208 series',
      name: 'agent-timing via the producer collect() DataPoints (before)',
      ops: 1,
      setup: acquireTelemetry,
      run: async () => {
        const t = performance.now();
        const { resourceMetrics } = await before!.exporter.collect();
        stages.producerCollectMs.push(performance.now() - t);
        const task = serializers.viaCollect.start(resourceMetrics);
        let bytes = 0;
        for (let c = task.next(Infinity); c !== undefined; c = task.next(Infinity)) bytes += c.length;
        sizes.viaCollect = bytes;
      },
      measure: () => ({ responseBytes: sizes.viaCollect, collectMs: median(stages.producerCollectMs) }),
      teardown: releaseTelemetry,
    },
    {
      group: 'serialize 2 208 series',
      name: 'exporter PrometheusSerializer (first)',
      ops: 1,
      setup: acquireTelemetry,
      run: async () => {
        const { resourceMetrics } = await before!.exporter.collect();
        sizes.exporter = Buffer.byteLength(new PrometheusSerializer(undefined, false, undefined, false, false).serialize(resourceMetrics));
      },
      measure: () => ({ responseBytes: sizes.exporter }),
      teardown: releaseTelemetry,
    },
    ...httpCases('HTTP scrape, single', 1, 0),
    {
      group: 'HTTP scrape, single',
      name: 'no scrape (the loop idle 300 ms: delay from machine load alone)',
      ops: 1,
      setup: acquireTelemetry,
      beforeRound: idleDelay.start,
      afterRound: idleDelay.stop,
      run: () => new Promise<void>((resolve) => setTimeout(resolve, 300)),
      measure: () => idleDelay.figures(),
      teardown: releaseTelemetry,
    },
    ...httpCases('HTTP scrape, 20 concurrent', 20, 0),
    ...httpCases('HTTP scrape, 10 slow readers (1 s stall)', 10, 1000),
    {
      group: 'execution while /metrics is scraped every 2 s',
      name: 'executions, not scraped',
      peer: true,
      ops: EXECUTIONS,
      setup: acquireTelemetry,
      run: executions,
      teardown: releaseTelemetry,
    },
    {
      group: 'execution while /metrics is scraped every 2 s',
      name: 'executions, scraped every 2 s',
      ops: EXECUTIONS,
      setup: acquireTelemetry,
      beforeRound: roundStart,
      afterRound: roundEnd,
      run: executionsScraped,
      measure: () => ({ scrapes: scrapesDone, scrapesPer10s: (scrapesDone * 10_000) / Math.max(1, scrapedMs) }),
      teardown: releaseTelemetry,
      note: 'the scraper is another process; one scrape per 2 s of this case’s running time (carried over between rounds)',
    },
  ],
});
