/**
 * Bounded by count as well as time, and diag bounded (issue 13 items 4 and 5): executions in
 * flight, metric metadata and exportMetrics() size, the agent-name label budget across telemetry
 * restarts, and the diag lines a flood of bad input, a throwing aggregator or an OTLP backend
 * answering 500 can cause. Every loop is bounded; servers listen on 127.0.0.1, port 0.
 */
import { diag, DiagLogLevel } from '@opentelemetry/api';
import {
  AggregationWindow,
  EnhancedExecutionTimingCollector,
  getAgentTimingHealth,
  MetricsAggregator,
  MetricType,
  onExecutionComplete,
  startAgentTelemetry,
  type PerformanceMetric,
} from '../../src';
import { flushDiagSummaries, setDiagInterval } from '../../src/internal/diag';
import { limits } from '../../src/internal/limits';
import { labelsFor } from '../../src/metrics/label-limiter';
import { LABEL_AGENT, OVERFLOW_LABEL_VALUE } from '../../src/spans/names';
import { executionRegistry } from '../../src/api/execution-registry';
import { diagCapture } from './support/diag-capture';
import { startOtlpReceiver, waitFor } from './support/otlp-receiver';
import { resetForTests } from '../../src/setup/reset-for-tests';

let capture: ReturnType<typeof diagCapture>;
beforeEach(() => {
  capture = diagCapture();
  diag.setLogger(capture.logger, { logLevel: DiagLogLevel.INFO, suppressOverrideMessage: true });
  resetForTests();
});
afterEach(() => {
  diag.disable();
  setDiagInterval();
  resetForTests();
});

const ours = () => capture.logs.filter((l) => l.message.includes('agent-timing/'));

describe('executions in flight are bounded by count', () => {
  it('evicts the oldest beyond maxExecutionsInFlight, with one warning and a count', () => {
    limits.maxExecutionsInFlight = 100;
    limits.disabled = true; // no tracer needed: the registry alone is under test
    const started: EnhancedExecutionTimingCollector[] = [];
    for (let i = 0; i < 1_000; i++) started.push(new EnhancedExecutionTimingCollector({ agentName: 'abandoned' }));
    expect(executionRegistry.size).toBe(100);
    const health = getAgentTimingHealth();
    expect(health.evictedByCount).toBe(900);
    expect(health.evictedExecutions).toBe(900);
    // The newest are the ones kept; an evicted one completes as a no-op without throwing.
    expect(() => started[0].complete()).not.toThrow();
    expect(() => started[999].complete()).not.toThrow();
    expect(capture.at('warn').filter((m) => m.includes('executions in flight'))).toHaveLength(1);
  });

  it('is an option of startAgentTelemetry, validated at set-up', () => {
    expect(() => startAgentTelemetry({ maxExecutionsInFlight: 0, prometheus: false })).toThrow(/maxExecutionsInFlight must be a positive integer/);
    expect(() => startAgentTelemetry({ maxExecutionsInFlight: 10n as never, prometheus: false })).toThrow(/^agent-timing: .*maxExecutionsInFlight/);
  });
});

describe('metric metadata and exportMetrics() are bounded', () => {
  it('keeps a bounded copy of huge metadata, so the export stays small', () => {
    const huge: Record<string, string> = {};
    for (let i = 0; i < 100_000; i++) huge[`k${i}`] = `value-${i}`;
    const agg = new MetricsAggregator();
    for (let i = 0; i < 20; i++) agg.addMetric({ metricType: MetricType.TOOL_EXECUTION, value: i, timestamp: Date.now(), metadata: huge });
    const exported = agg.exportMetrics(AggregationWindow.HOUR);
    expect(exported).toHaveLength(20);
    for (const m of exported) expect(Object.keys(m.metadata!).length).toBeLessThanOrEqual(limits.maxMetadataKeys);
    expect(JSON.stringify(exported).length).toBeLessThan(20 * (limits.maxMetadataChars + 500));
    // The caller's object is not kept: changing it later does not change what was recorded.
    huge.k0 = 'changed';
    expect(agg.exportMetrics(AggregationWindow.HOUR)[0].metadata!.k0).toBe('value-0');
  });

  it('bounds long strings and deep nesting in metadata by characters', () => {
    const agg = new MetricsAggregator();
    const metadata = { a: 'x'.repeat(5_000_000), nested: { b: 'y'.repeat(100_000), list: new Array(10_000).fill('z'.repeat(1_000)) } };
    agg.addMetric({ metricType: MetricType.TOOL_EXECUTION, value: 1, timestamp: Date.now(), metadata });
    const text = JSON.stringify(agg.exportMetrics(AggregationWindow.HOUR));
    expect(text.length).toBeLessThan(limits.maxMetadataChars + 1_000);
  });
});

