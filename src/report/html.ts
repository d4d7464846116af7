import { createHash } from 'node:crypto';
import { CATEGORY_STYLE, METRIC_LABELS } from './format';
import type { AgentReport, PageData, WaterfallRow } from './model';
import { PAGE_SCRIPT } from './page-script';
import { PAGE_STYLE } from './page-style';

const SECTIONS: Array<[id: string, title: string, note: string]> = [
  ['breakdown', 'Where the time went', 'Every execution’s wall-clock time, partitioned into categories by the SDK.'],
  ['executions', 'Every execution', ''],
  ['waterfall', 'Waterfall', 'The execution’s spans on its own time axis, with its critical path (what it waited for).'],
  ['throughput', 'Throughput and concurrency', ''],
  ['ttft', 'Time to first token', ''],
  ['slo', 'SLO compliance', 'Objectives over every observation in the window, with the error budget left.'],
  ['percentiles', 'Percentiles by metric', 'From the MetricsAggregator’s sketches (±1 %).'],
  ['bottlenecks', 'Bottlenecks', 'getBottlenecks(95): the slowest 5 % of each metric and the time they cost.'],
  ['anomalies', 'Anomalies', ''],
  ['trends', 'Trends', ''],
  ['recommendations', 'Recommendations', 'From PerformanceAnalyzer.'],
  ['list', 'Executions', 'Search, sort and open any execution with a waterfall.'],
];

/** Options of renderHtmlReport(). */
export interface HtmlReportOptions {
  /** Waterfalls embedded, at most: the slowest half and the most recent half. Default 120. */
  maxWaterfalls?: number;
  /** Relative URL of the JSON the live page polls. */
  liveJson?: string;
  pollMs?: number;
  /** Version of the data (the live page redraws when it changes). */
  version?: number;
}

/** JSON that is safe inside <script>: no `<`, no line separators JS would choke on; ms rounded to µs. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Math.round(v * 1000) / 1000 : v))
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

const sha256 = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
const SCRIPT_HASH = sha256(PAGE_SCRIPT);
const STYLE_HASH = sha256(PAGE_STYLE);

/**
 * The page's Content-Security-Policy: nothing loads from anywhere; the one inline script and the
 * one style sheet run by their hashes; the live page may fetch its own JSON. `frame-ancestors`
 * only works as a header, so the meta tag of a saved file leaves it out.
 */
export function reportContentSecurityPolicy(header = true): string {
  return [
    "default-src 'none'",
    `script-src ${SCRIPT_HASH}`,
    `style-src ${STYLE_HASH}`,
    "img-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    ...(header ? ["frame-ancestors 'none'"] : []),
  ].join('; ');
}

/** The waterfalls to embed: all when they fit, else the slowest half and the most recent half. */
export function boundWaterfalls(report: AgentReport, waterfalls: Record<string, WaterfallRow[]>, max: number): Record<string, WaterfallRow[]> {
  const ids = Object.keys(waterfalls);
  if (ids.length <= max) return waterfalls;
  const byTotal = new Map(report.executions.map((e) => [e.executionId, e]));
  const known = ids.filter((id) => byTotal.has(id));
  const keep = new Set<string>();
  if (report.slowest) keep.add(report.slowest.executionId);
  [...known].sort((a, b) => byTotal.get(b)!.totalMs - byTotal.get(a)!.totalMs).slice(0, Math.floor(max / 2)).forEach((id) => keep.add(id));
  const recent = [...known].sort((a, b) => byTotal.get(b)!.startOffsetMs - byTotal.get(a)!.startOffsetMs);
  for (const id of recent) {
    if (keep.size >= max) break;
    keep.add(id);
  }
  const out: Record<string, WaterfallRow[]> = {};
  for (const id of keep) out[id] = waterfalls[id];
  return out;
}

/** One self-contained page: inline CSS, script and SVG drawn from the embedded data; no network. */
export function renderHtmlReport(report: AgentReport, waterfalls: Record<string, WaterfallRow[]>, options: HtmlReportOptions = {}): string {
  return renderHtmlPage(report, scriptJson(pageData(report, waterfalls, options)));
}

/** What the page embeds (its script draws everything from it). */
export function pageData(report: AgentReport, waterfalls: Record<string, WaterfallRow[]>, options: HtmlReportOptions = {}): PageData & { version?: number } {
  const data: PageData & { version?: number } = {
    report,
    waterfalls: boundWaterfalls(report, waterfalls, options.maxWaterfalls ?? 120),
    categories: Object.fromEntries(Object.entries(CATEGORY_STYLE).map(([k, v]) => [k, { hex: v.hex, label: v.label }])),
    metricLabels: { ...METRIC_LABELS },
  };
  if (options.liveJson) data.liveJson = options.liveJson;
  if (options.pollMs) data.pollMs = options.pollMs;
  if (options.version !== undefined) data.version = options.version;
  return data;
}

/** The page around its data, `dataJson` being scriptJson(pageData(…)) (the live route serializes it in slices). */
export function renderHtmlPage(report: AgentReport, dataJson: string): string {
  const title = `${report.title} · ${report.run.requests} executions · ${report.run.startedAt.slice(0, 19).replace('T', ' ')}`;
  const sections = SECTIONS.map(
    ([id, heading, note]) =>
      `<section id="${id}" aria-labelledby="${id}-h"><header><h2 id="${id}-h">${escapeHtml(heading)}</h2><p class="note">${escapeHtml(note)}</p></header><div class="body"></div></section>`,
  ).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${reportContentSecurityPolicy(false)}">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<main>
<header class="top">
  <div class="brand">${escapeHtml(report.title)} <span id="live" class="live" role="status" aria-live="polite"></span></div>
  <h1 id="headline"></h1>
  <p id="subline" class="note"></p>
  <div id="kpis" class="kpis"></div>
</header>
${sections}
<footer id="footer" class="note"></footer>
</main>
<div id="tooltip" role="tooltip"></div>
<noscript><p class="note">This report draws its charts with JavaScript; the raw data is in the script tag "report-data".</p></noscript>
<script id="report-data" type="application/json">${dataJson}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}
