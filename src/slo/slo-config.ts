import { DEFAULT_SLO_THRESHOLDS_MS, sloInstrumentFor } from '../otel/buckets';
import { MetricType } from '../types/metric-type';

/** One latency objective: `target` percent of executions take at most `thresholdMs`. */
export interface SloObjective {
  /** Latency threshold, milliseconds (becomes the histogram boundary the rules select). */
  thresholdMs: number;
  /** Percent of executions that must meet the threshold over 30 days, e.g. 99 or 99.9. */
  target: number;
}

/** Input of generateSloRules() (the `slo.json` of `agent-timing slo-rules`). */
export interface SloRulesConfig {
  /** Objectives keyed by MetricType value: `time_to_first_token`, `total_execution`, `database_query`, … */
  objectives: Record<string, SloObjective>;
  /** Extra labels on every alert (for example `team`), merged under `severity` and `slo`. */
  alertLabels?: Record<string, string>;
}

/** Target of the guide's objectives when the guide gives none. */
export const DEFAULT_SLO_TARGET_PERCENT = 99;

/** The guide's three objectives (TTFT 1 s, database query 100 ms, total execution 5 s) at 99 %. */
export const DEFAULT_SLO_RULES_CONFIG: SloRulesConfig = {
  objectives: Object.fromEntries(
    Object.entries(DEFAULT_SLO_THRESHOLDS_MS).map(([type, thresholdMs]) => [
      type,
      { thresholdMs, target: DEFAULT_SLO_TARGET_PERCENT },
    ]),
  ),
};

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const RESERVED_ALERT_LABELS = new Set(['alertname', 'severity', 'slo', 'gen_ai_agent_name', 'le']);

function fail(field: string, message: string, value: unknown): never {
  throw new Error(`Invalid SLO config: ${field} ${message} (got ${JSON.stringify(value) ?? String(value)})`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks an SLO config (typically parsed JSON) and returns it typed. Throws an Error whose message
 * names the offending field, e.g. `objectives.database_query.target`.
 */
export function validateSloRulesConfig(config: unknown): SloRulesConfig {
  if (!isPlainObject(config)) fail('(the config)', 'must be an object', config);
  const known = new Set(['objectives', 'alertLabels']);
  for (const key of Object.keys(config)) {
    if (!known.has(key)) fail(key, 'is not a known field (expected objectives, alertLabels)', config[key]);
  }
  const { objectives, alertLabels } = config;
  if (!isPlainObject(objectives)) fail('objectives', 'must be an object keyed by MetricType value', objectives);
  if (Object.keys(objectives).length === 0) fail('objectives', 'must hold at least one objective', objectives);

  const validTypes = Object.values(MetricType).filter((t) => sloInstrumentFor(t) !== undefined);
  const checked: Record<string, SloObjective> = {};
  for (const [type, objective] of Object.entries(objectives)) {
    const field = `objectives.${type}`;
    if (sloInstrumentFor(type) === undefined) {
      fail(field, `is not a latency MetricType value (one of ${validTypes.join(', ')})`, type);
    }
    if (!isPlainObject(objective)) fail(field, 'must be an object { thresholdMs, target }', objective);
    for (const key of Object.keys(objective)) {
      if (key !== 'thresholdMs' && key !== 'target') fail(`${field}.${key}`, 'is not a known field (expected thresholdMs, target)', objective[key]);
    }
    const { thresholdMs, target } = objective;
    if (typeof thresholdMs !== 'number' || !Number.isFinite(thresholdMs) || thresholdMs <= 0) {
      fail(`${field}.thresholdMs`, 'must be a finite number of milliseconds > 0', thresholdMs);
    }
    if (typeof target !== 'number' || !Number.isFinite(target) || target <= 0 || target >= 100) {
      fail(`${field}.target`, 'must be a percentage between 0 and 100, exclusive (e.g. 99)', target);
    }
    checked[type] = { thresholdMs, target };
  }

  let labels: Record<string, string> | undefined;
  if (alertLabels !== undefined) {
    if (!isPlainObject(alertLabels)) fail('alertLabels', 'must be an object of label name to string', alertLabels);
    labels = {};
    for (const [name, value] of Object.entries(alertLabels)) {
      if (!LABEL_NAME.test(name) || name.startsWith('__')) fail(`alertLabels.${name}`, 'is not a valid Prometheus label name', name);
      if (RESERVED_ALERT_LABELS.has(name)) fail(`alertLabels.${name}`, 'is set by the generated rules and cannot be overridden', name);
      if (typeof value !== 'string') fail(`alertLabels.${name}`, 'must be a string', value);
      labels[name] = value;
    }
  }
  return labels ? { objectives: checked, alertLabels: labels } : { objectives: checked };
}

/**
 * The thresholds of a config as `startAgentTelemetry({ sloThresholdsMs })` takes them, so the SDK's
 * histograms get every threshold the rules select as an exact bucket boundary.
 */
export function sloThresholdsMsOf(config: SloRulesConfig): Record<string, number> {
  return Object.fromEntries(Object.entries(config.objectives).map(([type, o]) => [type, o.thresholdMs]));
}
