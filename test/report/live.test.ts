import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { EnhancedExecutionTimingCollector, MetricsAggregator, ReportRecorder, buildReport, startAgentTelemetry } from '../../src';
import { onExecutionComplete } from '../../src/api/completion';
import { buildReportSteps } from '../../src/report/build';
import { scriptJson } from '../../src/report/html';
import { scriptJsonSteps } from '../../src/report/json-steps';
import { LiveReport, resolveLiveReportOptions, type ReportSnapshot } from '../../src/report/live';

// The live report's build is cooperative: it runs in slices with a turn of the event loop between
// them, concurrent requests share one build, and shutdown ends it cleanly. Real recorder, real
// aggregator, real collectors and a real HTTP server; counts are asserted, never times.

const PHASES = ['initialization', 'database_query', 'tool_execution', 'llm_processing', 'external_api'];

function executions(tracer: ReturnType<BasicTracerProvider['getTracer']>, n: number): void {
  for (let i = 0; i < n; i++) {
    const c = new EnhancedExecutionTimingCollector({ agentName: 'bot', tracer });
    for (let k = 0; k < 10; k++) {
      c.startPhase(PHASES[k % 5]);
      c.stopPhase(PHASES[k % 5]);
    }
    c.recordFirstToken();
    c.complete();
  }
}

interface Rig {
  live: LiveReport;
  url: string;
  provider: BasicTracerProvider;
  tracer: ReturnType<BasicTracerProvider['getTracer']>;
  close(): Promise<void>;
}

