import type { IncomingMessage, ServerResponse } from 'node:http';
import { MetricsAggregator } from '../aggregation/metrics-aggregator';
import { componentLogger } from '../internal/diag';
import type { BreakdownSink } from '../api/completion';
import { buildReport } from './build';
import { renderHtmlReport, reportContentSecurityPolicy, scriptJson } from './html';
import type { AgentReport, WaterfallRow } from './model';
import { ReportRecorder, type ReportRecorderOptions } from './recorder';

const log = componentLogger('report');

/** `startAgentTelemetry({ report })`: the live report page, served beside `/metrics`. */
export interface LiveReportOptions extends ReportRecorderOptions {
  /** Path of the page; its JSON is at the same path + `.json`. Default `/report`. */
  path?: string;
  /** Trace UI URL with `{traceId}` where the id goes, e.g. `http://localhost:16686/trace/{traceId}` (Jaeger). Default none. */
  traceUiUrl?: string;
  /** Heading of the page. Default `agent-timing report · <service name>`. */
  title?: string;
  /** How often the open page polls its JSON, ms. Default 2000. */
  pollMs?: number;
  /** Print the page's URL to stderr once it listens. Default true. */
  printUrl?: boolean;
}

export interface ResolvedLiveReportOptions {
  path: string;
  jsonPath: string;
  traceUiUrl?: string;
  title?: string;
  pollMs: number;
  printUrl: boolean;
  recorder: ReportRecorderOptions;
}

function fail(option: string, expected: string, got: unknown): never {
  throw new TypeError(`agent-timing: startAgentTelemetry option report.${option} must be ${expected}, got ${JSON.stringify(got) ?? String(got)}`);
}

/** Validates `report` (throwing a message naming the option); undefined when the report is off. */
export function resolveLiveReportOptions(value: LiveReportOptions | boolean | undefined): ResolvedLiveReportOptions | undefined {
  if (value === undefined || value === false) return undefined;
  const o: LiveReportOptions = value === true ? {} : value;
  if (o === null || typeof o !== 'object') fail('', 'true, false or an object', o);
  const path = o.path ?? '/report';
  if (typeof path !== 'string' || !/^\/[A-Za-z0-9._~/-]*$/.test(path) || path.endsWith('/') || path.endsWith('.json')) {
    fail('path', 'a path such as /report (letters, digits, . _ ~ - and /; not ending in / or .json)', path);
  }
  if (o.traceUiUrl !== undefined && (typeof o.traceUiUrl !== 'string' || !/^https?:\/\/\S+$/i.test(o.traceUiUrl) || !o.traceUiUrl.includes('{traceId}'))) {
    fail('traceUiUrl', 'an http(s) URL containing {traceId}', o.traceUiUrl);
  }
  if (o.pollMs !== undefined && (typeof o.pollMs !== 'number' || !(o.pollMs >= 250))) fail('pollMs', 'a number of ms ≥ 250', o.pollMs);
  if (o.title !== undefined && typeof o.title !== 'string') fail('title', 'a string', o.title);
  const out: ResolvedLiveReportOptions = {
    path,
    jsonPath: `${path}.json`,
    pollMs: o.pollMs ?? 2000,
    printUrl: o.printUrl ?? true,
    recorder: {
      recentExecutions: o.recentExecutions,
      slowestExecutions: o.slowestExecutions,
      listedExecutions: o.listedExecutions,
      recentEveryMs: o.recentEveryMs,
      maxPendingTraces: o.maxPendingTraces,
      maxSpansPerTrace: o.maxSpansPerTrace,
    },
  };
  if (o.traceUiUrl) out.traceUiUrl = o.traceUiUrl;
  if (o.title) out.title = o.title;
  return out;
}

/** What the live JSON holds: the report, the kept executions' waterfalls, and a version that changes with them. */
export interface ReportSnapshot {
  version: number;
  report: AgentReport;
  waterfalls: Record<string, WaterfallRow[]>;
}

/**
 * Serves the live page and its JSON. The report is built when asked for, at most once a second
 * (and again at once when an execution completed), never on the agent's path.
 */
