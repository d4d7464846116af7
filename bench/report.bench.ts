/**
 * What keeping executions for the live report costs the agent, and what building the report costs
 * the host's event loop.
 *
 * Group "hot path" (paired): a whole execution (20 phases, 3 parallel tasks, a first token,
 * completed) with the default set-up, with and without the report's recorder, in one process and
 * one tracer provider, rounds interleaved (the harness alternates them and runs a GC before each).
 * The recorder sits where `report: on` puts it, last among the span processors, behind a gate
 * span processor that both cases have: in the "on" rounds the gate forwards span ends to a
 * ReportRecorder (whose completion listener is subscribed for those rounds only), in the "off"
 * rounds it forwards nothing. So the two differ by exactly the recorder's work on the hot path.
 * One recorder serves every "on" round: they run in its steady state, sets and ring full. Printed: the
 * median of the per-round ratios with their spread (10th–90th percentile, min–max). Target: within
 * noise of 1.00×.
 *
 * Group "build" (`report: on`, the real set-up): 45 000 executions fill the aggregator's hour,
 * then `samples` fresh builds of /report.json are served. The event loop's longest delay and p99
 * (monitorEventLoopDelay, 1 ms resolution) during each build and serve, against the same over an
 * idle wait as long right after (paired: the machine's load hits both), and against the same
 * report built and serialized in one block (as before the build was sliced). Also the longest
 * single step of buildReportSteps() run directly, and the export it starts with. The 1-minute load
 * average is printed with them.
 */
import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Context } from '@opentelemetry/api';
import { BatchSpanProcessor, type ReadableSpan, type Span, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { collectGarbage, defineScenario, heapUsed, yieldToEventLoop } from './harness';
import { NullExporter, sdk } from './support/otel-peers';
// buildReportSteps() is internal (the live route runs it in slices): read from the same build as sdk.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { buildReportSteps } = require('../dist/cjs/report/build.js') as typeof import('../src/report/build');

/** Executions per hot-path round (~100–200 ms a round). */
const HOT_OPS = 2_000;
/** Rounds of each case (the same for both groups: the build group's rounds fill the hour). */
const ROUNDS = 41;
const WARMUP = 2;
/** Executions per build-group round: 43 rounds × ~1 050 ≈ 45 000 in the hour. */
const BUILD_OPS = 1_050;
const PHASES = ['initialization', 'database_query', 'tool_execution', 'llm_processing', 'external_api'];
let telemetry: ReturnType<typeof sdk.startAgentTelemetry> | undefined;
let reportUrl: string | undefined;

function executions(from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const c = new sdk.EnhancedExecutionTimingCollector({ agentName: 'bench' });
    for (let k = 0; k < 20; k++) {
      c.startPhase(PHASES[k % 5]);
      c.stopPhase(PHASES[k % 5]);
    }
    const tasks = [0, 1, 2].map((k) => c.startParallelTask(`task${k}`, { category: 'external_api' }));
    c.recordFirstToken();
    for (const t of tasks) t.stop();
    c.complete();
  }
}

const chunked = async (ops: number): Promise<void> => {
  for (let from = 0; from < ops; from += 20) {
    executions(from, Math.min(ops, from + 20));
    await yieldToEventLoop();
  }
};

