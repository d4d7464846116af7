import { msToBoundarySeconds, sloInstrumentFor } from '../metrics/buckets';
import { categoryFromName } from '../breakdown/categories';
import { leMatcher } from './le-label';
import { renderRuleFile, type AlertingRule, type RecordingRule, type RuleGroup } from './rule-file';
import {
  ALERT_BOUNDARY_MISSING,
  ALERT_FAST_BURN,
  ALERT_SLOW_BURN,
  HISTOGRAMS,
  LEVELS,
  PROM_LABEL_AGENT,
  PROM_LABEL_CATEGORY,
  SLO_PERIOD,
  SLO_WINDOWS,
  sumBy,
  recordName,
} from './rule-names';
import { DEFAULT_SLO_RULES_CONFIG, validateSloRulesConfig, type SloRulesConfig } from './slo-config';

/**
 * SLO rules for latency objectives over the agent-timing histograms, after the SRE workbook
 * ("Alerting on SLOs", multiwindow multi-burn-rate alerts): an execution is good when it took at
 * most the threshold T, so the error ratio over a window w is
 *
 *   1 − sum(rate(x_bucket{le="T"}[w])) / sum(rate(x_count[w]))
 *
 * which is exact only when T is a bucket boundary. The rules take T through the same
 * msToBoundarySeconds() that bucketPlan() uses, so passing the same thresholds to
 * startAgentTelemetry({ sloThresholdsMs }) makes every selected boundary exist.
 */

/**
 * The SRE workbook's alert windows and burn-rate factors for a 30-day objective, each alert with a
 * `for:` so one evaluation cannot page. Besides, each window pair only counts when its long window
 * holds enough executions that a single slow one cannot cross the burn factor on its own
 * (at least ⌈1 / (factor × budget)⌉ + 1, see minimumRequests): the first minutes of data or a
 * trickle of traffic do not page.
 */
export const BURN_RATE_ALERTS = [
  { alert: ALERT_FAST_BURN, severity: 'page', for: '2m', pairs: [{ long: '1h', short: '5m', factor: 14.4 }, { long: '6h', short: '30m', factor: 6 }] },
  { alert: ALERT_SLOW_BURN, severity: 'ticket', for: '1h', pairs: [{ long: '1d', short: '2h', factor: 3 }, { long: '3d', short: '6h', factor: 1 }] },
] as const;

/** Executions a long window must hold before its burn rate counts: more than one slow execution's worth. */
export function minimumRequests(factor: number, budget: number): number {
  return Math.ceil(Number((1 / (factor * budget)).toPrecision(12))) + 1;
}

/** What one objective selects: its histogram (filtered on the category for phase objectives) and the good bucket. */
export interface SloSelectors {
  /** The `slo` label value: the MetricType value. */
  slo: string;
  /** Prometheus histogram name (without `_bucket`/`_count`). */
  histogram: string;
  /** Threshold as a boundary in seconds. */
  thresholdSeconds: number;
  /** Selector of all executions: `x_count{…}`. */
  total: string;
  /** Selector of good executions: `x_bucket{…, le=…}`. */
  good: string;
}

/** The series an objective on `metricType` with `thresholdMs` is evaluated against. */
export function sloSelectors(metricType: string, thresholdMs: number): SloSelectors {
  const instrument = sloInstrumentFor(metricType);
  if (instrument === undefined) throw new Error(`Invalid SLO objective: ${metricType} is not a latency MetricType value`);
  const histogram = HISTOGRAMS[instrument];
  let matchers = '';
  if (instrument === 'phase' || instrument === 'operation') {
    const category = categoryFromName(metricType);
    if (category === undefined) throw new Error(`Invalid SLO objective: ${metricType} has no phase category`);
    matchers = `${PROM_LABEL_CATEGORY}="${category}"`;
  }
  const thresholdSeconds = msToBoundarySeconds(thresholdMs);
  const le = leMatcher(thresholdSeconds);
  return {
    slo: metricType,
    histogram,
    thresholdSeconds,
    total: `${histogram}_count${matchers ? `{${matchers}}` : ''}`,
    good: `${histogram}_bucket{${matchers ? `${matchers}, ` : ''}${le}}`,
  };
}

