/**
 * What keeping executions for the live report costs the agent: a whole execution (20 phases, 3
 * parallel tasks, a first token, completed) with the default set-up, against the same set-up with
 * `report` on (50 recent + 10 slowest executions kept with their spans, 1 000 listed). The
 * recorder only stores references on the hot path (a span's end, an execution's completion); the
 * report itself is built when the page asks, measured here after the rounds (45 000 executions in
 * the aggregator's hour): the event loop's longest delay (monitorEventLoopDelay) while a fresh
 * /report.json is built and served, against its longest delay over an idle wait as long, in the
 * same process right after (the machine's own noise: on a loaded machine an idle loop is late
 * too), and against the same report built and serialized in one block (as before the build was
 * sliced; without the recorder's part, so it understates the old stall). Target: within noise of the default set-up (≤ 1.05×); a build's delay close to the idle one.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { collectGarbage, defineScenario, heapUsed, yieldToEventLoop } from './harness';
import { NullExporter, sdk } from './support/otel-peers';

const OPS = 5_000;
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

const chunked = async (): Promise<void> => {
  for (let from = 0; from < OPS; from += 20) {
    executions(from, Math.min(OPS, from + 20));
    await yieldToEventLoop();
  }
};

async function start(report: boolean): Promise<void> {
  telemetry = sdk.startAgentTelemetry({
    prometheus: { host: '127.0.0.1', port: 0 },
    otlp: false,
    spanProcessors: [new BatchSpanProcessor(new NullExporter())],
    ...(report ? { report: { printUrl: false } } : {}),
  });
  await telemetry.metricsEndpoint;
  reportUrl = (await telemetry.reportEndpoint).url;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * `samples` fresh builds of /report.json (an execution completes and the cache has aged before
 * each): the request's time, the event loop's longest delay during it, and that delay over an idle
 * wait as long right after (paired: the machine's load hits both).
 */
async function measureBuilds(samples: number): Promise<Record<string, number>> {
  const h = monitorEventLoopDelay({ resolution: 1 });
  const during: number[] = [];
  const idle: number[] = [];
  const took: number[] = [];
  const oneBlock: number[] = [];
  let bytes = 0;
  let last = '';
  for (let i = 0; i < samples; i++) {
    executions(0, 1);
    await sleep(Math.max(1100, 12 * (took[i - 1] ?? 300))); // the live route keeps a report max(1 s, 10× its build time)
    h.reset();
    h.enable();
    const t0 = performance.now();
    const res = await fetch(`${reportUrl}.json`);
    const text = await res.text();
    const ms = performance.now() - t0;
    h.disable();
    const generatedAt = (JSON.parse(text) as { report: { generatedAt: string } }).report.generatedAt;
    if (generatedAt === last) throw new Error('bench: /report.json was served from its cache, not built');
    last = generatedAt;
    during.push(h.max / 1e6);
    took.push(ms);
    bytes = Buffer.byteLength(text);
    h.reset();
    h.enable();
    await sleep(ms);
    h.disable();
    idle.push(h.max / 1e6);
    // The peer: the same report (without the recorder's executions) built and serialized in one block, as before slicing.
    h.reset();
    h.enable();
    await sleep(1);
    JSON.stringify(sdk.buildReport({ executions: [], aggregator: sdk.getGlobalAggregator(), allWindows: true }));
    await sleep(1);
    h.disable();
    oneBlock.push(h.max / 1e6);
  }
  return {
    'report.json build + serve (median of 5), ms': median(took),
    'event-loop max delay during a build (median), ms': median(during),
    'event-loop max delay during a build (worst), ms': Math.max(...during),
    'event-loop max delay, idle wait as long (median), ms': median(idle),
    'event-loop max delay, the report built in one block (median), ms': median(oneBlock),
    'report.json, KB': bytes / 1024,
  };
}

async function stop(): Promise<void> {
  await telemetry?.shutdown();
  telemetry = undefined;
  sdk.resetGlobalAggregator();
}

export default defineScenario({
  name: 'report',
  description: 'one execution with report: on (kept for the live page) vs the default set-up',
  rounds: 9,
  cases: [
    {
      name: 'agent-timing execution (default set-up)',
      peer: true,
      ops: OPS,
      setup: () => start(false),
      run: chunked,
      measure: () => {
        collectGarbage();
        return { 'heap after rounds, MB': heapUsed() / 1e6 };
      },
      teardown: stop,
    },
    {
      name: 'agent-timing execution, report: on',
      ops: OPS,
      setup: () => start(true),
      run: chunked,
      measure: async () => {
        collectGarbage();
        const heap = heapUsed() / 1e6;
        const builds = await measureBuilds(5);
        return { 'heap after rounds, MB': heap, ...builds };
      },
      teardown: stop,
      note: 'keeps 60 executions with their spans and lists 1 000: the heap figure includes them',
    },
  ],
});
