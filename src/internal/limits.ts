/**
 * Process-wide limits and switches. Defaults suit a busy service; startAgentTelemetry() changes them
 * (a BreakdownSpanProcessor's abandonAfterMs does not: it is per processor, see execution-registry.ts).
 * Kept in one mutable object so the hot path reads a property instead of resolving options per call.
 */
export interface Limits {
  /** Most intervals (phases, tasks, foreign spans) one execution keeps; later ones are dropped and counted. */
  maxIntervalsPerExecution: number;
  /** Most metrics one collector keeps in `metrics`. */
  maxMetricsPerExecution: number;
  /** Most distinct names in one breakdown's `phases`. */
  maxPhaseNamesPerExecution: number;
  /** Longest string attribute value written to a span, in characters. */
  maxAttributeLength: number;
  /** Most metadata keys turned into attributes per phase. */
  maxMetadataKeys: number;
  /** Most characters (keys and string values together) one metric's metadata copy keeps. */
  maxMetadataChars: number;
  /** Longest phase or agent name kept, in characters (longer ones are truncated). */
  maxNameLength: number;
  /** The process default: an execution never completed is evicted after this many ms, unless a
   *  BreakdownSpanProcessor with its own abandonAfterMs saw its span start. */
  abandonAfterMs: number;
  /** Most executions in flight at once; starting one more evicts the oldest (counted). */
  maxExecutionsInFlight: number;
  /** Most distinct agent names used as metric label values. */
  maxAgentNames: number;
  /** True when OTEL_SDK_DISABLED=true or startAgentTelemetry({ disabled: true }): no spans, no instruments. */
  disabled: boolean;
}

function envDisabled(): boolean {
  return String(process.env.OTEL_SDK_DISABLED ?? '').trim().toLowerCase() === 'true';
}

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  maxIntervalsPerExecution: 10_000,
  maxMetricsPerExecution: 1_000,
  maxPhaseNamesPerExecution: 1_000,
  maxAttributeLength: 1_024,
  maxMetadataKeys: 32,
  maxMetadataChars: 8_192,
  maxNameLength: 256,
  abandonAfterMs: 600_000,
  maxExecutionsInFlight: 10_000,
  maxAgentNames: 100,
  disabled: false,
});

export const limits: Limits = { ...DEFAULT_LIMITS, disabled: envDisabled() };

/** Restores the defaults (and re-reads OTEL_SDK_DISABLED); used by startAgentTelemetry's shutdown
 *  and by resetForTests() (src/setup/reset-for-tests.ts), which is what tests call. */
export function resetLimits(): void {
  Object.assign(limits, DEFAULT_LIMITS, { disabled: envDisabled() });
}