/**
 * What a counter counted over the SLO period, exactly where PromQL allows: its last value in the
 * period minus its value at the period's start (0 for a series that started inside the period, so
 * the executions before its first scrape count too; a series that stopped inside it keeps its
 * last value). Only a series that reset (a restarted process) inside the period falls back to
 * increase(), whose extrapolation at the edges is approximate. A sum of recorded 5-minute rates
 * instead over-weights the first minutes (0.536 for a true 0.49 in the first five).
 */
export function countedOverPeriod(selector: string): string {
  const last = `last_over_time(${selector}[${SLO_PERIOD}])`;
  return (
    `((${last} - ((${selector} offset ${SLO_PERIOD}) * 1 or ${last} * 0)) unless resets(${selector}[${SLO_PERIOD}]) > 0)` +
    ` or increase(${selector}[${SLO_PERIOD}])`
  );
}

/** A ratio without binary noise for PromQL and annotations: 1 - 0.99 is 0.01, not 0.010000000000000009. */
function clean(n: number): string {
  return String(Number(n.toPrecision(12)));
}

function windowWords(w: string): string {
  return w.replace(/^(\d+)m$/, '$1 min').replace(/^(\d+)h$/, '$1 h').replace(/^(\d+)d$/, '$1 d');
}

function objectiveGroup(sel: SloSelectors, target: number, alertLabels: Record<string, string>): RuleGroup {
  const slo = sel.slo;
  const budget = clean(1 - target / 100);
  const ofSlo = `{slo="${slo}"}`;
  const rules: Array<RecordingRule | AlertingRule> = [];
  const record = (name: string, expr: string): void => {
    rules.push({ record: name, expr, labels: { slo } });
  };

  for (const level of LEVELS) {
    const good = recordName.sloGood(level) + ofSlo;
    const requests = recordName.sloRequests(level) + ofSlo;
    record(recordName.sloRequests(level), sumBy(level, [], `rate(${sel.total}[5m])`));
    record(recordName.sloGood(level), sumBy(level, [], `rate(${sel.good}[5m])`));
    for (const w of SLO_WINDOWS) {
      record(
        recordName.sloErrorRatio(level, w),
        w === '5m'
          ? `1 - ${good} / ${requests}`
          : `1 - ${sumBy(level, [], `rate(${sel.good}[${w}])`)} / ${sumBy(level, [], `rate(${sel.total}[${w}])`)}`,
      );
    }
    record(
      recordName.sloCompliance(level),
      `${sumBy(level, [], countedOverPeriod(sel.good))}\n/\n${sumBy(level, [], countedOverPeriod(sel.total))}`,
    );
    record(recordName.sloBudgetRemaining(level), `clamp(1 - (1 - ${recordName.sloCompliance(level)}${ofSlo}) / ${budget}, 0, 1)`);
  }
  rules.push({
    record: recordName.sloObjective(),
    expr: `vector(${clean(target / 100)})`,
    labels: { slo, threshold_seconds: String(sel.thresholdSeconds) },
  });

  const objectiveText =
    `Objective: ${clean(target)} % of ${sel.histogram === HISTOGRAMS.operation ? 'operations' : 'executions'} within ${sel.thresholdSeconds} s over ${SLO_PERIOD.replace('d', ' days')} ` +
    `(error budget ${clean(Number(budget) * 100)} %).`;
  for (const { alert, severity, for: forDuration, pairs } of BURN_RATE_ALERTS) {
    const over = (w: string, factor: number) => `${recordName.sloErrorRatio('agent', w)}${ofSlo} > (${factor} * ${budget})`;
    const enough = (w: string, factor: number) =>
      `${sumBy('agent', [], `increase(${sel.total}[${w}])`)} >= ${minimumRequests(factor, Number(budget))}`;
    const burns = pairs.map((p) => `${p.factor}× over both ${windowWords(p.long)} and ${windowWords(p.short)}`);
    rules.push({
      alert,
      expr: pairs
        .map((p) => `(${over(p.long, p.factor)} and ${over(p.short, p.factor)} and on (${PROM_LABEL_AGENT}) ${enough(p.long, p.factor)})`)
        .join('\nor\n'),
      for: forDuration,
      labels: { ...alertLabels, severity, slo },
      annotations: {
        summary: `Agent {{ $labels.${PROM_LABEL_AGENT} }} is burning its ${slo} error budget ${severity === 'page' ? 'fast' : 'steadily'}`,
        description:
          `${objectiveText} Slower executions used the budget at ${burns.join(', or ')} ` +
          `(for ${forDuration}, with enough executions in the long window).`,
      },
    });
  }

  const instanceLabels = `${PROM_LABEL_AGENT}, job, instance`;
  rules.push({
    alert: ALERT_BOUNDARY_MISSING,
    expr:
      `count by (${instanceLabels}) (${sel.total})` +
      ` unless on (${instanceLabels}) count by (${instanceLabels}) (${sel.good})`,
    for: '15m',
    labels: { ...alertLabels, severity: 'ticket', slo },
    annotations: {
      summary: `{{ $labels.instance }} has no ${sel.thresholdSeconds} s bucket for the ${slo} objective`,
      description:
        `${sel.histogram} of agent {{ $labels.${PROM_LABEL_AGENT} }} has no bucket boundary at ${sel.thresholdSeconds} s, so the ` +
        `${slo} objective cannot be evaluated for it: its executions are missing from the per-agent ratios and ` +
        `count as slow in the fleet ratios. Start the SDK with startAgentTelemetry({ sloThresholdsMs: ` +
        `{ ${slo}: ${clean(sel.thresholdSeconds * 1000)} } }).`,
    },
  });
  return { name: `agent-timing-slo-${slo}`, rules };
}

