/**
 * Promise 7 — privacy. Phase metadata is redacted before it becomes span attributes (password,
 * secret, token, authorization, API keys… by default); a user hook can replace the rule, and a
 * throwing hook still yields the span; user ids appear only on spans, hashed on request; nothing
 * of metadata reaches metric labels. Checked on the wire: the OTLP bodies a loopback receiver
 * got, the /metrics text, and the aggregator's export.
 */
import { createHash } from 'node:crypto';
import {
  AggregationWindow,
  EnhancedExecutionTimingCollector,
  getAgentTimingHealth,
  getGlobalAggregator,
  MetricType,
  startAgentTelemetry,
  type AgentTelemetryOptions,
} from '../../src';
import { SupervisorObservability } from '../../src/agents/supervisor-observability';
import { otlpAttr, startOtlpReceiver, type OtlpReceiver, type OtlpSpan } from './support/otlp-receiver';
import { parsePrometheus } from './support/prometheus-text';
import { resetForTests } from '../../src/setup/reset-for-tests';

/** Values that must never leave the process in clear. */
const SECRETS = {
  password: 'pw-hunter2-secret-value',
  secret: 'sv-0f9e8d7c',
  token: 'tk-abcdef123',
  authorization: 'Bearer az-9876',
  api_key: 'sk-apikey-one',
  'API Key': 'sk-apikey-two',
  apiKey: 'sk-apikey-three',
  'x-api-key': 'sk-apikey-four',
  access_token: 'tk-access-555',
  client_secret: 'cs-client-777',
  Cookie: 'ck-session-42',
};
const SAFE = { model: 'gpt-x-safe-model', temperature: 0.2, category: 'not-a-category-label' };
const ALLOWED_LABELS = ['gen_ai_agent_name', 'agent_timing_category', 'agent_timing_outcome', 'le', 'otel_scope_name', 'otel_scope_version'];

let receiver: OtlpReceiver;
beforeAll(async () => {
  receiver = await startOtlpReceiver('ok', { keepBodies: true });
});
afterAll(() => receiver.stop());

/** Runs fn under its own telemetry, then returns what left the process: OTLP bodies and /metrics. */
async function withTelemetry(options: AgentTelemetryOptions, fn: () => void): Promise<{ wire: string; metrics: string; spans: OtlpSpan[] }> {
  receiver.bodies.length = 0;
  receiver.spans.length = 0;
  const telemetry = startAgentTelemetry({
    prometheus: { host: '127.0.0.1', port: 0 },
    otlp: { url: receiver.url, scheduledDelayMillis: 20 },
    instrumentations: [],
    ...options,
  });
  try {
    const { url } = await telemetry.metricsEndpoint;
    fn();
    await telemetry.forceFlush();
    const metrics = await (await fetch(url!)).text();
    return { wire: receiver.bodies.join('\n'), metrics, spans: [...receiver.spans] };
  } finally {
    await telemetry.shutdown();
  }
}

const span = (spans: OtlpSpan[], name: string) => spans.find((s) => s.name === name)!;

describe('default redaction', () => {
  let out: { wire: string; metrics: string; spans: OtlpSpan[] };
  let executionId: string;

  beforeAll(async () => {
    resetForTests();
    out = await withTelemetry({}, () => {
      const c = new EnhancedExecutionTimingCollector({ agentName: 'private_agent', attributes: { 'user.id': 'alice@example.com' } });
      executionId = c.executionId;
      c.startPhase('tool_execution', { toolName: 'crm_lookup', ...SECRETS, ...SAFE });
      c.stopPhase('tool_execution');
      c.addMetric(MetricType.LLM_PROCESSING, 12, { password: SECRETS.password, model: SAFE.model });
      c.complete();
    });
  });

  it('replaces the values of sensitive keys on span attributes, keeping the rest', () => {
    const tool = span(out.spans, 'execute_tool crm_lookup');
    for (const key of Object.keys(SECRETS)) expect(otlpAttr(tool, key)).toBe('[REDACTED]');
    expect(otlpAttr(tool, 'model')).toBe(SAFE.model);
    expect(otlpAttr(tool, 'temperature')).toBe(0.2);
  });

  it('lets no secret value leave the process: not in OTLP bodies, /metrics or the aggregator export', () => {
    const exported = JSON.stringify(getGlobalAggregator().exportMetrics(AggregationWindow.HOUR));
    for (const value of Object.values(SECRETS)) {
      expect(out.wire).not.toContain(value);
      expect(out.metrics).not.toContain(value);
      expect(exported).not.toContain(value);
    }
  });

  it('puts the user id on the execution span only, never on phases or metrics', () => {
    const root = span(out.spans, 'invoke_agent private_agent');
    expect(otlpAttr(root, 'user.id')).toBe('alice@example.com');
    expect(otlpAttr(span(out.spans, 'execute_tool crm_lookup'), 'user.id')).toBeUndefined();
    expect(out.metrics).not.toContain('alice');
    expect(JSON.stringify(getGlobalAggregator().exportMetrics(AggregationWindow.HOUR))).not.toContain('alice');
  });

  it('keeps metadata, ids and user ids out of metric labels', () => {
    const samples = parsePrometheus(out.metrics).filter((s) => s.name.startsWith('agent_'));
    expect(samples.length).toBeGreaterThan(0);
    for (const s of samples) for (const label of Object.keys(s.labels)) expect(ALLOWED_LABELS).toContain(label);
    // Category label values come from a fixed list; a metadata.category that is not one is no label.
    for (const leak of [SAFE.model, SAFE.category, 'crm_lookup', executionId, 'alice']) expect(out.metrics).not.toContain(leak);
  });
});

