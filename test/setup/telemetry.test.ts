import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trace } from '@opentelemetry/api';
import { startAgentTelemetry, EnhancedExecutionTimingCollector, getGlobalAggregator, MetricType, AggregationWindow } from '../../src';
import { findProgram } from '../support/external-program';
import { startLoopbackServer } from '../support/loopback-server';
import { sleep } from '../support/time';
import { waitFor } from '../support/wait-for';
import { resetForTests } from '../../src/setup/reset-for-tests';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: Array<{ key: string; value: Record<string, unknown> }>;
}

function spansOf(bodies: unknown[]): OtlpSpan[] {
  const out: OtlpSpan[] = [];
  for (const body of bodies as Array<{ resourceSpans: Array<{ scopeSpans: Array<{ spans: OtlpSpan[] }> }> }>) {
    for (const rs of body.resourceSpans) for (const ss of rs.scopeSpans) out.push(...ss.spans);
  }
  return out;
}

const attr = (s: OtlpSpan, key: string) => {
  const v = s.attributes.find((a) => a.key === key)?.value;
  return v ? Object.values(v)[0] : undefined;
};

describe('startAgentTelemetry over the wire', () => {
  it('sends spans over OTLP/HTTP with parent links and serves the three histograms on /metrics', async () => {
    const received: unknown[] = [];
    const collector = await startLoopbackServer((req, res, body) => {
      if (req.url === '/v1/traces') received.push(JSON.parse(body.toString('utf8')));
      res.setHeader('content-type', 'application/json');
      res.end('{}');
    });
    resetForTests();
    const telemetry = startAgentTelemetry({
      serviceName: 'wire-test',
      prometheus: { host: '127.0.0.1', port: 0 },
      otlp: { url: `${collector.url}/v1/traces`, scheduledDelayMillis: 50 },
      sloThresholdsMs: { external_api: 250 },
    });
    try {
      const endpoint = await telemetry.metricsEndpoint;
      expect(endpoint.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);

      for (let i = 0; i < 3; i++) {
        const c = new EnhancedExecutionTimingCollector({ agentName: 'wire_agent' });
        c.startPhase('initialization');
        await sleep(5);
        c.stopPhase('initialization');
        await c.measure('lookup', MetricType.DATABASE_QUERY, () => sleep(5));
        c.recordFirstToken();
        c.complete({ success: i !== 2, error: i === 2 ? new Error('x') : undefined });
      }
      await telemetry.forceFlush();
      // forceFlush() exports what is still queued and waits for that, but not for an export the
      // 50 ms batch timer already started (the SDK's BatchSpanProcessor does not track it); when
      // the sleeps above ran long on a busy machine, that one may still be on the wire.
      const arrived = (name: string) => spansOf(received).filter((s) => s.name === name).length;
      await waitFor(() => arrived('invoke_agent wire_agent') >= 3 && arrived('initialization') >= 3, 5_000);

      const spans = spansOf(received);
      const roots = spans.filter((s) => s.name === 'invoke_agent wire_agent');
      expect(roots).toHaveLength(3);
      const init = spans.filter((s) => s.name === 'initialization');
      expect(init).toHaveLength(3);
      for (const s of init) {
        const parent = roots.find((r) => r.spanId === s.parentSpanId);
        expect(parent).toBeDefined();
        expect(parent!.traceId).toBe(s.traceId);
      }
      expect(attr(roots[0], 'gen_ai.agent.name')).toBe('wire_agent');
      expect(attr(init[0], 'agent_timing.phase.category')).toBe('initialization');

      const text = await (await fetch(endpoint.url!)).text();
      for (const name of ['agent_execution_duration_seconds', 'agent_phase_duration_seconds', 'agent_time_to_first_token_seconds']) {
        expect(text).toContain(`# TYPE ${name} histogram`);
      }
      expect(text).toMatch(/agent_execution_duration_seconds_count\{[^}]*gen_ai_agent_name="wire_agent"[^}]*agent_timing_outcome="success"[^}]*\} 2/);
      expect(text).toMatch(/agent_execution_duration_seconds_count\{[^}]*agent_timing_outcome="error"[^}]*\} 1/);
      expect(text).toMatch(/agent_phase_duration_seconds_bucket\{[^}]*agent_timing_category="initialization"/);
      // SLO thresholds are exact boundaries: the guide's three and the configured one.
      expect(text).toMatch(/agent_time_to_first_token_seconds_bucket\{[^}]*le="1"/);
      expect(text).toMatch(/agent_phase_duration_seconds_bucket\{[^}]*le="0.1"/);
      expect(text).toMatch(/agent_phase_duration_seconds_bucket\{[^}]*le="0.25"/);
      expect(text).toMatch(/agent_execution_duration_seconds_bucket\{[^}]*le="5"/);
      // No execution ids or metadata in labels.
      expect(text).not.toMatch(/execution_id|lookup/);

      // Completed executions fed the global aggregator exactly once each.
      expect(getGlobalAggregator().getAggregatedMetrics(MetricType.TOTAL_EXECUTION, AggregationWindow.MINUTE)?.count).toBe(3);
      expect(getGlobalAggregator().getAggregatedMetrics(MetricType.DATABASE_QUERY, AggregationWindow.MINUTE)?.count).toBe(3);

      const promtool = findProgram('promtool');
      if (promtool) {
        const dir = mkdtempSync(join(tmpdir(), 'at-metrics-'));
        try {
          const file = join(dir, 'metrics.txt');
          writeFileSync(file, text);
          // promtool lints names too; errors (not lint warnings) make it exit non-zero.
          execFileSync('sh', ['-c', `"${promtool}" check metrics < "${file}"`], { stdio: 'pipe' });
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      } else if (process.env.CI === 'true') {
        throw new Error('promtool not found: install the Debian package "prometheus"');
      } else {
        console.warn('SKIPPED promtool check metrics: install the Debian package "prometheus"');
      }
    } finally {
      await telemetry.shutdown();
      await collector.close();
    }
    expect(trace.getTracerProvider().getTracer('x').startSpan('after').isRecording()).toBe(false);
  });

  it('reports a port already in use without crashing, and keeps timing', async () => {
    const busy = await startLoopbackServer();
    const telemetry = startAgentTelemetry({ prometheus: { host: '127.0.0.1', port: busy.port }, otlp: false, aggregator: false });
    try {
      const status = await telemetry.metricsEndpoint;
      expect(status.url).toBeUndefined();
      expect((status.error as NodeJS.ErrnoException).code).toBe('EADDRINUSE');
      const c = new EnhancedExecutionTimingCollector({ agentName: 'still_works' });
      expect(c.complete().completed).toBe(true);
    } finally {
      await telemetry.shutdown();
      await busy.close();
    }
  });

  it('binds to loopback by default', async () => {
    const telemetry = startAgentTelemetry({ prometheus: { port: 0 }, otlp: false, aggregator: false });
    try {
      const { url } = await telemetry.metricsEndpoint;
      expect(url).toMatch(/^http:\/\/(127\.0\.0\.1|\[::1\]):\d+\/metrics$/);
    } finally {
      await telemetry.shutdown();
    }
  });

  it('throws clear errors for bad options, naming the option', () => {
    expect(() => startAgentTelemetry({ prometheus: { port: 70000 } })).toThrow(/prometheus\.port/);
    expect(() => startAgentTelemetry({ abandonAfterMs: -1 })).toThrow(/abandonAfterMs/);
    expect(() => startAgentTelemetry({ sloThresholdsMs: { total_execution: 0 } })).toThrow(/sloThresholdsMs\.total_execution/);
    expect(() => startAgentTelemetry({ otlp: { url: 'not a url' } })).toThrow(/otlp\.url/);
    expect(() => startAgentTelemetry({ prometeus: {} } as never)).toThrow(/unknown startAgentTelemetry option "prometeus"/);
  });

  it('shutdown is idempotent', async () => {
    const telemetry = startAgentTelemetry({ prometheus: false, otlp: false, aggregator: false });
    await telemetry.shutdown();
    await expect(telemetry.shutdown()).resolves.toBeUndefined();
  });
});
