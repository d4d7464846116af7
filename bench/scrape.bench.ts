/**
 * The /metrics scrape at 2 208 series, the issue's ~2 200 (69 agents × 2 outcomes × 16 series of
 * our four histograms: execution, 9 categories, TTFT, 5 operation categories), side by side with prom-client on the same series, the same
 * buckets and the same labels (scope labels included, as default labels):
 *
 * - serialize: the text of one scrape, from collection to bytes — prom-client's
 *   `registry.metrics()` (peer), agent-timing (collect + PrometheusTextSerializer, what the
 *   endpoint runs in slices), and the exporter's PrometheusSerializer that served /metrics before.
 *   Goal: agent-timing ≤ 0.2× prom-client.
 * - HTTP scrape: a whole GET over loopback, with the event loop's worst delay during the rounds
 *   (prom-client served by a plain http server, as its README shows).
 * - execution while scraped: one execution (8 phases, TTFT) with /metrics scraped every 2 s
 *   during the round, against the same executions unscraped (peer). Goal: ≤ 5 % more.
 *
 * The telemetry is started with maxAgentNames 10 000 and setup checks that the scrape really has
 * 2 208 series, so no agent-label budget spent by an earlier scenario in this process can shrink
 * it (run.ts --processes=N runs it in fresh processes anyway).
 */
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import type { MetricReader } from '@opentelemetry/sdk-metrics';
import { Histogram as PromHistogram, Registry } from 'prom-client';
import { defineScenario, yieldToEventLoop } from './harness';
import { sdk } from './support/otel-peers';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PrometheusTextSerializer } = require('../dist/cjs/setup/prometheus-serializer.js') as typeof import('../src/setup/prometheus-serializer');

const AGENTS = 69;
// Per agent: 2 outcomes × (execution + 9 categories + TTFT + 5 operation categories) = 32 series.
const SERIES = AGENTS * 32;
const PHASES = ['initialization', 'tool_execution', 'llm_processing', 'websocket_notification', 'database_query', 'external_api', 'queue_wait', 'step'];

type Telemetry = ReturnType<typeof sdk.startAgentTelemetry>;
let telemetry: Telemetry | undefined;
let users = 0;
let url = '';
let reader: MetricReader;

function execution(agent: number, success: boolean): void {
  const c = new sdk.EnhancedExecutionTimingCollector({ agentName: `agent_${agent}` });
  for (const p of PHASES) {
    c.startPhase(p);
    c.stopPhase(p);
  }
  c.recordFirstToken();
  c.complete({ success });
}

