import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { DEFAULT_SLO_THRESHOLDS_MS, bucketPlan, msToBoundarySeconds, sloInstrumentFor } from '../../src/metrics/buckets';
import { leValues } from '../../src/slo/le-label';
import { ALERT_BOUNDARY_MISSING, ALERT_FAST_BURN, ALERT_SLOW_BURN, SLO_WINDOWS, recordName } from '../../src/slo/rule-names';
import {
  DEFAULT_SLO_RULES_CONFIG,
  sloThresholdsMsOf,
  validateSloRulesConfig,
  type SloRulesConfig,
} from '../../src/slo/slo-config';
import { BURN_RATE_ALERTS, generateSloRules, sloSelectors } from '../../src/slo/slo-rules';

const COMMITTED = join(__dirname, '..', '..', 'collector-config', 'rules', 'agent-timing-slo.rules.yml');

interface Rule { record?: string; alert?: string; expr: string; labels?: Record<string, string> }
const rulesOf = (yaml: string): Rule[] => parse(yaml).groups.flatMap((g: { rules: Rule[] }) => g.rules);

/** Every `le` value an expression selects, from `le="…"` and `le=~"a|b"` matchers. */
function selectedLe(expr: string): string[] {
  return [...expr.matchAll(/le(=~?)"((?:[^"\\]|\\.)*)"/g)].flatMap(([, op, raw]) => {
    const text = raw.replace(/\\\\/g, '\\');
    return op === '=' ? [text] : text.split('|').map((alt) => alt.replace(/\\(.)/g, '$1'));
  });
}