export class LiveReport {
  readonly recorder: ReportRecorder;
  private readonly aggregator: MetricsAggregator | undefined;
  private cached: { at: number; version: number; snapshot: ReportSnapshot } | undefined;
  private buildMs = 0;

  constructor(
    private readonly options: ResolvedLiveReportOptions,
    sink: BreakdownSink | undefined,
    private readonly context: { serviceName: string; sloThresholdsMs?: Record<string, number>; metricsUrl?: () => string | undefined },
  ) {
    this.recorder = new ReportRecorder(options.recorder);
    // Another sink (your own BreakdownSink) has no windows to show: the report keeps its executions only.
    this.aggregator = sink instanceof MetricsAggregator ? sink : undefined;
  }

  snapshot(): ReportSnapshot {
    const now = Date.now();
    const version = this.recorder.version;
    // Rebuilt at most once a second, and never more often than ten times its own cost: a big
    // aggregator (an hour of a busy service) takes a while to summarize, and the host never pays.
    if (this.cached && now - this.cached.at < Math.max(1000, 10 * this.buildMs) && (this.cached.version === version || now - this.cached.at < 10 * this.buildMs)) {
      return this.cached.snapshot;
    }
    const t0 = performance.now();
    const { executions, waterfalls, kept } = this.recorder.snapshot();
    const endpoints: AgentReport['endpoints'] = {};
    const metricsUrl = this.context.metricsUrl?.();
    if (metricsUrl) endpoints.metricsUrl = metricsUrl;
    if (this.options.traceUiUrl) endpoints.traceUiUrl = this.options.traceUiUrl;
    const report = buildReport({
      executions,
      aggregator: this.aggregator ?? emptyAggregator(),
      title: this.options.title ?? `agent-timing report · ${this.context.serviceName}`,
      endpoints,
      sloThresholdsMs: this.context.sloThresholdsMs,
      allWindows: true,
      keptNote: `Waterfalls are kept for ${kept} of them (the most recent and the slowest).`,
    });
    const snapshot = { version, report, waterfalls };
    this.buildMs = performance.now() - t0;
    this.cached = { at: now, version, snapshot };
    return snapshot;
  }

  /** The paths handle() answers: the page, its JSON, and an empty favicon. */
  get paths(): readonly string[] {
    return [this.options.path, this.options.jsonPath, '/favicon.ico'];
  }

  /** Answers GET/HEAD of the page and its JSON; false for any other path. */
  handle(pathname: string, req: IncomingMessage, res: ServerResponse): boolean {
    if (pathname === '/favicon.ico') {
      // Browsers ask for it beside any page; an empty answer keeps their console free of 404s.
      res.writeHead(204, { 'Cache-Control': 'max-age=86400' });
      res.end();
      return true;
    }
    if (pathname !== this.options.path && pathname !== this.options.jsonPath) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Method not allowed\n');
      return true;
    }
    let body: string;
    let type: string;
    try {
      const snap = this.snapshot();
      if (pathname === this.options.jsonPath) {
        body = scriptJson(snap);
        type = 'application/json; charset=utf-8';
      } else {
        const jsonName = this.options.jsonPath.slice(this.options.jsonPath.lastIndexOf('/') + 1);
        body = renderHtmlReport(snap.report, snap.waterfalls, { liveJson: jsonName, pollMs: this.options.pollMs, version: snap.version });
        type = 'text/html; charset=utf-8';
      }
    } catch (err) {
      log.error('the report could not be built', err);
      res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('The report could not be built; see the diag log.\n');
      return true;
    }
    res.writeHead(200, {
      'Content-Type': type,
      'Content-Length': Buffer.byteLength(body),
      'Cache-Control': 'no-store',
      'Content-Security-Policy': reportContentSecurityPolicy(true),
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Resource-Policy': 'same-origin',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  }
}

/** A report without an aggregator (startAgentTelemetry({ aggregator: false })) still lists executions. */
let empty: MetricsAggregator | undefined;
function emptyAggregator(): MetricsAggregator {
  return (empty ??= new MetricsAggregator());
}