describe('the agent-name label budget belongs to the telemetry instance', () => {
  it('is released on shutdown(): a new telemetry labels a new agent by its name', async () => {
    const first = startAgentTelemetry({ prometheus: false, maxAgentNames: 100, instrumentations: [] });
    for (let i = 0; i < 100; i++) labelsFor(`agent-${i}`, 'success');
    expect(labelsFor('one-too-many', 'success').base[LABEL_AGENT]).toBe(OVERFLOW_LABEL_VALUE);
    await first.shutdown();
    const second = startAgentTelemetry({ prometheus: false, instrumentations: [] });
    try {
      expect(labelsFor('after-restart', 'success').base[LABEL_AGENT]).toBe('after-restart');
      expect(getAgentTimingHealth().agentLabelValues).toBe(1);
    } finally {
      await second.shutdown();
    }
  });
});

describe('diag is bounded', () => {
  const complete = (n: number) => {
    for (let i = 0; i < n; i++) new EnhancedExecutionTimingCollector({ agentName: 'diag' }).complete();
  };

  it('onExecutionComplete(42) then 1 000 completions: one line, not 1 000', () => {
    limits.disabled = true;
    onExecutionComplete(42 as never);
    complete(1_000);
    expect(ours().length).toBe(1);
    expect(ours()[0].message).toMatch(/onExecutionComplete\(\) needs a function, got 42/);
  });

  it('a throwing aggregator: a burst of lines, then one summary with the count', () => {
    limits.disabled = true;
    const sink = {
      addMetric: () => undefined,
      addTimingBreakdown: () => {
        throw new Error('aggregator down: postgres://agg:s3cr3t-pw@db/metrics');
      },
    };
    for (let i = 0; i < 10_000; i++) new EnhancedExecutionTimingCollector({ agentName: 'diag', aggregator: sink }).complete();
    const errors = () => capture.at('error').filter((m) => m.includes('aggregator threw') && !/\d+ more like/.test(m));
    expect(errors().length).toBeLessThanOrEqual(5);
    flushDiagSummaries(); // what the timer (or shutdown) does when the interval ends
    const summary = capture.at('error').find((m) => /\d+ more like/.test(m))!;
    expect(Number(/(\d+) more like/.exec(summary)![1]) + errors().length).toBe(10_000);
    expect(capture.logs.map((l) => l.message).join('\n')).not.toContain('s3cr3t-pw');
    expect(getAgentTimingHealth().suppressedDiagLines).toBe(10_000 - errors().length);
  });

  it('the summary comes on its own when the interval ends', async () => {
    setDiagInterval(50);
    const unsubscribe = onExecutionComplete(() => {
      throw new Error('listener down');
    });
    limits.disabled = true;
    complete(20);
    unsubscribe();
    expect(capture.at('error').filter((m) => m.includes('listener threw'))).toHaveLength(5);
    expect(await waitFor(() => capture.at('error').some((m) => m.includes('15 more like')), 10_000)).toBe(true);
  });

  it('a 5 MB metricType or name becomes a short line, and secrets passed as names are not logged', () => {
    const agg = new MetricsAggregator();
    agg.addMetric({ metricType: 'x'.repeat(5_000_000), value: 1, timestamp: Date.now() } as unknown as PerformanceMetric);
    agg.addMetric({ metricType: 'Bearer sk-live-abcdefghijklmnop', value: 1, timestamp: Date.now() } as unknown as PerformanceMetric);
    const c = new EnhancedExecutionTimingCollector({ agentName: 'diag' });
    c.stopPhase(`${'n'.repeat(5_000_000)}`);
    c.stopParallelTask('postgres://u:hunter2-pw@db/x');
    c.complete();
    expect(ours().length).toBeGreaterThan(0);
    for (const line of ours()) expect(line.message.length).toBeLessThan(2_000);
    const all = capture.logs.map((l) => l.message).join('\n');
    expect(all).not.toContain('sk-live-abcdefghijklmnop');
    expect(all).not.toContain('hunter2-pw');
  });

  it('an OTLP backend answering 500: export failures are rate-limited', async () => {
    const receiver = await startOtlpReceiver('500');
    const telemetry = startAgentTelemetry({
      prometheus: false,
      instrumentations: [],
      otlp: { url: receiver.url, scheduledDelayMillis: 5, timeoutMillis: 2_000 },
    });
    try {
      // Keep the exporter busy failing until it has been refused many times.
      const refused = await waitFor(() => {
        complete(5);
        return receiver.requests >= 30;
      }, 60_000);
      expect(refused).toBe(true);
      const exportErrors = capture.logs.filter((l) => l.message.includes('agent-timing/export'));
      expect(exportErrors.length).toBeGreaterThan(0);
      expect(exportErrors.length).toBeLessThanOrEqual(5);
    } finally {
      await telemetry.shutdown();
      await receiver.stop();
    }
  }, 90_000);
});
