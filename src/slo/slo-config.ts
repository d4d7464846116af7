import { DEFAULT_SLO_THRESHOLDS_MS, sloInstrumentFor } from '../metrics/buckets';
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
/** Longest alert label value accepted: labels are routing keys, not documents. */
const MAX_LABEL_VALUE_LENGTH = 256;
/** Prometheus expands alert labels and annotations as Go templates: `{{ query "up" }}` in a value
 *  would run a query each evaluation, and an unbalanced `{{` makes the rule file fail to load. */
const TEMPLATE_DELIMITER = /\{\{|\}\}/;

/**
 * The error every invalid SLO config yields: a TypeError for a value of the wrong type (or an
 * input that cannot be read at all), a RangeError for a value of the right type out of range. The
 * message always starts with "Invalid SLO config: " and names the field.
 */
export class InvalidSloConfigTypeError extends TypeError {
  override readonly name = 'InvalidSloConfigTypeError';
}
export class InvalidSloConfigRangeError extends RangeError {
  override readonly name = 'InvalidSloConfigRangeError';
}

/** A short, safe description of any value (BigInt, Symbol, cyclic objects and throwing getters included). */
function describe(value: unknown): string {
  try {
    if (typeof value === 'bigint') return `${value}n`;
    if (typeof value === 'symbol' || typeof value === 'function') return typeof value;
    if (typeof value === 'string') return JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}…` : value);
    if (typeof value === 'object' && value !== null) return Array.isArray(value) ? 'an array' : 'an object';
    return String(value);
  } catch {
    return typeof value;
  }
}

function fail(field: string, message: string, value: unknown, kind: 'type' | 'range' = 'type'): never {
  const text = `Invalid SLO config: ${field} ${message} (got ${describe(value)})`;
  throw kind === 'range' ? new InvalidSloConfigRangeError(text) : new InvalidSloConfigTypeError(text);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Own enumerable string-keyed entries; a Symbol key is refused (JSON has none). */
function entriesOf(field: string, value: Record<string, unknown>): Array<[string, unknown]> {
  if (Object.getOwnPropertySymbols(value).length > 0) fail(field, 'must not have Symbol keys', value);
  return Object.entries(value);
}

/**
 * Checks an SLO config (typically parsed JSON) and returns a typed copy. Whatever the input —
 * wrong types, BigInt, cyclic objects, Proxies or getters that throw — it either returns or throws
 * an InvalidSloConfigTypeError / InvalidSloConfigRangeError whose message starts with
 * "Invalid SLO config: " and names the offending field, e.g. `objectives.database_query.target`.
 */
export function validateSloRulesConfig(config: unknown): SloRulesConfig {
  try {
    return validate(config);
  } catch (err) {
    if (err instanceof InvalidSloConfigTypeError || err instanceof InvalidSloConfigRangeError) throw err;
    // A Proxy trap or getter threw while we read the config.
    let reason: string;
    try {
      reason = err instanceof Error ? String(err.message).slice(0, 200) : describe(err);
    } catch {
      reason = 'an unreadable error';
    }
    throw new InvalidSloConfigTypeError(`Invalid SLO config: (the config) could not be read: ${reason}`);
  }
}

function validate(config: unknown): SloRulesConfig {
  if (!isPlainObject(config)) fail('(the config)', 'must be an object', config);
  const known = new Set(['objectives', 'alertLabels']);
  for (const [key, value] of entriesOf('(the config)', config)) {
    if (!known.has(key)) fail(key, 'is not a known field (expected objectives, alertLabels)', value);
  }
  const { objectives, alertLabels } = config;
  if (!isPlainObject(objectives)) fail('objectives', 'must be an object keyed by MetricType value', objectives);
  const objectiveEntries = entriesOf('objectives', objectives);
  if (objectiveEntries.length === 0) fail('objectives', 'must hold at least one objective', objectives, 'range');

  const validTypes = Object.values(MetricType).filter((t) => sloInstrumentFor(t) !== undefined);
  const checked: Record<string, SloObjective> = {};
  for (const [type, objective] of objectiveEntries) {
    const field = `objectives.${describeKey(type)}`;
    if (sloInstrumentFor(type) === undefined) {
      fail(field, `is not a latency MetricType value (one of ${validTypes.join(', ')})`, type, 'range');
    }
    if (!isPlainObject(objective)) fail(field, 'must be an object { thresholdMs, target }', objective);
    for (const [key, value] of entriesOf(field, objective)) {
      if (key !== 'thresholdMs' && key !== 'target') fail(`${field}.${describeKey(key)}`, 'is not a known field (expected thresholdMs, target)', value);
    }
    const { thresholdMs, target } = objective;
    if (typeof thresholdMs !== 'number') fail(`${field}.thresholdMs`, 'must be a finite number of milliseconds > 0', thresholdMs);
    if (!Number.isFinite(thresholdMs) || thresholdMs <= 0) {
      fail(`${field}.thresholdMs`, 'must be a finite number of milliseconds > 0', thresholdMs, 'range');
    }
    if (typeof target !== 'number') fail(`${field}.target`, 'must be a percentage between 0 and 100, exclusive (e.g. 99)', target);
    if (!Number.isFinite(target) || target <= 0 || target >= 100) {
      fail(`${field}.target`, 'must be a percentage between 0 and 100, exclusive (e.g. 99)', target, 'range');
    }
    checked[type] = { thresholdMs, target };
  }

  let labels: Record<string, string> | undefined;
  if (alertLabels !== undefined) {
    if (!isPlainObject(alertLabels)) fail('alertLabels', 'must be an object of label name to string', alertLabels);
    labels = {};
    for (const [name, value] of entriesOf('alertLabels', alertLabels)) {
      const field = `alertLabels.${describeKey(name)}`;
      if (!LABEL_NAME.test(name) || name.startsWith('__')) fail(field, 'is not a valid Prometheus label name', name, 'range');
      if (RESERVED_ALERT_LABELS.has(name)) fail(field, 'is set by the generated rules and cannot be overridden', name, 'range');
      if (typeof value !== 'string') fail(field, 'must be a string', value);
      if (TEMPLATE_DELIMITER.test(value)) {
        fail(field, 'must not contain "{{" or "}}" (Prometheus would expand it as a template in every alert)', value, 'range');
      }
      if (value.length > MAX_LABEL_VALUE_LENGTH) fail(field, `must be at most ${MAX_LABEL_VALUE_LENGTH} characters`, value, 'range');
      labels[name] = value;
    }
  }
  return labels ? { objectives: checked, alertLabels: labels } : { objectives: checked };
}

/** A key as it appears in a field path: as is when it is a plain identifier, else quoted and cut. */
function describeKey(key: string): string {
  return /^[\w-]{1,64}$/.test(key) ? key : JSON.stringify(key.length > 64 ? `${key.slice(0, 64)}…` : key);
}

/**
 * The thresholds of a config as `startAgentTelemetry({ sloThresholdsMs })` takes them, so the SDK's
 * histograms get every threshold the rules select as an exact bucket boundary.
 */
export function sloThresholdsMsOf(config: SloRulesConfig): Record<string, number> {
  return Object.fromEntries(Object.entries(config.objectives).map(([type, o]) => [type, o.thresholdMs]));
}