/**
 * Prometheus recording and alerting rules (YAML) for latency objectives. `config` may be
 * unvalidated JSON: it is checked first, and an invalid one throws an Error naming the field.
 */
export function generateSloRules(config: unknown = DEFAULT_SLO_RULES_CONFIG): string {
  const checked: SloRulesConfig = validateSloRulesConfig(config);
  const groups = Object.entries(checked.objectives).map(([type, o]) =>
    objectiveGroup(sloSelectors(type, o.thresholdMs), o.target, checked.alertLabels ?? {}),
  );
  const summary = Object.entries(checked.objectives)
    .map(([type, o]) => `${type} ${o.thresholdMs} ms @ ${clean(o.target)} %`)
    .join(', ');
  return renderRuleFile(
    [
      'Generated by `agent-timing slo-rules` (generateSloRules in src/slo/slo-rules.ts); do not edit by hand.',
      `Objectives (30 days): ${summary}.`,
      'Give the SDK the same thresholds: startAgentTelemetry({ sloThresholdsMs }) makes each one a bucket boundary.',
      'Error ratio = 1 - rate(x_bucket{le=T}) / rate(x_count); alerts: SRE workbook multiwindow, multi-burn-rate',
      '(page: 1h/5m > 14.4x or 6h/30m > 6x the budget, for 2m; ticket: 1d/2h > 3x or 3d/6h > 1x, for 1h),',
      'each pair only once its long window holds more executions than one slow one could burn alone.',
      '30-day compliance = what the threshold bucket counted / what the count counted over 30 days (exact from the first',
      'scrape; increase() only for series that reset); budget remaining clamped to [0, 1].',
      'Per-operation objectives (database_query, external_api, tool_execution, llm_processing, websocket_latency)',
      'count operations in agent_operation_duration_seconds, as calculateSloCompliance counts their metrics in process;',
      'the others count executions (total_execution, time_to_first_token) or per-execution category time (initialization, queue_wait).',
      'le matches both "1" (JS exporter, Prometheus 2) and "1.0" (Prometheus 3 normalisation).',
    ],
    groups,
  );
}
