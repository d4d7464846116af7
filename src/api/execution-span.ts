// The execution's own span: its start (attributes by the GenAI conventions) and, at completion, the
// first-token event. Phase spans are started by the collector through src/spans/own-spans.ts.
import type { Attributes, Context, Span, Tracer } from '@opentelemetry/api';
import { metadataToAttributes } from '../internal/sanitize';
import { ATTR_EXECUTION_ID, EVENT_FIRST_TOKEN } from '../spans/names';
import { defaultTracer, ownSpanCreation, spanOptions, startOwnSpan } from '../spans/own-spans';
import {
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK,
  ATTR_GEN_AI_WORKFLOW_NAME,
  GEN_AI_OPERATION_INVOKE_AGENT,
  GEN_AI_OPERATION_INVOKE_WORKFLOW,
} from '../spans/semconv';
import type { ExecutionTimingCollectorOptions } from './collector-options';
import type { ExecutionState } from './execution-state';

/**
 * Starts the execution span (`invoke_agent {agentName}`, or `invoke_workflow` for a workflow) and
 * returns it with the tracer its phases use: undefined when the span does not record (its trace was
 * sampled out), so the phases are intervals only while the span context stays active for propagation.
 */
export function startExecutionSpan(
  o: ExecutionTimingCollectorOptions,
  agentName: string,
  executionId: string,
  parentContext: Context,
): { span: Span | undefined; phaseTracer: Tracer | undefined } {
  const attributes: Attributes = {};
  if (o.attributes) metadataToAttributes(o.attributes, attributes);
  const operation = o.workflow === true ? GEN_AI_OPERATION_INVOKE_WORKFLOW : GEN_AI_OPERATION_INVOKE_AGENT;
  attributes[ATTR_GEN_AI_OPERATION_NAME] = operation;
  attributes[ATTR_GEN_AI_AGENT_NAME] = agentName;
  if (o.workflow === true) attributes[ATTR_GEN_AI_WORKFLOW_NAME] = agentName;
  attributes[ATTR_EXECUTION_ID] = executionId;
  const tracer = o.tracer ?? defaultTracer();
  ownSpanCreation.execution = true; // cleared by startOwnSpan
  const span = startOwnSpan(tracer, `${operation} ${agentName}`, spanOptions(attributes), parentContext);
  return { span, phaseTracer: isRecording(span) ? tracer : undefined };
}

/** The first-token event on the execution span, at the instant the earliest source reported. */
export function stampFirstToken(state: ExecutionState): void {
  const span = state.root.span;
  const at = state.firstTokenAt;
  if (!span || at === undefined) return;
  try {
    // A performance.now() reading: the SDK maps it onto the span's own timeline.
    span.addEvent(EVENT_FIRST_TOKEN, { [ATTR_GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK]: (at - state.startMs) / 1000 }, at);
  } catch {
    // never let span bookkeeping break the caller
  }
}

/** Whether a span records (false for a sampled-out execution's non-recording span). Never throws. */
function isRecording(span: Span | undefined): boolean {
  if (span === undefined) return false;
  try {
    return span.isRecording();
  } catch {
    return false;
  }
}
