import type { IncomingMessage, ServerResponse } from 'node:http';
import { MetricsAggregator } from '../aggregation/metrics-aggregator';
import { componentLogger } from '../internal/diag';
import type { BreakdownSink } from '../api/completion';
import { buildReportSteps } from './build';
import { pageData, renderHtmlPage, reportContentSecurityPolicy } from './html';
import { scriptJsonSteps } from './json-steps';
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

/** Counters of a live report since it started (for tests and health checks). */
export interface LiveReportStats {
  /** Requests for the page or its JSON. */
  requests: number;
  /** Reports built. A request that finds a recent report, or one being built, starts none. */
  builds: number;
  /** Requests that joined a build already in progress instead of starting one. */
  joined: number;
  /** Requests answered from the report built last. */
  cached: number;
  /** Slices the builds and serializations ran in; between two slices the event loop has a turn. */
  slices: number;
  /** Turns given to the event loop in the middle of a build or a serialization. */
  yields: number;
  /** Longest slice, ms of wall-clock time (a measurement: the budget is sliceMs, and one step can exceed it; on a
   *  loaded machine it includes the time the thread was preempted). */
  longestSliceMs: number;
  /** CPU time of the longest slice by CPU, ms (process.cpuUsage: this thread, and any other of the process meanwhile). */
  longestSliceCpuMs: number;
  /** Requests answered 503 because shutdown had begun (before or while their report was built). */
  shuttingDown: number;
}

/** A slice runs steps until this much time has passed, then gives the event loop a turn. */
const DEFAULT_SLICE_MS = 8;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

class ShuttingDown extends Error {}

interface Built {
  /** When the build ended (Date.now()). */
  at: number;
  version: number;
  /** Time the build took on the event loop (the sum of its slices), ms. */
  busyMs: number;
  snapshot: ReportSnapshot;
  json?: Promise<string>;
  html?: Promise<string>;
}

/**
 * Serves the live page and its JSON. The report is built when asked for, never on the agent's
 * path, and cooperatively: buildReportSteps(), the recorder's snapshotSteps() and the JSON
 * (scriptJsonSteps()) run in slices of about `sliceMs`, with a turn of the event loop between
 * two slices (setImmediate), so the host's timers and I/O wait one slice at most, not the whole
 * build (283 ms in the benchmark, 1.8 s under load, as one block before). Sliced on the event
 * loop rather than in a worker: the report reads the aggregator's sketches and the recorder's
 * spans, which a worker would need copied over first — a copy as long as the build itself, on
 * this thread (measured in bench/report.bench.ts: no slice above ~10–25 ms).
 *
 * Requests arriving while a report is built wait for that build; a built report serves every
 * request for at least a second, and for ten times its build time. At most one build runs and one
 * built report (with its JSON and page text) is held. Shutdown ends a build at its next slice and
 * answers its requests 503.
 */
export class LiveReport {
  readonly recorder: ReportRecorder;
  private readonly aggregator: MetricsAggregator | undefined;
  private cached: Built | undefined;
  private building: Promise<Built> | undefined;
  private closed = false;
  private readonly sliceMs: number;
  private readonly counters: LiveReportStats = { requests: 0, builds: 0, joined: 0, cached: 0, slices: 0, yields: 0, longestSliceMs: 0, longestSliceCpuMs: 0, shuttingDown: 0 };

  constructor(
    private readonly options: ResolvedLiveReportOptions,
    sink: BreakdownSink | undefined,
    private readonly context: {
      serviceName: string;
      sloThresholdsMs?: Record<string, number>;
      metricsUrl?: () => string | undefined;
      /** Budget of one slice, ms (tests use 0: one step per slice). Default 8. */
      sliceMs?: number;
    },
  ) {
    this.recorder = new ReportRecorder(options.recorder);
    // Another sink (your own BreakdownSink) has no windows to show: the report keeps its executions only.
    this.aggregator = sink instanceof MetricsAggregator ? sink : undefined;
    this.sliceMs = context.sliceMs ?? DEFAULT_SLICE_MS;
    // The recorder is one of the tracer provider's span processors: it shuts down with telemetry.shutdown().
    this.recorder.onShutdown(() => this.close());
  }

  /** Counters since start (a copy). */
  stats(): LiveReportStats {
    return { ...this.counters };
  }

  /** Ends a build in progress at its next slice; requests from now on are answered 503. */
  close(): void {
    this.closed = true;
    this.cached = undefined;
  }

  /** The report as the JSON serves it: a recent one, the one being built, or a new build. */
  snapshot(): Promise<ReportSnapshot> {
    return this.current().then((b) => b.snapshot);
  }

  private current(): Promise<Built> {
    if (this.closed) return Promise.reject(new ShuttingDown());
    const now = Date.now();
    const c = this.cached;
    // Kept at least a second, and never rebuilt more often than ten times its own cost: a big
    // aggregator (an hour of a busy service) takes a while to summarize, and the host pays for it.
    if (c && now - c.at < Math.max(1000, 10 * c.busyMs) && (c.version === this.recorder.version || now - c.at < 10 * c.busyMs)) {
      this.counters.cached++;
      return Promise.resolve(c);
    }
    if (this.building) {
      this.counters.joined++;
      return this.building;
    }
    this.counters.builds++;
    const building = this.build().finally(() => {
      if (this.building === building) this.building = undefined;
    });
    this.building = building;
    return building;
  }