describe('a user redaction hook', () => {
  it('replaces the default rule', async () => {
    const out = await withTelemetry(
      { redaction: { redact: (key, value) => (key === 'ssn' ? undefined : key === 'email' ? '[email]' : value) } },
      () => {
        const c = new EnhancedExecutionTimingCollector({ agentName: 'hooked' });
        c.startPhase('lookup', { ssn: '078-05-1120', email: 'carol@example.com', password: 'kept-by-the-hook', model: 'm' });
        c.stopPhase('lookup');
        c.complete();
      },
    );
    const phase = span(out.spans, 'lookup');
    expect(otlpAttr(phase, 'ssn')).toBeUndefined();
    expect(otlpAttr(phase, 'email')).toBe('[email]');
    expect(otlpAttr(phase, 'password')).toBe('kept-by-the-hook'); // the hook replaced the rule, it did not add to it
    expect(otlpAttr(phase, 'model')).toBe('m');
    expect(out.wire).not.toContain('078-05-1120');
    expect(out.wire).not.toContain('carol@example.com');
  });

  it('that throws still yields the span, without the metadata, and the execution completes', async () => {
    const before = getAgentTimingHealth().droppedInputs['redaction-hook-threw'] ?? 0;
    let phases: Record<string, number> = {};
    const out = await withTelemetry(
      {
        redaction: {
          redact: () => {
            throw new Error('bug in the hook');
          },
        },
      },
      () => {
        const c = new EnhancedExecutionTimingCollector({ agentName: 'hook_throws' });
        c.startPhase('lookup', { password: 'must-not-leak', model: 'm' });
        c.stopPhase('lookup');
        phases = c.complete().phases;
      },
    );
    expect(phases.lookup).toBeGreaterThanOrEqual(0);
    const phase = span(out.spans, 'lookup');
    expect(phase).toBeDefined();
    expect(otlpAttr(phase, 'password')).toBeUndefined();
    expect(otlpAttr(phase, 'model')).toBeUndefined();
    expect(span(out.spans, 'invoke_agent hook_throws')).toBeDefined();
    expect(out.wire).not.toContain('must-not-leak');
    expect(getAgentTimingHealth().droppedInputs['redaction-hook-threw']).toBeGreaterThan(before);
  });
});

describe('user ids from SupervisorObservability', () => {
  it.each([
    [false, 'bob@example.com'],
    [true, createHash('sha256').update('bob@example.com').digest('hex').slice(0, 16)],
  ])('are on the execution span only (hashUserIds: %s)', async (hashUserIds, shown) => {
    const out = await withTelemetry({ redaction: { hashUserIds } }, () => {
      const supervisor = new SupervisorObservability();
      const ctx = { runId: `run-${String(hashUserIds)}`, agentName: 'supervised', userId: 'bob@example.com' };
      supervisor.startWorkflowTrace(ctx);
      supervisor.startPhase(ctx.runId, 'llm_processing', { model: 'm' });
      supervisor.stopPhase(ctx.runId, 'llm_processing');
      supervisor.completeWorkflowTrace(ctx, { success: true });
    });
    expect(otlpAttr(span(out.spans, 'invoke_workflow supervised'), 'user.id')).toBe(shown);
    expect(otlpAttr(span(out.spans, 'llm_processing'), 'user.id')).toBeUndefined();
    expect(out.metrics).not.toContain('bob');
    if (hashUserIds) expect(out.wire).not.toContain('bob@example.com');
  });
});
