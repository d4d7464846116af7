import { bar, categoryLabel, metricLabel, ms, paint, pct, seconds, shortId, type Colors } from './format';
import type { AgentReport } from './model';
import { textTable, type Align } from './text-table';
import { renderWaterfallText } from './waterfall-text';

/** What renderTerminalReport() may add below the report. */
export interface TerminalReportOptions {
  /** Files the report was also written to. */
  files?: { json?: string; html?: string };
  /** A last line of advice (the demo: "Try --html report.html …"). */
  hint?: string;
}

function table(c: Colors, head: string[], rows: string[][], align: Align[]): string {
  return textTable(head.map((h) => c.dim(h)), rows, align);
}

function heading(c: Colors, title: string, note?: string): string {
  return `\n${c.bold(c.cyan('▍'))}${c.bold(title)}${note ? c.dim(`  ${note}`) : ''}\n`;
}

function wrap(text: string, width: number, indent: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.map((l, i) => (i === 0 ? l : indent + l)).join('\n');
}

function header(r: AgentReport, c: Colors): string {
  const { run } = r;
  const ok = run.failed === 0 ? c.green(`${run.succeeded} succeeded`) : `${run.succeeded} succeeded, ${c.red(`${run.failed} failed`)}`;
  const at = run.concurrency !== undefined ? `, ${run.concurrency} at a time` : '';
  const seed = run.seed !== undefined ? ` ${c.dim(`· seed ${run.seed}`)}` : '';
  const startup =
    run.startupMs !== undefined
      ? ` ${c.dim(`(start-up ${seconds(run.startupMs)}${run.databaseStartMs !== undefined ? `, of which PGlite ${seconds(run.databaseStartMs)}` : ''})`)}`
      : '';
  return ['', `${c.bold(r.title)} ${c.dim('·')} ${run.requests} requests to ${c.bold(run.agentName)}${at}${seed}`, `  ${ok} in ${c.bold(seconds(run.durationMs))}${startup}`, resources(r, c)]
    .filter(Boolean)
    .join('\n');
}

function resources(r: AgentReport, c: Colors): string {
  const x = r.resources;
  if (!x.samples) return '';
  const parts = [
    x.cpuPercentMean !== undefined ? `CPU ${pct(x.cpuPercentMean, 0)} of the machine` : '',
    x.memoryMbPeak !== undefined ? `RSS ≤ ${Math.round(x.memoryMbPeak)} MB` : '',
    x.eventLoopUtilizationPercentMean !== undefined ? `event loop ${pct(x.eventLoopUtilizationPercentMean, 0)} busy` : '',
    x.eventLoopDelayP99MsMax !== undefined ? `loop delay p99 ≤ ${ms(x.eventLoopDelayP99MsMax)}` : '',
  ].filter(Boolean);
  return c.dim(`  process: ${parts.join(' · ')}`);
}

function breakdown(r: AgentReport, c: Colors): string {
  const b = r.breakdown;
  const rows = b.categories.map((cat) => [
    paint(c, cat.category, '■ ') + categoryLabel(cat.category),
    ms(cat.meanMs),
    pct(cat.percent),
    paint(c, cat.category, bar(cat.percent / 100, 32)),
  ]);
  return (
    heading(c, 'Where the time went', `all ${b.executions} executions · categories partition each execution's wall-clock time`) +
    table(c, ['Category', 'Mean/exec', 'Share', ''], rows, ['left', 'right', 'right', 'left']) +
    `\n  ${c.dim('Efficiency (time not queued or unaccounted):')} ${c.bold(pct(b.efficiencyPercent))}`
  );
}

function percentiles(r: AgentReport, c: Colors): string {
  const rows = r.percentiles.map((p) => [metricLabel(p.metricType), String(p.count), ms(p.p50), c.bold(ms(p.p95)), ms(p.p99), ms(p.max)]);
  return (
    heading(c, 'Percentiles by metric', 'MetricsAggregator, last hour; per execution (DB and WebSocket: per call)') +
    table(c, ['Metric', 'n', 'p50', 'p95', 'p99', 'max'], rows, ['left', 'right', 'right', 'right', 'right', 'right'])
  );
}

