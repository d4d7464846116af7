// Option hardening for the collector: its options' types, and the copy of what a caller passed that
// never throws (hostile getters, proxies and wrong types are dropped and counted).
import { createContextKey, type Attributes, type Context, type Meter, type Tracer } from '@opentelemetry/api';
import { reportDrop } from '../internal/diag';
import { randomExecutionId } from '../internal/execution-id';
import { truncate } from '../internal/sanitize';
import type { BreakdownSink } from './completion';
import type { PhaseTimer } from './phase-timer';

/** Options of an execution timing collector. */
export interface ExecutionTimingCollectorOptions {
  /** Id of the execution (a span attribute, never a metric label). Default: a random UUID. */
  executionId?: string;
  /** Agent name: span name `invoke_agent {agentName}` and the metric label. Default `unknown`. */
  agentName?: string;
  /** Tracer for the execution's spans. Default: the global provider's `agent-timing` tracer. */
  tracer?: Tracer;
  /** Meter for the duration histograms. Default: the global provider's `agent-timing` meter. */
  meter?: Meter;
  /** Context the execution span starts in. Default: the active context. */
  parentContext?: Context;
  /** Extra attributes for the execution span (redacted and bounded like phase metadata; never metric labels). */
  attributes?: Attributes;
  /** Also feed the completed execution to this sink (e.g. a MetricsAggregator). */
  aggregator?: BreakdownSink;
  /** The execution is a workflow run (a supervisor's): its span is `invoke_workflow {agentName}`
   *  with `gen_ai.workflow.name`, as the GenAI conventions name workflows. Default false. */
  workflow?: boolean;
}

/** Options of startPhase(). */
export interface StartPhaseOptions {
  /** Run the phase under this running timer of the same execution instead of the current phase;
   *  `null` runs it directly under the execution. */
  parent?: PhaseTimer | null;
  /** Keep the phase off the implicit nesting stack, so phases started later (by concurrent work)
   *  do not become its children. Implied by `parent`. Default false. */
  detached?: boolean;
}

/** How an execution ended, as passed to complete(). */
export interface CompletionResult {
  success: boolean;
  error?: unknown;
}

/**
 * A plain copy of the options; a field whose getter (or proxy trap) throws is dropped and counted.
 * The copy is a literal with every option present (undefined when absent), not an object grown key
 * by key: a grown object's hidden class is only weakly reachable, so each full GC freed it and
 * deoptimized the constructor (docs/architecture.md, speed invariant 1). Listing every option here
 * is checked by the type.
 */
export function readOptions(options: unknown): ExecutionTimingCollectorOptions {
  const from = options !== null && typeof options === 'object' ? (options as Record<string, unknown>) : undefined;
  return {
    executionId: readOption(from, 'executionId') as string | undefined,
    agentName: readOption(from, 'agentName') as string | undefined,
    tracer: readOption(from, 'tracer') as Tracer | undefined,
    meter: readOption(from, 'meter') as Meter | undefined,
    parentContext: readOption(from, 'parentContext') as Context | undefined,
    attributes: readOption(from, 'attributes') as Attributes | undefined,
    aggregator: readOption(from, 'aggregator') as BreakdownSink | undefined,
    workflow: readOption(from, 'workflow') as boolean | undefined,
  } satisfies Record<keyof ExecutionTimingCollectorOptions, unknown>;
}

const CONTEXT_PROBE = createContextKey('agent-timing parentContext probe');

/** True when a parentContext option behaves as an OpenTelemetry Context (else it is ignored, counted). */
export function usableContext(ctx: unknown): ctx is Context {
  try {
    const c = ctx as Context;
    if (typeof c.getValue === 'function' && typeof c.setValue === 'function' && typeof c.deleteValue === 'function') {
      c.setValue(CONTEXT_PROBE, true).getValue(CONTEXT_PROBE);
      return true;
    }
  } catch {
    // a hostile object posing as a Context
  }
  reportDrop('invalid-parent-context', 'collector option parentContext is not an OpenTelemetry Context; the active context is used');
  return false;
}

/** options[key], undefined for null or when reading it throws (counted). */
function readOption(options: Record<string, unknown> | undefined, key: keyof ExecutionTimingCollectorOptions): unknown {
  if (options === undefined) return undefined;
  try {
    const v = options[key];
    return v === null ? undefined : v;
  } catch {
    reportDrop('unreadable-option', `collector option ${key} could not be read (a getter or proxy threw); it was ignored`);
    return undefined;
  }
}

export function executionIdOf(id: unknown): string {
  if (typeof id === 'string' && id.trim()) return truncate(id.trim(), 256);
  if (id !== undefined && id !== null) {
    // The guide passes a UUID object; accept anything with a sensible string form.
    try {
      const s = String(id);
      if (s && s !== '[object Object]') return truncate(s, 256);
    } catch {
      // fall through to a generated id
    }
    reportDrop('invalid-execution-id', 'executionId must be a string; a random id was used');
  }
  return randomExecutionId();
}

export function outcomeOf(result: unknown): { failed: boolean; error: unknown } {
  if (result === undefined || result === null) return { failed: false, error: undefined };
  if (typeof result !== 'object') {
    reportDrop('invalid-completion-result', 'complete() takes { success, error? }; the argument was ignored');
    return { failed: false, error: undefined };
  }
  try {
    const r = result as CompletionResult;
    const error = r.error;
    return { failed: r.success === false || (error !== undefined && error !== null), error };
  } catch {
    return { failed: true, error: undefined };
  }
}