describe('generateSloRules', () => {
  it('writes the committed collector-config/rules/agent-timing-slo.rules.yml for the guide\'s objectives', () => {
    expect(generateSloRules()).toBe(readFileSync(COMMITTED, 'utf8'));
    expect(generateSloRules(DEFAULT_SLO_RULES_CONFIG)).toBe(readFileSync(COMMITTED, 'utf8'));
    expect(sloThresholdsMsOf(DEFAULT_SLO_RULES_CONFIG)).toEqual(DEFAULT_SLO_THRESHOLDS_MS);
  });

  it('records every window of the SRE workbook per agent and fleet-wide, and the three alerts, per objective', () => {
    const rules = rulesOf(generateSloRules());
    for (const slo of Object.keys(DEFAULT_SLO_THRESHOLDS_MS)) {
      const names = rules.filter((r) => r.labels?.slo === slo).map((r) => r.record ?? r.alert);
      for (const level of ['agent', 'fleet'] as const) {
        for (const w of SLO_WINDOWS) expect(names).toContain(recordName.sloErrorRatio(level, w));
        expect(names).toContain(recordName.sloCompliance(level));
        expect(names).toContain(recordName.sloBudgetRemaining(level));
      }
      expect(names).toEqual(expect.arrayContaining([ALERT_FAST_BURN, ALERT_SLOW_BURN, ALERT_BOUNDARY_MISSING]));
    }
    expect(BURN_RATE_ALERTS.flatMap((a) => a.pairs.map((p) => `${p.long}/${p.short}×${p.factor}`))).toEqual([
      '1h/5m×14.4', '6h/30m×6', '1d/2h×3', '3d/6h×1',
    ]);
    const fast = rules.find((r) => r.alert === ALERT_FAST_BURN && r.labels?.slo === 'time_to_first_token')!;
    expect(fast.expr).toContain('agent:agent_timing_slo_errors:ratio_rate1h{slo="time_to_first_token"} > (14.4 * 0.01)');
    expect(fast.expr).toContain('agent:agent_timing_slo_errors:ratio_rate30m{slo="time_to_first_token"} > (6 * 0.01)');
  });

  it('selects, for custom objectives, only le values that are boundaries of bucketPlan(the same thresholds)', () => {
    const config: SloRulesConfig = {
      objectives: {
        time_to_first_token: { thresholdMs: 800, target: 99.9 },
        total_execution: { thresholdMs: 7500, target: 95 },
        external_api: { thresholdMs: 250, target: 99 },
        websocket_latency: { thresholdMs: 0.05, target: 90 },
        queue_wait: { thresholdMs: 3_600_000, target: 99 },
      },
    };
    const plan = bucketPlan(sloThresholdsMsOf(config));
    const rules = rulesOf(generateSloRules(config));
    for (const [type, { thresholdMs }] of Object.entries(config.objectives)) {
      const boundaries = plan[sloInstrumentFor(type)!];
      const selected = rules.filter((r) => r.labels?.slo === type).flatMap((r) => selectedLe(r.expr));
      expect(selected.length).toBeGreaterThan(0);
      // Each matcher names the boundary as the JS exporter prints it, plus at most Prometheus 3's spelling.
      for (const le of selected) expect(boundaries).toContain(Number(le));
      expect(selected).toContain(String(msToBoundarySeconds(thresholdMs)));
      expect(new Set(selected)).toEqual(new Set(leValues(msToBoundarySeconds(thresholdMs))));
    }
    // The objective and its budget are written without binary noise.
    expect(rules.find((r) => r.record === recordName.sloObjective() && r.labels?.slo === 'time_to_first_token')!.expr).toBe('vector(0.999)');
    expect(rules.find((r) => r.record === recordName.sloBudgetRemaining('agent') && r.labels?.slo === 'time_to_first_token')!.expr).toMatch(/\/ 0\.001, 0, 1\)$/);
  });

  it('counts operations for per-operation objectives and filters on the category of their MetricType', () => {
    expect(sloSelectors('database_query', 100)).toMatchObject({
      histogram: 'agent_operation_duration_seconds',
      total: 'agent_operation_duration_seconds_count{agent_timing_category="database_query"}',
      good: 'agent_operation_duration_seconds_bucket{agent_timing_category="database_query", le="0.1"}',
    });
    expect(sloSelectors('queue_wait', 100).total).toBe('agent_phase_duration_seconds_count{agent_timing_category="queue_wait"}');
    expect(sloSelectors('websocket_latency', 50).total).toContain('agent_timing_category="websocket_notification"');
    expect(sloSelectors('total_execution', 5000).good).toBe('agent_execution_duration_seconds_bucket{le=~"5|5\\\\.0"}');
  });

  it('adds alertLabels to every alert, not to recorded series', () => {
    const rules = rulesOf(generateSloRules({ ...DEFAULT_SLO_RULES_CONFIG, alertLabels: { team: 'agents' } }));
    for (const r of rules) expect(r.labels?.team).toBe(r.alert ? 'agents' : undefined);
  });

  it.each([
    [null, /\(the config\) must be an object/],
    [{}, /objectives must be an object/],
    [{ objectives: {} }, /objectives must hold at least one/],
    [{ objectives: { memory_usage: { thresholdMs: 1, target: 99 } } }, /objectives\.memory_usage is not a latency MetricType/],
    [{ objectives: { ttft: { thresholdMs: 1, target: 99 } } }, /objectives\.ttft is not a latency MetricType/],
    [{ objectives: { database_query: 100 } }, /objectives\.database_query must be an object/],
    [{ objectives: { database_query: { thresholdMs: 0, target: 99 } } }, /objectives\.database_query\.thresholdMs must be a finite number/],
    [{ objectives: { database_query: { thresholdMs: '100', target: 99 } } }, /objectives\.database_query\.thresholdMs/],
    [{ objectives: { database_query: { target: 99 } } }, /objectives\.database_query\.thresholdMs/],
    [{ objectives: { database_query: { thresholdMs: 100, target: 100 } } }, /objectives\.database_query\.target must be a percentage/],
    [{ objectives: { database_query: { thresholdMs: 100, target: -1 } } }, /objectives\.database_query\.target must be a percentage/],
    [{ objectives: { database_query: { thresholdMs: 100 } } }, /objectives\.database_query\.target/],
    [{ objectives: { database_query: { thresholdMs: 100, target: 99, window: '7d' } } }, /objectives\.database_query\.window is not a known field/],
    [{ objectives: { database_query: { thresholdMs: 100, target: 99 } }, period: '7d' }, /period is not a known field/],
    [{ ...DEFAULT_SLO_RULES_CONFIG, alertLabels: { 'team-name': 'x' } }, /alertLabels\.team-name is not a valid Prometheus label name/],
    [{ ...DEFAULT_SLO_RULES_CONFIG, alertLabels: { severity: 'x' } }, /alertLabels\.severity is set by the generated rules/],
    [{ ...DEFAULT_SLO_RULES_CONFIG, alertLabels: { team: 1 } }, /alertLabels\.team must be a string/],
  ])('rejects %j naming the field', (config, message) => {
    expect(() => generateSloRules(config)).toThrow(message);
    expect(() => validateSloRulesConfig(config)).toThrow(/^Invalid SLO config: /);
  });
});

