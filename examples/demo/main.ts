// `npm run demo`: a realistic agent workload, measured by agent-timing, and the report.
// The SDK is imported by its package name, as in your project (docs/demo.md: how it resolves here).
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AGENT_NAME } from './agent';
import { createProgress, type Progress } from './progress';
import { buildDemoReport, type Endpoints } from './report/model';
import { HELP, parseOptions, UsageError, type DemoOptions } from './options';
import { portIsFree, probeOtlp, scrapeMetrics, type ScrapeResult } from './endpoint';
import { planRun } from './scenario';
import {
  AggregationWindow,
  ansiColors,
  colorEnabled,
  formatSeconds,
  getGlobalAggregator,
  MetricType,
  PerformanceAnalyzer,
  renderHtmlReport,
  renderTerminalReport,
  startAgentTelemetry,
  startResourceSampler,
  type AgentTelemetry,
  type ResourceSample,
} from 'agent-timing';
import { startServices, type Services } from './services';
import { WaterfallRecorder } from './waterfall';
import { runWorkload } from './workload';

function parseOrExit(): DemoOptions {
  try {
    return parseOptions(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`demo: ${err.message}\nRun with --help for the options.\n`);
    process.exit(2);
  }
}

/** Starts telemetry with /metrics on the asked port, or on a free one when it is taken. */
async function startTelemetry(port: number, spans: WaterfallRecorder): Promise<{ telemetry: AgentTelemetry; endpoints: Pick<Endpoints, 'metricsUrl' | 'metricsNote' | 'reportUrl'> }> {
  const host = process.env.OTEL_EXPORTER_PROMETHEUS_HOST?.trim() || 'localhost';
  let note: string | undefined;
  let usePort = port;
  if (port !== 0 && !(await portIsFree(host, port))) {
    note = `port ${port} is in use, so /metrics listens on a free port instead (choose one with --port)`;
    usePort = 0;
  }
  const telemetry = startAgentTelemetry({
    serviceName: 'agent-timing-demo',
    prometheus: { port: usePort },
    spanProcessors: [spans],
    // The live report page beside /metrics (kept up with --serve).
    report: { printUrl: false },
  });
  const status = await telemetry.metricsEndpoint;
  if (status.error) note = `/metrics is not available: ${status.error.message}`;
  const endpoints: Pick<Endpoints, 'metricsUrl' | 'metricsNote' | 'reportUrl'> = {};
  if (status.url) endpoints.metricsUrl = status.url;
  const report = await telemetry.reportEndpoint;
  if (report.url) endpoints.reportUrl = report.url;
  if (note) endpoints.metricsNote = note;
  return { telemetry, endpoints };
}

function otlpTracesUrl(): string | undefined {
  const traces = process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  if (traces) return traces;
  const base = process.env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  return base ? `${base.replace(/\/$/, '')}/v1/traces` : undefined;
}