/** One telemetry with the 2 208 series, shared by the cases that need it (started once, stopped by the last). */
async function acquireTelemetry(): Promise<void> {
  users++;
  if (telemetry) return;
  telemetry = sdk.startAgentTelemetry({ prometheus: { host: '127.0.0.1', port: 0 }, otlp: false, aggregator: false, instrumentations: [], maxAgentNames: 10_000 });
  url = (await telemetry.metricsEndpoint).url!;
  for (let a = 0; a < AGENTS; a++) for (const success of [true, false]) execution(a, success);
  const text = await (await fetch(url)).text();
  const series = text.split('\n').filter((l) => /^agent_\w+_count[{ ]/.test(l)).length;
  if (series !== SERIES) throw new Error(`scrape bench: expected ${SERIES} series on /metrics, found ${series} (an agent-label budget left by an earlier scenario?)`);
  reader = (telemetry.meterProvider as unknown as { _sharedState: { metricCollectors: { _metricReader: MetricReader }[] } })._sharedState.metricCollectors[0]._metricReader;
}

async function releaseTelemetry(): Promise<void> {
  if (--users > 0) return;
  await telemetry?.shutdown();
  telemetry = undefined;
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

let promServer: Server | undefined;
let promUrl = '';
const sizes: Record<string, number> = {};
let loopDelay: IntervalHistogram | undefined;

const delayFigure = () => ({ eventLoopMaxDelayMs: loopDelay ? loopDelay.max / 1e6 : 0 });
const startDelay = () => {
  loopDelay = monitorEventLoopDelay({ resolution: 5 });
  loopDelay.enable();
};

/**
 * The scraper of the "while scraped" case reads the response off a raw socket and discards it, as
 * Prometheus reads it in its own process: parsing 9 MB of HTTP in this process (fetch) would be
 * charged to the agent; serving it is what we measure.
 */
let scrapeTimer: NodeJS.Timeout | undefined;
let scrapesDone = 0;
let inflight: Promise<void> = Promise.resolve();
const scrapeNow = () => {
  const { hostname, port, pathname } = new URL(url);
  inflight = new Promise<void>((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => socket.write(`GET ${pathname} HTTP/1.1\r\nHost: ${hostname}\r\nConnection: close\r\n\r\n`));
    socket.on('data', () => undefined);
    socket.once('close', () => {
      scrapesDone++;
      resolve();
    });
    socket.once('error', () => resolve());
  });
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

export default defineScenario({
  name: 'scrape',
  description: '/metrics at 2 208 series: serialization and HTTP scrape vs prom-client, event-loop delay, executions while scraped',
  interleave: true,
  rounds: 7,
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
      name: 'agent-timing (collect + PrometheusTextSerializer)',
      ops: 1,
      setup: acquireTelemetry,
      run: async () => {
        const { resourceMetrics } = await reader.collect();
        const task = serializers.default.start(resourceMetrics);
        let bytes = 0;
        for (let c = task.next(Infinity); c !== undefined; c = task.next(Infinity)) bytes += c.length;
        sizes.ours = bytes;
      },
      measure: () => ({ responseBytes: sizes.ours }),
      teardown: releaseTelemetry,
    },
    {
      group: 'serialize 2 208 series',
      name: 'agent-timing, withoutScopeInfo',
      ops: 1,
      setup: acquireTelemetry,
      run: async () => {
        const { resourceMetrics } = await reader.collect();
        const task = serializers.withoutScopeInfo.start(resourceMetrics);
        let bytes = 0;
        for (let c = task.next(Infinity); c !== undefined; c = task.next(Infinity)) bytes += c.length;
        sizes.withoutScope = bytes;
      },
      measure: () => ({ responseBytes: sizes.withoutScope }),
      teardown: releaseTelemetry,
    },
    {
      group: 'serialize 2 208 series',
      name: 'exporter PrometheusSerializer (before)',
      ops: 1,
      setup: acquireTelemetry,
      run: async () => {
        const { resourceMetrics } = await reader.collect();
        sizes.exporter = Buffer.byteLength(new PrometheusSerializer(undefined, false, undefined, false, false).serialize(resourceMetrics));
      },
      measure: () => ({ responseBytes: sizes.exporter }),
      teardown: releaseTelemetry,
    },
    {
      group: 'HTTP scrape 2 208 series',
      name: 'prom-client on node:http',
      peer: true,
      ops: 5,
      setup: async () => {
        await acquireTelemetry();
        const reg = await promClientRegistry();
        promServer = createServer((_req, res) => {
          void reg.metrics().then((body) => res.writeHead(200, { 'content-type': reg.contentType }).end(body));
        });
        await new Promise<void>((r) => promServer!.listen(0, '127.0.0.1', r));
        promUrl = `http://127.0.0.1:${(promServer.address() as AddressInfo).port}/metrics`;
        startDelay();
      },
      beforeRound: () => loopDelay?.reset(),
      run: async () => {
        for (let i = 0; i < 5; i++) sizes.promHttp = (await (await fetch(promUrl)).arrayBuffer()).byteLength;
      },
      measure: () => ({ responseBytes: sizes.promHttp, ...delayFigure() }),
      teardown: async () => {
        loopDelay?.disable();
        await new Promise((r) => promServer?.close(r));
        await releaseTelemetry();
      },
      exclusive: true,
    },
    {
      group: 'HTTP scrape 2 208 series',
      name: 'agent-timing /metrics',
      ops: 5,
      setup: async () => {
        await acquireTelemetry();
        startDelay();
      },
      beforeRound: () => loopDelay?.reset(),
      run: async () => {
        for (let i = 0; i < 5; i++) sizes.oursHttp = (await (await fetch(url)).arrayBuffer()).byteLength;
      },
      measure: () => ({ responseBytes: sizes.oursHttp, ...delayFigure() }),
      teardown: async () => {
        loopDelay?.disable();
        await releaseTelemetry();
      },
      exclusive: true,
    },
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
      beforeRound: () => {
        scrapeNow();
        scrapeTimer = setInterval(scrapeNow, 2000);
      },
      afterRound: async () => {
        clearInterval(scrapeTimer);
        await inflight; // a scrape still being served must not spill into the peer's round
      },
      run: executionsScraped,
      measure: () => ({ scrapes: scrapesDone }),
      teardown: releaseTelemetry,
      note: 'one scrape starts with each round, then one every 2 s (a round shorter than 2 s pays a whole scrape: conservative)',
    },
  ],
});

const serializers = {
  default: new PrometheusTextSerializer(),
  withoutScopeInfo: new PrometheusTextSerializer({ withoutScopeInfo: true }),
};
