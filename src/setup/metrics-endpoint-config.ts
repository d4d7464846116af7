import type { MetricsEndpointConfig } from './metrics-endpoint';
import type { PrometheusEndpointOptions } from './telemetry-options';
import { optionFailure, positiveInteger as positiveIntegerOption, showJson, type OptionFailure } from '../internal/options';

/** The defaults of PrometheusEndpointOptions (docs/metrics-endpoint.md explains each figure). */
export const METRICS_ENDPOINT_DEFAULTS = {
  host: 'localhost',
  port: 9464,
  endpoint: '/metrics',
  withoutScopeInfo: false,
  withoutTargetInfo: false,
  maxConnections: 64,
  headersTimeoutMillis: 5_000,
  requestTimeoutMillis: 10_000,
  keepAliveTimeoutMillis: 5_000,
  idleTimeoutMillis: 10_000,
  maxBufferedBytes: 1 << 20,
  sliceMillis: 5,
  sliceSeries: 64,
  closeGraceMillis: 1_000,
  shareMillis: 1_000,
} as const;

const KNOWN = new Set<string>([
  'host', 'port', 'endpoint', 'withoutScopeInfo', 'withoutTargetInfo', 'maxConnections', 'headersTimeoutMillis',
  'requestTimeoutMillis', 'keepAliveTimeoutMillis', 'idleTimeoutMillis', 'maxBufferedBytes',
]);

const fail: OptionFailure = optionFailure('startAgentTelemetry option prometheus.', TypeError, showJson);

function env(name: string): string | undefined {
  const v = process.env[name];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

function portFrom(option: string, value: unknown): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 65535) {
    throw new TypeError(`agent-timing: startAgentTelemetry option ${option} must be a port number from 0 to 65535, got ${JSON.stringify(value) ?? String(value)}`);
  }
  return n;
}

const positiveInteger = (option: string, value: unknown, fallback: number): number => positiveIntegerOption(option, value, fallback, fail);

function flag(option: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') fail(option, 'a boolean', value);
  return value;
}

/** Validates startAgentTelemetry's `prometheus` option (throwing a message that names the option) and applies env and defaults. */
export function resolveMetricsEndpointOptions(options: PrometheusEndpointOptions | false | undefined): MetricsEndpointConfig | undefined {
  if (options === false) return undefined;
  const p = options ?? {};
  if (p === null || typeof p !== 'object' || Array.isArray(p)) {
    throw new TypeError(`agent-timing: startAgentTelemetry option prometheus must be an object or false, got ${JSON.stringify(p) ?? String(p)}`);
  }
  for (const key of Object.keys(p)) {
    if (!KNOWN.has(key)) throw new TypeError(`agent-timing: unknown startAgentTelemetry option "prometheus.${key}"; known options: ${[...KNOWN].join(', ')}`);
  }
  const d = METRICS_ENDPOINT_DEFAULTS;
  const host = p.host ?? env('OTEL_EXPORTER_PROMETHEUS_HOST') ?? d.host;
  if (typeof host !== 'string' || host === '') fail('host', 'a host name or address', host);
  const port =
    p.port !== undefined
      ? portFrom('prometheus.port', p.port)
      : env('OTEL_EXPORTER_PROMETHEUS_PORT') !== undefined
        ? portFrom('OTEL_EXPORTER_PROMETHEUS_PORT (environment)', env('OTEL_EXPORTER_PROMETHEUS_PORT'))
        : d.port;
  const endpoint = p.endpoint ?? d.endpoint;
  if (typeof endpoint !== 'string' || endpoint === '') fail('endpoint', 'a path such as /metrics', endpoint);
  const headersTimeoutMillis = positiveInteger('headersTimeoutMillis', p.headersTimeoutMillis, d.headersTimeoutMillis);
  const requestTimeoutMillis = positiveInteger('requestTimeoutMillis', p.requestTimeoutMillis, Math.max(d.requestTimeoutMillis, headersTimeoutMillis));
  // Node refuses a request timeout shorter than the header timeout: the headers are part of the request.
  if (requestTimeoutMillis < headersTimeoutMillis) fail('requestTimeoutMillis', `at least headersTimeoutMillis (${headersTimeoutMillis})`, requestTimeoutMillis);
  return {
    host,
    port,
    endpoint,
    withoutScopeInfo: flag('withoutScopeInfo', p.withoutScopeInfo, d.withoutScopeInfo),
    withoutTargetInfo: flag('withoutTargetInfo', p.withoutTargetInfo, d.withoutTargetInfo),
    maxConnections: positiveInteger('maxConnections', p.maxConnections, d.maxConnections),
    headersTimeoutMillis,
    requestTimeoutMillis,
    keepAliveTimeoutMillis: positiveInteger('keepAliveTimeoutMillis', p.keepAliveTimeoutMillis, d.keepAliveTimeoutMillis),
    idleTimeoutMillis: positiveInteger('idleTimeoutMillis', p.idleTimeoutMillis, d.idleTimeoutMillis),
    maxBufferedBytes: positiveInteger('maxBufferedBytes', p.maxBufferedBytes, d.maxBufferedBytes),
    sliceMillis: d.sliceMillis,
    sliceSeries: d.sliceSeries,
    closeGraceMillis: d.closeGraceMillis,
    shareMillis: d.shareMillis,
  };
}