async function main(): Promise<void> {
  const opts = parseOrExit();
  if (opts.help) {
    process.stdout.write(HELP);
    return;
  }
  const jsonToStdout = opts.json === '-';
  const reportStream = jsonToStdout ? process.stderr : process.stdout;
  const status = process.stderr;
  const c = ansiColors(colorEnabled(status));
  const startedAt = new Date();
  const t0 = performance.now();

  status.write(`${c.bold('agent-timing demo')} ${c.dim(`· ${opts.requests} requests · concurrency ${opts.concurrency} · seed ${opts.seed}`)}\n`);
  const spans = new WaterfallRecorder();
  const { telemetry, endpoints: metricsEndpoints } = await startTelemetry(opts.port, spans);
  let services: Services | undefined;
  let progress: Progress | undefined;
  let exiting = false;
  let serving = false;
  const cleanup = async (): Promise<void> => {
    await services?.stop().catch(() => undefined);
    services = undefined;
    await telemetry.shutdown();
  };
  process.once('SIGINT', () => {
    if (exiting) return;
    exiting = true;
    progress?.stop();
    if (!serving) status.write('\nInterrupted; shutting down.\n');
    void cleanup().finally(() => process.exit(serving ? 0 : 130));
  });

  try {
    if (metricsEndpoints.metricsUrl) status.write(`  ${c.dim('/metrics')}   ${metricsEndpoints.metricsUrl}\n`);
    if (metricsEndpoints.reportUrl) status.write(`  ${c.dim('/report')}    ${metricsEndpoints.reportUrl} ${c.dim('(live)')}\n`);
    if (metricsEndpoints.metricsNote) status.write(`  ${c.yellow('!')} ${metricsEndpoints.metricsNote}\n`);
    const otlp = otlpTracesUrl();
    if (otlp) {
      const problem = await probeOtlp(otlp);
      status.write(`  ${c.dim('traces')}     OTLP → ${otlp}${problem ? ` ${c.yellow(`! ${problem}: start a collector (cd collector-config && docker compose up -d)`)}` : ''}\n`);
    }
    status.write(`  ${c.dim('starting')}   Postgres (PGlite, in WebAssembly), HTTP upstream, WebSocket hub…`);
    services = await startServices();
    status.write(` ${c.green('ready')} ${c.dim(`in ${formatSeconds(performance.now() - t0)}`)}\n`);
    const startupMs = performance.now() - t0;

    const aggregator = getGlobalAggregator();
    const resourceSamples: ResourceSample[] = [];
    const sampler = startResourceSampler({ intervalMs: 1000, onSample: (s) => resourceSamples.push(s) });
    progress = createProgress(opts.requests, status, colorEnabled(status));
    let scrape: Promise<ScrapeResult> | undefined;
    const half = Math.ceil(opts.requests / 2);
    const runStart = performance.now();
    const records = await runWorkload({
      plans: planRun(opts.seed, opts.requests, opts.concurrency),
      concurrency: opts.concurrency,
      services,
      spans,
      onProgress: (p) => {
        progress?.update(p, {
          p95TotalMs: aggregator.getAggregatedMetrics(MetricType.TOTAL_EXECUTION, AggregationWindow.MINUTE)?.p95,
          p95TtftMs: aggregator.getAggregatedMetrics(MetricType.TTFT, AggregationWindow.MINUTE)?.p95,
        });
        // Half-way, scrape our own /metrics as Prometheus would: proof the endpoint serves live data.
        if (p.done === half && metricsEndpoints.metricsUrl) scrape = scrapeMetrics(metricsEndpoints.metricsUrl);
      },
    });
    const durationMs = performance.now() - runStart;
    sampler.stop();
    progress.stop();
    progress = undefined;

    const endpoints: Endpoints = { ...metricsEndpoints, upstreamUrl: services.apiUrl, websocketUrl: services.wsUrl };
    if (scrape) endpoints.metricsScrape = { afterRequests: half, ...(await scrape) };
    if (otlp) endpoints.otlpTracesUrl = otlp;
    const report = buildDemoReport({
      records,
      aggregator,
      analyzer: new PerformanceAnalyzer(),
      run: { seed: opts.seed, concurrency: opts.concurrency, agentName: AGENT_NAME, startedAt: startedAt.toISOString(), durationMs, startupMs, databaseStartMs: services.databaseStartMs },
      endpoints,
      resourceSamples,
    });

    const files: { json?: string; html?: string } = {};
    if (opts.json && !jsonToStdout) files.json = resolve(opts.json);
    if (opts.html) files.html = resolve(opts.html);
    const rc = ansiColors(colorEnabled(reportStream));
    const hint = files.html ? undefined : 'Try --html report.html for the interactive version, --help for options.';
    reportStream.write(renderTerminalReport(report, rc, reportStream.columns ?? 100, { files, hint }));
    if (jsonToStdout) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else if (files.json) writeFileSync(files.json, `${JSON.stringify(report, null, 2)}\n`);
    if (files.html) writeFileSync(files.html, renderHtmlReport(report, Object.fromEntries(records.map((r) => [r.breakdown.executionId, r.waterfall]))));

    await services.stop();
    services = undefined;
    if (opts.serve && !metricsEndpoints.metricsUrl) status.write(`${c.yellow('!')} --serve: there is no /metrics endpoint to keep up\n`);
    if (opts.serve && metricsEndpoints.metricsUrl) {
      status.write(`\n${c.bold('Serving')} ${metricsEndpoints.metricsUrl}${metricsEndpoints.reportUrl ? ` and ${metricsEndpoints.reportUrl}` : ''} ${c.dim('until Ctrl-C')}\n`);
      serving = true;
      setInterval(() => undefined, 1 << 30); // the endpoint itself never keeps the process alive
      return;
    }
  } catch (err) {
    progress?.stop();
    status.write(`\n${c.red('demo failed:')} ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  }
  if (!exiting) await cleanup();
}

void main();