/** Forwards span ends to the recorder while one is attached: the only difference between the paired cases. */
class Gate implements SpanProcessor {
  target: SpanProcessor | undefined;
  onStart(_span: Span, _context: Context): void {}
  onEnd(span: ReadableSpan): void {
    if (this.target !== undefined) this.target.onEnd(span);
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
const gate = new Gate();
/** One recorder for every "on" round, so they run in its steady state (its sets and ring full). */
let recorder: InstanceType<typeof sdk.ReportRecorder> | undefined;
let unsubscribe: (() => unknown) | undefined;
/** The recorder's completion listener, subscribed for the "on" rounds only (its own subscription is dropped once). */
function attach(): void {
  if (!recorder) {
    recorder = new sdk.ReportRecorder();
    (recorder as unknown as { unsubscribe: () => void }).unsubscribe();
  }
  const r = recorder as unknown as { onComplete(b: unknown): void };
  unsubscribe = sdk.onExecutionComplete((b) => r.onComplete(b));
  gate.target = recorder;
}
function detach(): void {
  gate.target = undefined;
  unsubscribe?.();
  unsubscribe = undefined;
}
/** Per-round wall time, ns per execution, of each paired case (the harness's rounds, warm-up included). */
const perRound = { off: [] as number[], on: [] as number[] };

async function start(report: boolean, spanProcessors: SpanProcessor[] = []): Promise<void> {
  if (telemetry) return;
  telemetry = sdk.startAgentTelemetry({
    prometheus: { host: '127.0.0.1', port: 0 },
    otlp: false,
    spanProcessors: [new BatchSpanProcessor(new NullExporter()), ...spanProcessors],
    ...(report ? { report: { printUrl: false } } : {}),
  });
  await telemetry.metricsEndpoint;
  reportUrl = (await telemetry.reportEndpoint).url;
}

async function stop(): Promise<void> {
  detach();
  recorder = undefined;
  await telemetry?.shutdown();
  telemetry = undefined;
  sdk.resetGlobalAggregator();
}

const timed = async (into: number[]): Promise<void> => {
  const t0 = process.hrtime.bigint();
  await chunked(HOT_OPS);
  into.push(Number(process.hrtime.bigint() - t0) / HOT_OPS);
};

const quantile = (xs: readonly number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.round(q * (s.length - 1))))];
};
const median = (xs: readonly number[]): number => quantile(xs, 0.5);

/** The per-round ratios on ÷ off (the cost of the recorder, > 1 slower), paired by round. */
function pairedRatios(): Record<string, number> {
  const n = Math.min(perRound.off.length, perRound.on.length);
  const ratios: number[] = [];
  for (let i = WARMUP; i < n; i++) ratios.push(perRound.on[i] / perRound.off[i]);
  // A distribution-free 95 % confidence interval of the median: order statistics n/2 ± 0.98·√n.
  const sorted = [...ratios].sort((a, b) => a - b);
  const half = 0.98 * Math.sqrt(sorted.length);
  const lo = sorted[Math.max(0, Math.floor(sorted.length / 2 - half))];
  const hi = sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length / 2 + half) - 1)];
  const line = `    hot path, recorder on ÷ off, per round (${ratios.length} pairs): median ${median(ratios).toFixed(3)}× (95 % CI ${lo.toFixed(3)}–${hi.toFixed(3)}×), p10–p90 ${quantile(ratios, 0.1).toFixed(3)}–${quantile(ratios, 0.9).toFixed(3)}×, min–max ${Math.min(...ratios).toFixed(3)}–${Math.max(...ratios).toFixed(3)}×, load ${loadavg()[0].toFixed(2)}`;
  console.log(line);
  return {
    'cost ratio on ÷ off, median of per-round ratios': median(ratios),
    'cost ratio, 95 % CI of the median, low': lo,
    'cost ratio, 95 % CI of the median, high': hi,
    'cost ratio, p10 of per-round ratios': quantile(ratios, 0.1),
    'cost ratio, p90 of per-round ratios': quantile(ratios, 0.9),
    'load average (1 min)': loadavg()[0],
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The event loop's max and p99 delay (ms) while `fn` runs, from a fresh 1 ms-resolution histogram. */
async function loopDelay(fn: () => Promise<unknown>): Promise<{ max: number; p99: number }> {
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  await fn();
  h.disable();
  return { max: h.max / 1e6, p99: h.percentile(99) / 1e6 };
}

/**
 * `samples` fresh builds of /report.json (an execution completes and the cache has aged before
 * each): the request's time and the event loop's delay during it, that delay over an idle wait as
 * long right after, and over the same report built in one block.
 */
async function measureBuilds(samples: number): Promise<Record<string, number>> {
  const during: Array<{ max: number; p99: number }> = [];
  const idle: Array<{ max: number; p99: number }> = [];
  const oneBlock: number[] = [];
  const took: number[] = [];
  const load: number[] = [];
  let bytes = 0;
  let last = '';
  for (let i = 0; i < samples; i++) {
    executions(0, 1);
    await sleep(Math.max(1100, 12 * (took[i - 1] ?? 300))); // the live route keeps a report max(1 s, 10× its build time)
    let text = '';
    const t0 = performance.now();
    during.push(await loopDelay(async () => (text = await (await fetch(`${reportUrl}.json`)).text())));
    const ms = performance.now() - t0;
    const generatedAt = (JSON.parse(text) as { report: { generatedAt: string } }).report.generatedAt;
    if (generatedAt === last) throw new Error('bench: /report.json was served from its cache, not built');
    last = generatedAt;
    took.push(ms);
    bytes = Buffer.byteLength(text);
    idle.push(await loopDelay(() => sleep(ms)));
    // The peer: the same report (without the recorder's executions) built and serialized in one block, as before slicing.
    oneBlock.push(
      (
        await loopDelay(async () => {
          await sleep(1);
          JSON.stringify(sdk.buildReport({ executions: [], aggregator: sdk.getGlobalAggregator(), allWindows: true }));
          await sleep(1);
        })
      ).max,
    );
    load.push(loadavg()[0]);
  }
  // The steps themselves, run directly (warm): the longest one, and the export the windows start with.
  const aggregator = sdk.getGlobalAggregator();
  let longestStep = 0;
  let steps = 0;
  const gen = buildReportSteps({ executions: [], aggregator, allWindows: true });
  for (;;) {
    const t0 = performance.now();
    const step = gen.next();
    longestStep = Math.max(longestStep, performance.now() - t0);
    steps++;
    if (step.done) break;
  }
  const exportMs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    aggregator.exportMetrics(sdk.AggregationWindow.WEEK);
    exportMs.push(performance.now() - t0);
  }
  const figures = {
    'report.json build + serve (median), ms': median(took),
    'event-loop max delay during a build (median), ms': median(during.map((d) => d.max)),
    'event-loop max delay during a build (worst), ms': Math.max(...during.map((d) => d.max)),
    'event-loop p99 delay during a build (median), ms': median(during.map((d) => d.p99)),
    'event-loop max delay, idle wait as long (median), ms': median(idle.map((d) => d.max)),
    'event-loop max delay, idle wait as long (worst), ms': Math.max(...idle.map((d) => d.max)),
    'event-loop p99 delay, idle wait as long (median), ms': median(idle.map((d) => d.p99)),
    'event-loop max delay, the report built in one block (median), ms': median(oneBlock),
    'longest step of buildReportSteps() run directly, ms': longestStep,
    'steps of buildReportSteps()': steps,
    'exportMetrics(WEEK) warm (median of 5), ms': median(exportMs),
    'report.json, KB': bytes / 1024,
    'load average (1 min) during the builds, median': median(load),
  };
  console.log(`    builds at load ${load.map((l) => l.toFixed(2)).join(', ')}: during max ${during.map((d) => d.max.toFixed(1)).join(', ')} ms; idle max ${idle.map((d) => d.max.toFixed(1)).join(', ')} ms`);
  return figures;
}

