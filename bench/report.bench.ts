/**
 * What keeping executions for the live report costs the agent: a whole execution (20 phases, 3
 * parallel tasks, a first token, completed) with the default set-up, against the same set-up with
 * `report` on (50 recent + 10 slowest executions kept with their spans, 1 000 listed). The
 * recorder only stores references on the hot path (a span's end, an execution's completion); the
 * report itself is built when the page asks, measured here once as "report.json build".
 * Target: within noise of the default set-up (≤ 1.05×).
 */
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
        const t0 = performance.now();
        const res = await fetch(`${reportUrl}.json`);
        const bytes = (await res.arrayBuffer()).byteLength;
        return { 'heap after rounds, MB': heap, 'report.json build + serve, ms': performance.now() - t0, 'report.json, KB': bytes / 1024 };
      },
      teardown: stop,
      note: 'keeps 60 executions with their spans and lists 1 000: the heap figure includes them',
    },
  ],
});
