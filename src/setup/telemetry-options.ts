import type { Sampler, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Resource } from '@opentelemetry/resources';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import type { MetricsAggregator } from '../aggregation/metrics-aggregator';
import type { RedactionOptions } from '../internal/redaction';
import type { ClassificationRule } from '../processor/classification';
import type { LiveReportOptions } from '../report/live';

/** The Prometheus `/metrics` endpoint: where it listens, what it writes, and its limits (docs/metrics-endpoint.md). */
export interface PrometheusEndpointOptions {
  /** Bind address. Default `OTEL_EXPORTER_PROMETHEUS_HOST`, else `localhost` (loopback only). */
  host?: string;
  /** Port. Default `OTEL_EXPORTER_PROMETHEUS_PORT`, else 9464. `0` picks a free port. */
  port?: number;
  /** Path of the endpoint. Default `/metrics`. */
  endpoint?: string;
  /** Leave out the `otel_scope_name` / `otel_scope_version` labels of every series (~29 % of the bytes). Default false. No environment variable. */
  withoutScopeInfo?: boolean;
  /** Leave out the `target_info` series (the resource attributes). Default false. No environment variable. */
  withoutTargetInfo?: boolean;
  /** Most connections open at once; more are closed as soon as they are accepted. Default 64. */
  maxConnections?: number;
  /** A connection that has not sent its request headers within this time is closed, ms. Default 5000. */
  headersTimeoutMillis?: number;
  /** A connection that has not sent its whole request within this time is closed, ms. Default 10 000 (at least headersTimeoutMillis). */
  requestTimeoutMillis?: number;
  /** An idle keep-alive connection is closed after this time, ms. Default 5000. */
  keepAliveTimeoutMillis?: number;
  /** A connection on which nothing moves (a scraper that stopped reading) is closed after this time, ms; not counted while
   *  the scrape is still being collected (then the process is the slow side). Default 10 000. */
  idleTimeoutMillis?: number;
  /** Most response bytes queued for one connection; past it that connection is dropped. Default 1 MiB. */
  maxBufferedBytes?: number;
}

/** OTLP/HTTP trace export. */
export interface OtlpTraceOptions {
  /** Full traces URL. Default `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, else `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/traces`. */
  url?: string;
  /** Extra HTTP headers (also read from `OTEL_EXPORTER_OTLP_HEADERS` by the exporter). */
  headers?: Record<string, string>;
  /** Per-request timeout, ms. Default 10 000 (`OTEL_EXPORTER_OTLP_TIMEOUT`). */
  timeoutMillis?: number;
  /** Most spans queued for export before new ones are dropped (and counted). Default 2048. */
  maxQueueSize?: number;
  /** Spans per export request. Default 512. */
  maxExportBatchSize?: number;
  /** Delay between exports, ms. Default 5000 (`OTEL_BSP_SCHEDULE_DELAY`). */
  scheduledDelayMillis?: number;
}

/** Options of startAgentTelemetry(). Every field is optional; environment variables fill the gaps. */
export interface AgentTelemetryOptions {
  /** Service name on every span and metric. Default `OTEL_SERVICE_NAME`, else `agent-service`. */
  serviceName?: string;
  /** Extra resource attributes merged over the detected ones. */
  resource?: Resource;
  /** Prometheus endpoint, or `false` for none. Default on, `localhost:9464/metrics`. */
  prometheus?: PrometheusEndpointOptions | false;
  /** OTLP/HTTP trace export. Default on only when `OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT` is set. */
  otlp?: OtlpTraceOptions | boolean;
  /** Head sampler for exported traces. Default from `OTEL_TRACES_SAMPLER(_ARG)`, else parent-based always-on.
   *  Breakdowns and metrics always cover every execution: unsampled spans are still recorded for them. */
  sampler?: Sampler;
  /** SLO thresholds in ms keyed by MetricType value; each becomes an exact histogram boundary.
   *  The guide's three (TTFT 1000, database_query 100, total_execution 5000) are always included. */
  sloThresholdsMs?: Record<string, number>;
  /** Feed each completed execution's breakdown to an aggregator: `true` = the global one. Default true. */
  aggregator?: MetricsAggregator | boolean;
  /** An execution never completed is evicted after this many ms, with one diag warning. Default 600 000. */
  abandonAfterMs?: number;
  /** Most executions in flight at once; starting one more evicts the oldest (ends its spans, counted in
   *  getAgentTimingHealth().evictedExecutions). Bounds memory by count as abandonAfterMs does by time. Default 10 000. */
  maxExecutionsInFlight?: number;
  /** Most distinct agent names used as metric label values; more become `_other`. Default 100. */
  maxAgentNames?: number;
  /** Redaction of phase metadata before it becomes span attributes. */
  redaction?: RedactionOptions;
  /** Longest string attribute value we write, in characters. Default 1024. */
  maxAttributeLength?: number;
  /** Rows tried before the built-in span classification table (docs/frameworks.md): add or
   *  override how other instrumentations' spans are categorized. A bad row throws here. */
  classificationRules?: readonly ClassificationRule[];
  /** More span processors (your own exporters), added after the breakdown processor and OTLP export. */
  spanProcessors?: SpanProcessor[];
  /** Instrumentations to enable; default the undici (fetch) client instrumentation and
   *  OpenAIStreamInstrumentation (TTFT of `openai` streams). `[]` for none. */
  instrumentations?: Instrumentation[];
  /** Longest time shutdown() waits for flushing exporters, ms. Default 5000. */
  shutdownTimeoutMillis?: number;
  /** Register the providers as the global OTel providers. Default true. */
  registerGlobal?: boolean;
  /** Live report page (waterfalls, percentiles, SLOs) at `/report` on the Prometheus endpoint's server,
   *  with its JSON at `/report.json`; `true` for the defaults. Needs `prometheus` on. Default off. */
  report?: LiveReportOptions | boolean;
  /** Turn everything off (as `OTEL_SDK_DISABLED=true` does): collectors still compute breakdowns. */
  disabled?: boolean;
}