export default defineScenario({
  name: 'report',
  description: 'the live report: the recorder on the hot path (paired rounds), and the event loop during /report.json builds',
  rounds: ROUNDS,
  warmupRounds: WARMUP,
  interleave: true,
  cases: [
    {
      group: 'hot path',
      name: 'agent-timing execution, recorder off',
      peer: true,
      ops: HOT_OPS,
      setup: () => start(false, [gate]),
      beforeRound: () => {
        gate.target = undefined;
      },
      run: () => timed(perRound.off),
      teardown: stop,
    },
    {
      group: 'hot path',
      name: 'agent-timing execution, recorder on',
      ops: HOT_OPS,
      setup: () => start(false, [gate]),
      beforeRound: () => {
        attach();
      },
      run: () => timed(perRound.on),
      afterRound: () => {
        detach();
      },
      measure: pairedRatios,
      teardown: stop,
      note: 'the same provider and gate in both; "on" forwards span ends and completions to one ReportRecorder',
    },
    {
      group: 'build',
      name: 'report: on, 45 000 executions in the hour',
      ops: BUILD_OPS,
      setup: () => start(true),
      run: () => chunked(BUILD_OPS),
      measure: async () => {
        collectGarbage();
        const heap = heapUsed() / 1e6;
        return { 'heap after rounds, MB': heap, ...(await measureBuilds(5)) };
      },
      teardown: stop,
      note: 'keeps 60 executions with their spans and lists 1 000: the heap figure includes them',
    },
  ],
});
