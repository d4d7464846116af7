import {
  context,
  diag,
  DiagConsoleLogger,
  DiagLogLevel,
  metrics,
  propagation,
  trace,
  type MeterProvider as ApiMeterProvider,
  type TracerProvider as ApiTracerProvider,
} from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations, type Instrumentation } from '@opentelemetry/instrumentation';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { defaultResource, detectResources, envDetector, hostDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { loggingErrorHandler, setGlobalErrorHandler } from '@opentelemetry/core';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { getGlobalAggregator } from '../aggregation/global-aggregator';
import { componentLogger, flushDiagSummaries } from '../internal/diag';
import { limits, resetLimits } from '../internal/limits';
import { configureRedaction } from '../internal/redaction';
import { executionRegistry } from '../api/execution-registry';
import { BreakdownSampler } from '../processor/breakdown-sampler';
import { BreakdownSpanProcessor } from '../processor/breakdown-span-processor';
import { SpanClassifier } from '../processor/classification';
import { OpenAIStreamInstrumentation } from '../processor/openai-stream-instrumentation';
import { exportAgent } from './export-agent';
import { resetLabels } from '../metrics/label-limiter';
import { ExecutionHistogramProducer } from '../metrics/histogram-producer';
import { currentBucketPlan, setHistogramProducer, setInstrumentSloThresholds } from '../metrics/instruments';
import { LiveReport, resolveLiveReportOptions } from '../report/live';
import { serveMetrics, type MetricsEndpoint, type MetricsEndpointStatus } from './metrics-endpoint';
import { samplerFromEnv } from './sampler-from-env';
import { ATTR_SERVICE_NAME } from '../spans/semconv';
import type { AgentTelemetryOptions } from './telemetry-options';
import { resolveTelemetryOptions } from './telemetry-config';
import { agentTimingViews } from '../metrics/views';

const log = componentLogger('telemetry');
/** Background errors of the SDK (a failed span export, for one) reported through OTel's globalErrorHandler. */
const exportLog = componentLogger('export');

/** What startAgentTelemetry() returns. */
export interface AgentTelemetry {
  /** Flushes and stops everything; resolves within shutdownTimeoutMillis. Later calls (and forceFlush()) are no-ops with one warning. */
  shutdown(): Promise<void>;
  /** Exports pending spans now. */
  forceFlush(): Promise<void>;
  /** Resolves once the Prometheus endpoint listens (with its URL) or failed to (with the error). */
  readonly metricsEndpoint: Promise<MetricsEndpointStatus>;
  /** Resolves with the live report page's URL once it is served (`report` option), or `{}` when it is off. */
  readonly reportEndpoint: Promise<MetricsEndpointStatus>;
  /** The providers, for instrumentations you register yourself (undefined when disabled). */
  readonly tracerProvider: ApiTracerProvider | undefined;
  readonly meterProvider: ApiMeterProvider | undefined;
}

let active: AgentTelemetry | undefined;

/** The handle of disabled telemetry: its shutdown turns collectors' span making back on. */
function inert(): AgentTelemetry {
  let done = false;
  return {
    shutdown: () => {
      if (!done) {
        done = true;
        resetLimits();
      }
      return Promise.resolve();
    },
    forceFlush: () => Promise.resolve(),
    metricsEndpoint: Promise.resolve({}),
    reportEndpoint: Promise.resolve({}),
    tracerProvider: undefined,
    meterProvider: undefined,
  };
}

function logLevelFromEnv(): DiagLogLevel | undefined {
  const raw = process.env.OTEL_LOG_LEVEL?.trim().toUpperCase();
  if (!raw) return undefined;
  const level = (DiagLogLevel as unknown as Record<string, DiagLogLevel>)[raw];
  return typeof level === 'number' ? level : undefined;
}

function withTimeout(p: Promise<unknown>, ms: number, what: string): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      log.warn(`${what} did not finish within ${ms} ms; giving up on it`);
      resolve();
    }, ms);
    timer.unref();
    p.then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      (err: unknown) => {
        clearTimeout(timer);
        log.warn(`${what} failed`, err);
        resolve();
      },
    );
  });
}

