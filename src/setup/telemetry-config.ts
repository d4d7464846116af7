import type { BreakdownSink } from '../api/completion';
import type { RedactionOptions } from '../internal/redaction';
import { resolveMetricsEndpointOptions } from './metrics-endpoint-config';
import type { MetricsEndpointConfig } from './metrics-endpoint';
import type { AgentTelemetryOptions, OtlpTraceOptions } from './telemetry-options';
import { validateSloThresholds } from '../metrics/views';
import { optionFailure, positiveInteger, positiveNumber, type OptionFailure } from '../internal/options';

/** startAgentTelemetry's options after validation, with environment variables and defaults applied. */
export interface ResolvedTelemetryConfig {
  serviceName: string;
  prometheus: MetricsEndpointConfig | undefined;
  otlp: OtlpTraceOptions | undefined;
  sloThresholdsMs: Record<string, number>;
  aggregator: BreakdownSink | boolean;
  abandonAfterMs: number;
  maxExecutionsInFlight: number;
  maxAgentNames: number;
  maxAttributeLength: number;
  redaction: RedactionOptions;
  shutdownTimeoutMillis: number;
  registerGlobal: boolean;
  disabled: boolean;
}

const KNOWN_OPTIONS = new Set([
  'serviceName', 'resource', 'prometheus', 'otlp', 'sampler', 'sloThresholdsMs', 'aggregator', 'abandonAfterMs', 'maxExecutionsInFlight',
  'maxAgentNames', 'redaction', 'maxAttributeLength', 'instrumentations', 'spanProcessors', 'shutdownTimeoutMillis', 'registerGlobal', 'disabled',
  'classificationRules',
  'report',
]);

const fail: OptionFailure = optionFailure('startAgentTelemetry option ');

function positive(option: string, value: unknown, fallback: number, integer = false): number {
  return integer ? positiveInteger(option, value, fallback, fail) : positiveNumber(option, value, fallback, fail);
}

function env(name: string): string | undefined {
  const v = process.env[name];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

/** Validates options (throwing a message that names the option) and applies env and defaults. */
export function resolveTelemetryOptions(options: AgentTelemetryOptions): ResolvedTelemetryConfig {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) fail('(options)', 'an object', options);
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key)) {
      throw new TypeError(`agent-timing: unknown startAgentTelemetry option "${key}"; known options: ${[...KNOWN_OPTIONS].join(', ')}`);
    }
  }
  const serviceName = options.serviceName ?? env('OTEL_SERVICE_NAME') ?? 'agent-service';
  if (typeof serviceName !== 'string' || serviceName.trim() === '') fail('serviceName', 'a non-empty string', serviceName);

  const prometheus = resolveMetricsEndpointOptions(options.prometheus);

  let otlp: OtlpTraceOptions | undefined;
  const envEndpoint = env('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT') ?? env('OTEL_EXPORTER_OTLP_ENDPOINT');
  if (options.otlp === true || (options.otlp === undefined && envEndpoint !== undefined)) otlp = {};
  else if (options.otlp && typeof options.otlp === 'object') otlp = { ...options.otlp };
  else if (options.otlp !== undefined && options.otlp !== false) fail('otlp', 'an object, true or false', options.otlp);
  if (otlp) {
    if (otlp.url !== undefined) {
      try {
        new URL(otlp.url);
      } catch {
        fail('otlp.url', 'an absolute URL such as http://localhost:4318/v1/traces', otlp.url);
      }
    }
    positive('otlp.timeoutMillis', otlp.timeoutMillis, 10_000);
    positive('otlp.maxQueueSize', otlp.maxQueueSize, 2048, true);
    positive('otlp.maxExportBatchSize', otlp.maxExportBatchSize, 512, true);
    positive('otlp.scheduledDelayMillis', otlp.scheduledDelayMillis, 5000);
  }

  validateSloThresholds(options.sloThresholdsMs);
  const aggregator = options.aggregator ?? true;
  if (typeof aggregator !== 'boolean' && (typeof aggregator !== 'object' || typeof aggregator.addTimingBreakdown !== 'function')) {
    fail('aggregator', 'true, false or a MetricsAggregator', aggregator);
  }
  if (options.sampler !== undefined && typeof options.sampler?.shouldSample !== 'function') fail('sampler', 'a Sampler', options.sampler);
  if (
    options.spanProcessors !== undefined &&
    (!Array.isArray(options.spanProcessors) || options.spanProcessors.some((p) => typeof p?.onEnd !== 'function'))
  ) {
    fail('spanProcessors', 'an array of SpanProcessors', options.spanProcessors);
  }
  if (options.instrumentations !== undefined && !Array.isArray(options.instrumentations)) {
    fail('instrumentations', 'an array of instrumentations', options.instrumentations);
  }
  const disabled = options.disabled ?? (env('OTEL_SDK_DISABLED')?.toLowerCase() === 'true');
  if (typeof disabled !== 'boolean') fail('disabled', 'a boolean', disabled);
  const registerGlobal = options.registerGlobal ?? true;
  if (typeof registerGlobal !== 'boolean') fail('registerGlobal', 'a boolean', registerGlobal);

  return {
    serviceName,
    prometheus,
    otlp,
    sloThresholdsMs: { ...(options.sloThresholdsMs ?? {}) },
    aggregator,
    abandonAfterMs: positive('abandonAfterMs', options.abandonAfterMs, 600_000),
    maxExecutionsInFlight: positive('maxExecutionsInFlight', options.maxExecutionsInFlight, 10_000, true),
    maxAgentNames: positive('maxAgentNames', options.maxAgentNames, 100, true),
    maxAttributeLength: positive('maxAttributeLength', options.maxAttributeLength, 1024, true),
    redaction: options.redaction ?? {},
    shutdownTimeoutMillis: positive('shutdownTimeoutMillis', options.shutdownTimeoutMillis, 5000),
    registerGlobal,
    disabled,
  };
}