function ttft(r: AgentReport, c: Colors): string {
  const t = r.ttft;
  const most = Math.max(1, ...t.buckets.map((b) => b.count));
  const lines = t.buckets.map((b) => {
    const range = b.toMs === null ? `≥ ${ms(b.fromMs)}` : `${b.fromMs}–${b.toMs} ms`;
    const over = b.fromMs >= t.sloMs;
    const bars = bar(b.count / most, 36) || (b.count > 0 ? '▏' : '');
    return `  ${range.padStart(13)} ${c.dim('│')}${over ? c.red(bars) : c.green(bars)} ${b.count}`;
  });
  return heading(c, 'Time to first token', `p50 ${ms(t.p50)} · p95 ${ms(t.p95)} · p99 ${ms(t.p99)} · objective ≤ ${ms(t.sloMs)}`) + lines.join('\n');
}

function bottlenecks(r: AgentReport, c: Colors): string {
  const rows = r.bottlenecks
    .slice(0, 6)
    .map((b) => [metricLabel(b.metricType), ms(b.thresholdMs), String(b.atOrAbove), c.bold(ms(b.timeAboveMs)), pct(b.percentOfTypeTime, 0), ms(b.maxMs)]);
  return (
    heading(c, 'Bottlenecks', 'getBottlenecks(95): the slowest 5 % of each metric and what they cost') +
    table(c, ['Metric', 'p95', 'n ≥ p95', 'Time ≥ p95', 'of its time', 'max'], rows, ['left', 'right', 'right', 'right', 'right', 'right'])
  );
}

function anomalies(r: AgentReport, c: Colors): string {
  const a = r.anomalies;
  const rows = a.byType.map((t) => [
    metricLabel(t.metricType),
    String(t.count),
    `${c.bold(ms(t.worst.value))} ${c.dim(`vs median ${ms(t.worst.median)}`)}`,
    t.worst.zScore.toFixed(1),
    `${t.worst.executionId ? shortId(t.worst.executionId) : ''}${t.worst.incident ? c.yellow(' ⚑ planted') : ''}`,
  ]);
  const flagged = a.planted.filter((p) => p.flagged).length;
  const planted = a.planted.map((p) => `  ${p.flagged ? c.green('✓') : c.red('✗')} ${shortId(p.executionId).padEnd(6)} ${c.dim(p.label)}`).join('\n');
  return (
    heading(c, 'Anomalies', `detectAnomalies(): ${a.method}`) +
    `  ${c.bold(String(a.executions))} executions flagged ${c.dim(`(${a.total} observations)`)}\n` +
    (rows.length ? table(c, ['Metric', 'Count', 'Most extreme', 'z', 'Execution'], rows, ['left', 'right', 'left', 'right', 'left']) : '  none') +
    (a.planted.length ? `\n\n  ${c.bold(`${flagged} of ${a.planted.length}`)} planted slow outliers flagged:\n${planted}` : '')
  );
}

function slo(r: AgentReport, c: Colors): string {
  const rows = r.slo.map((s) => {
    const allowed = (s.total * (100 - s.targetPercent)) / 100;
    return [
      `${s.met ? c.green('✓') : c.red('✗')} ${metricLabel(s.metricType)}`,
      `≤ ${ms(s.thresholdMs)}`,
      (s.met ? c.green : c.red)(c.bold(pct(s.compliancePercent))),
      `${s.total - s.good} of ${s.total} ${c.dim(`(${Number(allowed.toFixed(1))} allowed)`)}`,
      s.budgetRemainingPercent >= 0 ? `${pct(s.budgetRemainingPercent, 0)} left` : c.red('exhausted'),
    ];
  });
  return (
    heading(c, 'SLO compliance', `target: ${r.slo[0]?.targetPercent ?? 99} % of observations within the threshold`) +
    table(c, ['Objective', 'Threshold', 'Compliance', 'Missed', 'Error budget'], rows, ['left', 'right', 'right', 'right', 'right'])
  );
}

function trends(r: AgentReport, c: Colors): string {
  const arrow = { improving: c.green('↘ improving'), stable: c.dim('→ stable'), degrading: c.red('↗ degrading') };
  const rows = r.trends.items.map((t) => [
    metricLabel(t.metricType),
    ms(t.firstHalfP95),
    ms(t.secondHalfP95),
    `${t.changePercent >= 0 ? '+' : ''}${t.changePercent.toFixed(0)} %`,
    arrow[t.trend],
  ]);
  return heading(c, 'Trends', r.trends.basis) + table(c, ['Metric', 'p95 before', 'p95 after', 'Change', ''], rows, ['left', 'right', 'right', 'right', 'left']);
}

function recommendations(r: AgentReport, c: Colors, columns: number): string {
  const list = (items: string[]): string =>
    items.length ? items.map((text, i) => `  ${c.cyan(`${i + 1}.`)} ${wrap(text, columns - 8, '     ')}`).join('\n') : c.dim('  nothing stands out');
  return (
    heading(c, 'Recommendations', 'PerformanceAnalyzer') +
    `  ${c.dim('For the average execution:')}\n${list(r.recommendations.average)}` +
    (r.slowest ? `\n  ${c.dim(`For the slowest (${shortId(r.slowest.executionId)}):`)}\n${list(r.recommendations.slowest)}` : '')
  );
}