/**
 * Starts tracing and metrics for agent executions in this process: a tracer provider with the
 * BreakdownSpanProcessor (and OTLP/HTTP export when configured), a meter provider with the
 * agent-timing views and a Prometheus `/metrics` endpoint, the undici (fetch) instrumentation, and
 * the feed of completed executions to the global aggregator. Honours the standard OTEL_*
 * variables. Throws only for invalid options, naming the option.
 */
export function startAgentTelemetry(options: AgentTelemetryOptions = {}): AgentTelemetry {
  const cfg = resolveTelemetryOptions(options);
  // A bad classification row throws now, before anything is started or changed.
  if (options.classificationRules !== undefined) new SpanClassifier(options.classificationRules);
  const reportOptions = resolveLiveReportOptions(options.report);
  if (reportOptions && !cfg.prometheus) {
    throw new TypeError('agent-timing: startAgentTelemetry option report is served beside /metrics: turn the Prometheus endpoint on (remove prometheus: false) or remove report');
  }
  const level = logLevelFromEnv();
  if (level !== undefined) diag.setLogger(new DiagConsoleLogger(), { logLevel: level, suppressOverrideMessage: true });
  if (active) {
    log.warn('startAgentTelemetry() called while an earlier one is running; shut the earlier one down first. Returning it.');
    return active;
  }
  if (cfg.disabled) {
    limits.disabled = true;
    log.info('telemetry disabled (OTEL_SDK_DISABLED or disabled: true): breakdowns are still computed, nothing is exported');
    return inert();
  }

  limits.disabled = false;
  limits.abandonAfterMs = cfg.abandonAfterMs;
  limits.maxExecutionsInFlight = cfg.maxExecutionsInFlight;
  limits.maxAgentNames = cfg.maxAgentNames;
  limits.maxAttributeLength = cfg.maxAttributeLength;
  executionRegistry.reschedule();
  configureRedaction(cfg.redaction);
  setInstrumentSloThresholds(cfg.sloThresholdsMs);

  const resource = defaultResource()
    .merge(detectResources({ detectors: [envDetector, hostDetector] }))
    .merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: cfg.serviceName }))
    .merge(options.resource ?? null);

  const aggregator = cfg.aggregator === true ? getGlobalAggregator() : cfg.aggregator || undefined;
  const spanProcessors: SpanProcessor[] = [new BreakdownSpanProcessor({ aggregator, classificationRules: options.classificationRules })];
  const otlpAgent = cfg.otlp ? exportAgent() : undefined;
  if (cfg.otlp && otlpAgent) {
    const exporter = new OTLPTraceExporter({
      url: cfg.otlp.url,
      headers: cfg.otlp.headers,
      timeoutMillis: cfg.otlp.timeoutMillis,
      httpAgentOptions: otlpAgent.factory,
    });
    spanProcessors.push(
      new BatchSpanProcessor(exporter, {
        maxQueueSize: cfg.otlp.maxQueueSize,
        maxExportBatchSize: cfg.otlp.maxExportBatchSize,
        scheduledDelayMillis: cfg.otlp.scheduledDelayMillis,
        exportTimeoutMillis: cfg.otlp.timeoutMillis ?? 30_000,
      }),
    );
  }
  let metricsUrl: string | undefined;
  const live = reportOptions
    ? new LiveReport(reportOptions, aggregator, { serviceName: cfg.serviceName, sloThresholdsMs: cfg.sloThresholdsMs, metricsUrl: () => metricsUrl })
    : undefined;
  if (live) spanProcessors.push(live.recorder);
  if (options.spanProcessors) spanProcessors.push(...options.spanProcessors);
  const tracerProvider = new NodeTracerProvider({
    resource,
    // Samplers named by OTEL_TRACES_SAMPLER decide a child as its parent was decided; a sampler
    // given in the options may not, so it is asked about every span.
    sampler: options.sampler ? new BreakdownSampler(options.sampler) : new BreakdownSampler(samplerFromEnv(), { childrenFollowParent: true }),
    spanProcessors,
    spanLimits: { attributeValueLengthLimit: cfg.maxAttributeLength },
  });

  // Our three histograms, pre-aggregated: the collectors record into it while this MeterProvider
  // is the global one (same series as SDK instruments with agentTimingViews(), at a fraction of the cost).
  const histograms = new ExecutionHistogramProducer(currentBucketPlan());
  let prometheus: PrometheusExporter | undefined;
  let endpoint: MetricsEndpoint | undefined;
  if (cfg.prometheus) {
    prometheus = new PrometheusExporter({ preventServerStart: true });
    // The exporter is only the MetricReader here: serveMetrics serializes and serves (see there why),
    // and serializes a snapshot of our histograms in slices, rather than taking them as the reader's metricProducers.
    endpoint = serveMetrics(prometheus, cfg.prometheus, histograms);
    if (live) {
      // The report's page, its JSON and a favicon answer (so browsers log no 404), on the same
      // server, under the same connection limits and timeouts as /metrics.
      const serve = live;
      for (const path of serve.paths) endpoint.route(path, (req, res) => void serve.handle(path, req, res));
    }
  }
  const reportEndpoint: Promise<MetricsEndpointStatus> =
    live && endpoint && reportOptions
      ? endpoint.ready.then((status) => {
          if (!status.url) return status;
          metricsUrl = status.url;
          const url = new URL(reportOptions.path, status.url).href;
          if (reportOptions.printUrl) process.stderr.write(`agent-timing: live report at ${url}\n`);
          return { url };
        })
      : Promise.resolve({});
  const meterProvider = new MeterProvider({
    resource,
    views: agentTimingViews({ sloThresholdsMs: cfg.sloThresholdsMs }),
    readers: prometheus ? [prometheus] : [],
  });

  if (cfg.registerGlobal) {
    // The OTLP exporter reports every failed export here; a backend down for minutes would
    // otherwise log ~10 errors a second. Ours is rate-limited, truncated and redacted.
    setGlobalErrorHandler((err) => exportLog.error('an OpenTelemetry background operation failed (for example a span export)', err));
    tracerProvider.register();
    if (!metrics.setGlobalMeterProvider(meterProvider)) {
      log.error('a global MeterProvider is already registered; agent-timing histograms go to that one');
    } else setHistogramProducer(histograms);
  }
  const instrumentations: Instrumentation[] = options.instrumentations ?? [new UndiciInstrumentation(), new OpenAIStreamInstrumentation()];
  const disableInstrumentations = registerInstrumentations({ instrumentations, tracerProvider, meterProvider });

  let shutdownPromise: Promise<void> | undefined;
  let warnedAfterShutdown = false;
  const afterShutdown = (what: string): Promise<void> => {
    if (!warnedAfterShutdown) {
      warnedAfterShutdown = true;
      log.warn(`${what} after shutdown() does nothing (logged once; later calls are silent)`);
    }
    return shutdownPromise ?? Promise.resolve();
  };
  const handle: AgentTelemetry = {
    metricsEndpoint: endpoint?.ready ?? Promise.resolve({}),
    reportEndpoint,
    tracerProvider,
    meterProvider,
    forceFlush: () =>
      shutdownPromise ? afterShutdown('forceFlush()') : withTimeout(tracerProvider.forceFlush(), cfg.shutdownTimeoutMillis, 'forceFlush'),
    shutdown: () => {
      if (shutdownPromise) return afterShutdown('shutdown()');
      shutdownPromise = (async () => {
        disableInstrumentations();
        await withTimeout(
          Promise.allSettled([tracerProvider.shutdown(), meterProvider.shutdown(), endpoint?.close()]),
          cfg.shutdownTimeoutMillis,
          'shutdown',
        );
        // An export still hanging after the timeout is abandoned, so nothing keeps the process up.
        otlpAgent?.close();
        if (cfg.registerGlobal) {
          setGlobalErrorHandler(loggingErrorHandler());
          trace.disable();
          metrics.disable();
          context.disable();
          propagation.disable();
        }
        setHistogramProducer(undefined);
        resetLimits();
        configureRedaction();
        // The agent-name label budget belonged to this telemetry: a later one starts with a full budget.
        resetLabels();
        flushDiagSummaries();
        executionRegistry.reschedule();
        executionRegistry.releaseAnchor();
        if (active === handle) active = undefined;
      })();
      return shutdownPromise;
    },
  };
  active = handle;
  return handle;
}