/** A LiveReport (one step per slice) served by a plain HTTP server, fed by real collectors. */
async function rig(n: number): Promise<Rig> {
  const aggregator = new MetricsAggregator();
  const unsubscribe = onExecutionComplete((b) => aggregator.addTimingBreakdown(b));
  const live = new LiveReport(resolveLiveReportOptions({ printUrl: false, recentEveryMs: 0 })!, aggregator, { serviceName: 'svc', sliceMs: 0 });
  const provider = new BasicTracerProvider({ spanProcessors: [live.recorder] });
  const tracer = provider.getTracer('agent-timing');
  executions(tracer, n);
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (!live.handle(path, req, res)) res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/report`;
  return {
    live,
    url,
    provider,
    tracer,
    close: async () => {
      unsubscribe();
      await provider.shutdown();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Counts turns of the event loop (setImmediate callbacks) until stopped. */
function ticker(): { stop(): number } {
  let ticks = 0;
  let on = true;
  const tick = (): void => {
    ticks++;
    if (on) setImmediate(tick);
  };
  setImmediate(tick);
  return {
    stop: () => {
      on = false;
      return ticks;
    },
  };
}

describe('live report build', () => {
  const cm = new AsyncLocalStorageContextManager().enable();
  beforeAll(() => context.setGlobalContextManager(cm));
  afterAll(() => {
    context.disable();
    trace.disable();
  });

  it('serializes in steps to exactly scriptJson()', () => {
    const value = {
      version: 3,
      skipped: undefined,
      fn: () => 1,
      report: { title: '</script><script>alert(1)</script> & \u2028', list: Array.from({ length: 250 }, (_, i) => ({ i, ms: i / 3, gone: undefined })), empty: [], nested: { a: [1, null, undefined], d: new Date(0) } },
      waterfalls: Object.assign(Object.create(null) as Record<string, unknown>, { 'e-1': [{ name: '<img src=x onerror=alert(1)>', startMs: 0.1234567 }] }),
    };
    const steps = scriptJsonSteps(value);
    let count = 0;
    let step = steps.next();
    for (; !step.done; step = steps.next()) count++;
    expect(step.value).toBe(scriptJson(value));
    expect(count).toBeGreaterThan(5); // 250 elements in five pieces, and the members one by one
  });

  it('a recorder snapshot taken in steps stays consistent while executions complete between the steps', async () => {
    const recorder = new ReportRecorder({ recentExecutions: 2, slowestExecutions: 1, listedExecutions: 600, recentEveryMs: 0 });
    const provider = new BasicTracerProvider({ spanProcessors: [recorder] });
    const tracer = provider.getTracer('agent-timing');
    const totals = new Map<string, number>();
    const unsubscribe = onExecutionComplete((b) => totals.set(b.executionId, b.totalMs));
    try {
      executions(tracer, 600);
      const steps = recorder.snapshotSteps();
      let step = steps.next();
      let count = 0;
      for (; !step.done; step = steps.next()) {
        executions(tracer, 400); // overwrites two thirds of the ring between two steps, ahead of where it is read
        count++;
      }
      expect(count).toBeGreaterThanOrEqual(2); // the ring is read in pieces
      expect(step.value.executions.length).toBeGreaterThanOrEqual(600);
      for (const e of step.value.executions) expect(e.breakdown.totalMs).toBe(totals.get(e.breakdown.executionId));
    } finally {
      unsubscribe();
      await provider.shutdown();
    }
  });

  it('builds in steps the same report as buildReport()', async () => {
    const r = await rig(60);
    try {
      const { executions: list } = r.live.recorder.snapshot();
      const aggregator = (r.live as unknown as { aggregator: MetricsAggregator }).aggregator;
      const steps = buildReportSteps({ executions: list, aggregator, allWindows: true });
      let count = 0;
      let step = steps.next();
      for (; !step.done; step = steps.next()) count++;
      const whole = buildReport({ executions: list, aggregator, allWindows: true });
      expect({ ...step.value, generatedAt: '' }).toEqual({ ...whole, generatedAt: '' });
      expect(whole.windows).toHaveLength(5);
      expect(whole.windows![2].slo.length).toBeGreaterThan(0);
      // The hour's view is the headline; its shares count the executions the aggregator saw.
      const hour = whole.windows![2];
      expect(hour.breakdown!.executions).toBe(60);
      expect(hour.breakdown!.categories.reduce((a, c) => a + c.percent, 0)).toBeCloseTo(100, 6);
      expect(whole.bottlenecks).toEqual(hour.bottlenecks);
      expect(whole.anomalies).toEqual(hour.anomalies);
      expect(whole.trends.items).toEqual(hour.trends);
      // A step per window and section at least, besides the export's and the rest.
      expect(count).toBeGreaterThanOrEqual(20 + 5 * 4);
    } finally {
      await r.close();
    }
  });

  it('runs in slices with the event loop turning between them, and concurrent requests share one build', async () => {
    const r = await rig(300);
    try {
      const t = ticker();
      const bodies = await Promise.all(Array.from({ length: 5 }, () => fetch(`${r.url}.json`).then((res) => res.text())));
      const ticks = t.stop();
      const s = r.live.stats();
      expect(s.requests).toBe(5);
      expect(s.builds).toBe(1);
      // The other four waited for that build (or, on a machine too busy to read them during it, took the report it made).
      expect(s.joined + s.cached).toBe(4);
      expect(s.joined).toBeGreaterThanOrEqual(1);
      // Three sliced runs one after the other (the recorder's snapshot, the report, its JSON): a turn after every slice but their last.
      expect(s.yields).toBe(s.slices - 3);
      expect(s.slices).toBeGreaterThan(50); // each kept execution's waterfall is a step of its own
      expect(ticks).toBeGreaterThanOrEqual(s.yields); // the loop really turned at each yield
      for (const b of bodies.slice(1, 5)) expect(b).toBe(bodies[0]);
      const snap = JSON.parse(bodies[0]) as ReportSnapshot;
      expect(snap.report.executions).toHaveLength(300);
      const kept = Object.keys(snap.waterfalls).length; // at most the 50 recent and the 10 slowest
      expect(kept).toBeGreaterThan(0);
      expect(kept).toBeLessThanOrEqual(60);
      // The page's data is serialized in slices too.
      const page = await fetch(r.url).then((res) => res.text());
      expect(page).toContain('<script id="report-data" type="application/json">');
      expect(r.live.stats().slices).toBeGreaterThan(s.slices + 10);
    } finally {
      await r.close();
    }
  });

  it('answers 503 to the requests of a build in progress when shutdown begins, and to later ones', async () => {
    const r = await rig(200);
    try {
      const pending = fetch(`${r.url}.json`);
      // Wait until the build is under way (it yields after every step).
      while (r.live.stats().slices < 5) await new Promise((resolve) => setImmediate(resolve));
      const slicesAtShutdown = r.live.stats().slices;
      await r.live.recorder.shutdown(); // what the tracer provider does at telemetry.shutdown()
      const res = await pending;
      expect(res.status).toBe(503);
      expect(await res.text()).toContain('shutting down');
      expect(r.live.stats().slices).toBeLessThanOrEqual(slicesAtShutdown + 1); // it stopped at its next slice
      const later = await fetch(`${r.url}.json`);
      expect(later.status).toBe(503);
      await later.text();
      expect(r.live.stats()).toMatchObject({ builds: 1, shuttingDown: 2 });
    } finally {
      await r.close();
    }
  });

  it('telemetry.shutdown() with a /report.json request in flight resolves, and the request ends', async () => {
    const telemetry = startAgentTelemetry({ prometheus: { host: '127.0.0.1', port: 0 }, otlp: false, registerGlobal: false, report: { printUrl: false, recentEveryMs: 0 } });
    try {
      const { url } = await telemetry.reportEndpoint;
      expect(url).toBeDefined();
      const pending = fetch(`${url}.json`).then(
        async (res) => ({ status: res.status, body: await res.text() }),
        (err: unknown) => ({ status: 0, body: String(err) }),
      );
      await new Promise((resolve) => setImmediate(resolve));
      await telemetry.shutdown();
      const outcome = await pending;
      // Built before shutdown reached it (200), stopped by it (503), or cut by the server's close: never left hanging.
      expect([0, 200, 503]).toContain(outcome.status);
    } finally {
      await telemetry.shutdown();
    }
  });
});