function slowest(r: AgentReport, c: Colors, columns: number): string {
  const s = r.slowest;
  if (!s) return heading(c, 'Slowest execution', 'none completed yet');
  const facts = [`${ms(s.totalMs)}`, s.ttftMs !== undefined ? `TTFT ${ms(s.ttftMs)}` : '', s.traceId ? c.dim(`trace ${s.traceId}`) : '', s.incidentLabel ? c.yellow(`⚑ ${s.incidentLabel}`) : '']
    .filter(Boolean)
    .join(' · ');
  return (
    heading(c, `Slowest execution ${shortId(s.executionId)}`, 'waterfall with its critical path') +
    `  ${facts}\n  ${c.dim('█ on the critical path   ░ running, but not what the execution waited for   ▼ first token')}\n\n` +
    renderWaterfallText(s.waterfall, s.totalMs, columns, c)
      .map((l) => `  ${l}`)
      .join('\n')
  );
}

function footer(r: AgentReport, c: Colors, o: TerminalReportOptions): string {
  const e = r.endpoints;
  const files = o.files ?? {};
  const lines = [''];
  if (e.metricsUrl) {
    const scrape = e.metricsScrape;
    const answered =
      scrape?.status !== undefined
        ? c.dim(` (answered ${scrape.status} mid-run with ${scrape.agentTimingSeries} agent series)`)
        : scrape?.error
          ? c.red(` (mid-run scrape failed: ${scrape.error})`)
          : '';
    lines.push(`  ${c.dim('Prometheus')}  ${c.underline(e.metricsUrl)}${answered}`);
  }
  if (e.metricsNote) lines.push(`  ${c.yellow('!')} ${e.metricsNote}`);
  lines.push(`  ${c.dim('Traces    ')}  ${e.otlpTracesUrl ? `OTLP/HTTP → ${e.otlpTracesUrl}` : 'not exported (set OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4318 to send them)'}`);
  if (files.json) lines.push(`  ${c.dim('JSON      ')}  ${files.json}`);
  if (files.html) lines.push(`  ${c.dim('HTML      ')}  ${files.html}`);
  if (o.hint) lines.push(c.dim(`  ${o.hint}`));
  return lines.join('\n');
}

/** The live report's windows side by side (what the page's window selector switches between). */
function windows(r: AgentReport, c: Colors): string {
  const rows = (r.windows ?? []).map((w) => {
    const total = w.percentiles.find((p) => p.metricType === 'total_execution');
    const top = w.breakdown?.categories[0];
    const worst = w.bottlenecks?.[0];
    const degrading = w.trends?.filter((t) => t.trend === 'degrading').length;
    return [
      w.window,
      String(w.breakdown?.executions ?? total?.count ?? 0),
      ms(total?.p95),
      `${w.slo.filter((o) => o.met).length} / ${w.slo.length}`,
      top ? `${categoryLabel(top.category)} ${pct(top.percent, 0)}` : '–',
      worst ? `${metricLabel(worst.metricType)} ${ms(worst.timeAboveMs)}` : '–',
      w.anomalies ? String(w.anomalies.executions) : '–',
      degrading === undefined ? '–' : String(degrading),
    ];
  });
  return (
    heading(c, 'Windows', 'the aggregator’s windows; the sections above show 1 h') +
    table(c, ['Window', 'Executions', 'Total p95', 'SLOs met', 'Most time in', 'Top bottleneck (time ≥ p95)', 'Anomalous', 'Degrading'], rows, [
      'left',
      'right',
      'right',
      'right',
      'left',
      'left',
      'right',
      'right',
    ])
  );
}

/** The whole report as terminal text, `columns` wide (80–120). */
export function renderTerminalReport(r: AgentReport, c: Colors, columns = 100, options: TerminalReportOptions = {}): string {
  const width = Math.max(80, Math.min(120, columns));
  return [
    header(r, c),
    breakdown(r, c),
    percentiles(r, c),
    ttft(r, c),
    bottlenecks(r, c),
    anomalies(r, c),
    slo(r, c),
    trends(r, c),
    ...(r.windows?.length ? [windows(r, c)] : []),
    recommendations(r, c, width),
    slowest(r, c, width),
    footer(r, c, options),
    '',
  ].join('\n');
}
