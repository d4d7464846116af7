/**
 * Redaction reaches everywhere a value goes (issue 13 item 2): secrets nested at any depth, in
 * arrays, and credential-shaped values under innocent keys, checked on the wire (the OTLP bodies a
 * loopback receiver got), in exportMetrics(), in the aggregator's own addMetric(), in recorded
 * exception messages and in diag lines.
 */
import { diag, DiagLogLevel } from '@opentelemetry/api';
import {
  AggregationWindow,
  EnhancedExecutionTimingCollector,
  getGlobalAggregator,
  MetricsAggregator,
  MetricType,
  startAgentTelemetry,
} from '../../src';
import { diagCapture } from './support/diag-capture';
import { startOtlpReceiver, type OtlpReceiver } from './support/otlp-receiver';
import { resetForTests } from '../../src/setup/reset-for-tests';

const SECRETS = ['sk-nested-0123456789', 'pw-deep-hunter2', 'tok-array-777', 'dsn-pass-5150', 'sk-proj-innocentkey99', 'ghp_abcdefghijklmnopqrstuvwxyz0123'];

const NESTED = {
  request: { headers: { authorization: `Bearer ${SECRETS[0]}`, accept: 'application/json' } },
  config: { db: { connection: { password: SECRETS[1] } } },
  attempts: [{ token: SECRETS[2] }, { ok: true }],
  // Innocent keys, secret-shaped values.
  database: `postgres://app:${SECRETS[3]}@db.internal:5432/orders`,
  note: `retry with ${SECRETS[4]}`,
  list: ['plain', SECRETS[5]],
  model: 'gpt-safe-model',
};

let receiver: OtlpReceiver;
beforeAll(async () => {
  receiver = await startOtlpReceiver('ok', { keepBodies: true });
});
afterAll(() => receiver.stop());

it('no nested or value-shaped secret leaves the process: OTLP bodies, exportMetrics(), exception messages, diag', async () => {
  const capture = diagCapture();
  diag.setLogger(capture.logger, { logLevel: DiagLogLevel.DEBUG, suppressOverrideMessage: true });
  resetForTests();
  const telemetry = startAgentTelemetry({ prometheus: false, otlp: { url: receiver.url, scheduledDelayMillis: 20 }, instrumentations: [] });
  try {
    const c = new EnhancedExecutionTimingCollector({ agentName: 'nested_agent', attributes: NESTED as never });
    c.startPhase('tool_execution', { toolName: 'lookup', ...NESTED }).stop();
    c.addMetric(MetricType.TOOL_EXECUTION, 5, NESTED);
    const failing = c.startPhase('db_call');
    c.stopPhase('missing Bearer sk-from-a-name-123456');
    failing.stop();
    c.complete({ success: false, error: new Error(`connect ${NESTED.database} failed: ${NESTED.request.headers.authorization}`) });
    getGlobalAggregator().addMetric({ metricType: MetricType.LLM_PROCESSING, value: 3, timestamp: Date.now(), metadata: NESTED });
    await telemetry.forceFlush();
  } finally {
    await telemetry.shutdown();
    diag.disable();
  }
  const wire = receiver.bodies.join('\n');
  expect(wire).toContain('gpt-safe-model'); // the safe parts are exported
  expect(wire).toContain('db.internal:5432');
  const exported = JSON.stringify(getGlobalAggregator().exportMetrics(AggregationWindow.HOUR));
  expect(exported).toContain('gpt-safe-model');
  const logs = capture.logs.map((l) => l.message).join('\n');
  for (const secret of [...SECRETS, 'sk-from-a-name-123456']) {
    expect(wire).not.toContain(secret);
    expect(exported).not.toContain(secret);
    expect(logs).not.toContain(secret);
  }
});

it("the aggregator's own addMetric() redacts nested metadata", () => {
  const agg = new MetricsAggregator();
  agg.addMetric({ metricType: MetricType.TTFT, value: 1, timestamp: Date.now(), metadata: { password: 'pw-top', nested: { api_key: 'k-nested' } } });
  expect(agg.exportMetrics(AggregationWindow.HOUR)[0].metadata).toEqual({ password: '[REDACTED]', nested: { api_key: '[REDACTED]' } });
});

it('exception messages can be left unredacted by option', async () => {
  const local = await startOtlpReceiver('ok', { keepBodies: true });
  const telemetry = startAgentTelemetry({
    prometheus: false,
    otlp: { url: local.url, scheduledDelayMillis: 20 },
    instrumentations: [],
    redaction: { exceptionMessages: false },
  });
  try {
    const c = new EnhancedExecutionTimingCollector({ agentName: 'exc' });
    c.complete({ success: false, error: new Error('token Bearer keep-me-visible-123') });
    await telemetry.forceFlush();
  } finally {
    await telemetry.shutdown();
    await local.stop();
  }
  expect(local.bodies.join('\n')).toContain('keep-me-visible-123');
});