  /** Runs `steps` to the end in slices of about sliceMs, a turn of the event loop between two. */
  private async sliced<T>(steps: Generator<void, T, void>): Promise<{ value: T; busyMs: number }> {
    let busyMs = 0;
    let longestStep = 0;
    for (;;) {
      if (this.closed) throw new ShuttingDown();
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      const deadline = t0 + this.sliceMs;
      let step: IteratorResult<void, T>;
      let at = t0;
      // A slice ends before a step that would likely overrun it (judged by the longest step so far),
      // not after: the event loop then waits about sliceMs, not sliceMs plus a step.
      do {
        step = steps.next();
        const now = performance.now();
        if (now - at > longestStep) longestStep = now - at;
        at = now;
      } while (!step.done && at + longestStep < deadline);
      const took = performance.now() - t0;
      busyMs += took;
      this.counters.slices++;
      if (took > this.counters.longestSliceMs) this.counters.longestSliceMs = took;
      const cpu = process.cpuUsage(cpu0);
      const cpuMs = (cpu.user + cpu.system) / 1000;
      if (cpuMs > this.counters.longestSliceCpuMs) this.counters.longestSliceCpuMs = cpuMs;
      if (step.done) return { value: step.value, busyMs };
      this.counters.yields++;
      await nextTurn();
    }
  }

  private async build(): Promise<Built> {
    const version = this.recorder.version;
    const recorded = await this.sliced(this.recorder.snapshotSteps());
    const { executions, waterfalls, kept } = recorded.value;
    const endpoints: AgentReport['endpoints'] = {};
    const metricsUrl = this.context.metricsUrl?.();
    if (metricsUrl) endpoints.metricsUrl = metricsUrl;
    if (this.options.traceUiUrl) endpoints.traceUiUrl = this.options.traceUiUrl;
    const built = await this.sliced(
      buildReportSteps({
        executions,
        aggregator: this.aggregator ?? emptyAggregator(),
        title: this.options.title ?? `agent-timing report · ${this.context.serviceName}`,
        endpoints,
        sloThresholdsMs: this.context.sloThresholdsMs,
        allWindows: true,
        keptNote: `Waterfalls are kept for ${kept} of them (the most recent and the slowest).`,
      }),
    );
    if (this.closed) throw new ShuttingDown();
    // Aged from its end: a build stretched by a busy event loop is not followed at once by the next.
    const b: Built = { at: Date.now(), version, busyMs: recorded.busyMs + built.busyMs, snapshot: { version, report: built.value, waterfalls } };
    this.cached = b;
    return b;
  }

  /** The JSON or the page of a built report, serialized once (in slices) and shared by its requests. */
  private body(b: Built, json: boolean): Promise<string> {
    const drop = (err: unknown): never => {
      if (json) b.json = undefined;
      else b.html = undefined;
      throw err;
    };
    if (json) return (b.json ??= this.sliced(scriptJsonSteps(b.snapshot)).then((r) => r.value, drop));
    const jsonName = this.options.jsonPath.slice(this.options.jsonPath.lastIndexOf('/') + 1);
    const data = pageData(b.snapshot.report, b.snapshot.waterfalls, { liveJson: jsonName, pollMs: this.options.pollMs, version: b.snapshot.version });
    return (b.html ??= this.sliced(scriptJsonSteps(data)).then((r) => renderHtmlPage(b.snapshot.report, r.value), drop));
  }

  /** The paths handle() answers: the page, its JSON, and an empty favicon. */
  get paths(): readonly string[] {
    return [this.options.path, this.options.jsonPath, '/favicon.ico'];
  }

  /**
   * Answers GET/HEAD of the page and its JSON; false for any other path. Returns at once: the
   * response is written when the report is ready (errors are answered and logged here, never thrown).
   */
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
    this.counters.requests++;
    void this.answer(pathname === this.options.jsonPath, req, res);
    return true;
  }

  private async answer(json: boolean, req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body: string;
    try {
      body = await this.body(await this.current(), json);
    } catch (err) {
      if (res.destroyed || res.headersSent) return;
      if (err instanceof ShuttingDown) {
        this.counters.shuttingDown++;
        res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close', 'Cache-Control': 'no-store' });
        res.end('The service is shutting down.\n');
        return;
      }
      log.error('the report could not be built', err);
      res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('The report could not be built; see the diag log.\n');
      return;
    }
    if (res.destroyed || res.headersSent) return; // the client left, or the server closed it, while we built
    res.writeHead(200, {
      'Content-Type': json ? 'application/json; charset=utf-8' : 'text/html; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
      'Cache-Control': 'no-store',
      'Content-Security-Policy': reportContentSecurityPolicy(true),
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Resource-Policy': 'same-origin',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  }
}

/** A report without an aggregator (startAgentTelemetry({ aggregator: false })) still lists executions. */
let empty: MetricsAggregator | undefined;
function emptyAggregator(): MetricsAggregator {
  return (empty ??= new MetricsAggregator());
}