describe('validateSloRulesConfig on hostile input', () => {
  const base = () => ({ objectives: { database_query: { thresholdMs: 100, target: 99 } } });
  const cyclic: Record<string, unknown> = base();
  cyclic.self = cyclic;
  const cyclicLabels: Record<string, unknown> = { team: 'a' };
  cyclicLabels.loop = cyclicLabels;
  const throwingGetter = { get objectives(): never { throw new Error('boom'); } };
  const throwingProxy = new Proxy({}, { ownKeys: () => { throw new TypeError('trap'); } });

  it.each([
    ['a BigInt threshold', { objectives: { database_query: { thresholdMs: 100n, target: 99 } } }, /thresholdMs must be a finite number.*got 100n/],
    ['a BigInt target', { objectives: { database_query: { thresholdMs: 100, target: 99n } } }, /target must be a percentage/],
    ['a cyclic config', cyclic, /self is not a known field/],
    ['cyclic alert labels', { ...base(), alertLabels: cyclicLabels }, /alertLabels\.loop must be a string/],
    ['a getter that throws', throwingGetter, /could not be read: boom/],
    ['a Proxy whose traps throw', throwingProxy, /could not be read: trap/],
    ['a Symbol key', { ...base(), [Symbol('x')]: 1 }, /must not have Symbol keys/],
    ['a Symbol value', { objectives: { database_query: { thresholdMs: Symbol('x'), target: 99 } } }, /got symbol/],
    ['a function', () => 1, /\(the config\) must be an object/],
    ['a template in a label value', { ...base(), alertLabels: { team: '{{ bad' } }, /alertLabels\.team must not contain "\{\{"/],
    ['a query template in a label value', { ...base(), alertLabels: { team: '{{ query "up" }}' } }, /must not contain "\{\{" or "\}\}"/],
    ['a closing delimiter', { ...base(), alertLabels: { team: 'x }}' } }, /must not contain/],
    ['a huge label value', { ...base(), alertLabels: { team: 'x'.repeat(10_000) } }, /at most 256 characters/],
    ['a huge key', { objectives: { ['k'.repeat(100_000)]: {} } }, /is not a latency MetricType/],
  ])('turns %s into "Invalid SLO config: …"', (_what, config, message) => {
    let thrown: unknown;
    try {
      validateSloRulesConfig(config);
    } catch (err) {
      thrown = err;
    }
    expect(thrown instanceof TypeError || thrown instanceof RangeError).toBe(true);
    expect((thrown as Error).message).toMatch(/^Invalid SLO config: /);
    expect((thrown as Error).message).toMatch(message);
    expect((thrown as Error).message.length).toBeLessThan(400);
    expect(() => generateSloRules(config)).toThrow(/^Invalid SLO config: /);
  });

  it('throws TypeError for wrong types and RangeError for values out of range', () => {
    expect(() => validateSloRulesConfig({ objectives: { database_query: { thresholdMs: '1', target: 99 } } })).toThrow(TypeError);
    expect(() => validateSloRulesConfig({ objectives: { database_query: { thresholdMs: -1, target: 99 } } })).toThrow(RangeError);
  });

  it('keeps label values without template delimiters, braces included', () => {
    const config = validateSloRulesConfig({ ...base(), alertLabels: { team: 'agents {eu}', runbook: 'https://x/y?a=$1' } });
    expect(config.alertLabels).toEqual({ team: 'agents {eu}', runbook: 'https://x/y?a=$1' });
  });
});
