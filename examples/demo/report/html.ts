import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutionRecord } from '../workload';
import type { DemoReport } from './model';
import { CATEGORY_STYLE, metricLabel } from './style';

/** What the page's script reads: the report, every execution's waterfall, the palette. */
export interface PageData {
  report: DemoReport;
  waterfalls: Record<string, ExecutionRecord['waterfall']>;
  categories: typeof CATEGORY_STYLE;
  metricLabels: Record<string, string>;
}

const SECTIONS: Array<[id: string, title: string, note: string]> = [
  ['breakdown', 'Where the time went', 'Every execution’s wall-clock time, partitioned into categories by the SDK.'],
  ['executions', 'Every execution', 'One column per request in arrival order, stacked by category. Click one to draw its waterfall.'],
  ['waterfall', 'Waterfall', 'Solid: on the critical path (what the execution waited for). Faded: running, but off the path.'],
  ['ttft', 'Time to first token', 'Distribution across executions; the dashed line is the 1 s objective.'],
  ['slo', 'SLO compliance', 'The guide’s objectives over every observation of the run.'],
  ['percentiles', 'Percentiles by metric', 'From the MetricsAggregator’s sketches (±1 %).'],
  ['bottlenecks', 'Bottlenecks', 'getBottlenecks(95): the slowest 5 % of each metric and the time they cost.'],
  ['anomalies', 'Anomalies', ''],
  ['trends', 'Trends', ''],
  ['recommendations', 'Recommendations', 'From PerformanceAnalyzer.'],
];

/** JSON that is safe inside <script>: no `</script>`, no line separators JS would choke on; ms rounded to µs. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Math.round(v * 1000) / 1000 : v))
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch]!);
}

/** One self-contained page: inline CSS, script and SVG drawn from the embedded data; no network. */
export function renderHtmlReport(report: DemoReport, records: ExecutionRecord[]): string {
  const data: PageData = {
    report,
    waterfalls: Object.fromEntries(records.map((r) => [r.breakdown.executionId, r.waterfall])),
    categories: CATEGORY_STYLE,
    metricLabels: Object.fromEntries(
      ['time_to_first_token', 'total_execution', 'queue_wait', 'database_query', 'external_api', 'websocket_latency', 'initialization', 'tool_execution', 'llm_processing'].map(
        (t) => [t, metricLabel(t)],
      ),
    ),
  };
  const asset = (name: string): string => readFileSync(join(__dirname, 'html', name), 'utf8');
  const title = `agent-timing demo · ${report.run.requests} requests · ${report.run.startedAt.slice(0, 19).replace('T', ' ')}`;
  const sections = SECTIONS.map(
    ([id, heading, note]) =>
      `<section id="${id}"><header><h2>${escapeHtml(heading)}</h2><p class="note">${escapeHtml(note)}</p></header><div class="body"></div></section>`,
  ).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
${asset('page.css')}
</style>
</head>
<body>
<main>
<header class="top">
  <div class="brand">agent-timing <span>demo report</span></div>
  <h1 id="headline"></h1>
  <p id="subline" class="note"></p>
  <div id="kpis" class="kpis"></div>
</header>
${sections}
<footer id="footer" class="note"></footer>
</main>
<div id="tooltip" role="tooltip"></div>
<noscript><p class="note">This report draws its charts with JavaScript; the raw data is in the script tag "report-data".</p></noscript>
<script id="report-data" type="application/json">${scriptJson(data)}</script>
<script>
${asset('page.js')}
</script>
</body>
</html>
`;
}
