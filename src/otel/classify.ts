import { SpanKind, type Attributes } from '@opentelemetry/api';
import type { PhaseCategory } from '../timing/categories';
import {
  ATTR_DB_SYSTEM,
  ATTR_DB_SYSTEM_NAME,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_HTTP_METHOD_OLD,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_MESSAGING_SYSTEM,
  ATTR_RPC_SYSTEM,
  GEN_AI_OPERATION_CHAT,
  GEN_AI_OPERATION_EMBEDDINGS,
  GEN_AI_OPERATION_EXECUTE_TOOL,
  GEN_AI_OPERATION_GENERATE_CONTENT,
  GEN_AI_OPERATION_RETRIEVAL,
  GEN_AI_OPERATION_TEXT_COMPLETION,
} from './semconv';

const LLM_OPERATIONS = new Set([
  GEN_AI_OPERATION_CHAT,
  GEN_AI_OPERATION_TEXT_COMPLETION,
  GEN_AI_OPERATION_GENERATE_CONTENT,
  GEN_AI_OPERATION_EMBEDDINGS,
]);

/**
 * The breakdown category of a span made by another instrumentation, from its semantic-convention
 * attributes; undefined when it has none (the span is then transparent). GenAI first, because an
 * LLM client span may also carry HTTP attributes.
 */
export function classifySpan(kind: SpanKind, attributes: Attributes): PhaseCategory | undefined {
  const op = attributes[ATTR_GEN_AI_OPERATION_NAME];
  if (typeof op === 'string') {
    if (LLM_OPERATIONS.has(op)) return 'llm_processing';
    if (op === GEN_AI_OPERATION_EXECUTE_TOOL) return 'tool_execution';
    if (op === GEN_AI_OPERATION_RETRIEVAL) return 'database_query';
    // invoke_agent / create_agent / invoke_workflow: a sub-agent, classified by what it contains
    return undefined;
  }
  if (attributes[ATTR_DB_SYSTEM_NAME] !== undefined || attributes[ATTR_DB_SYSTEM] !== undefined) return 'database_query';
  // Messaging spans (publish, receive, process) are time spent on a queue, as the API contract says.
  if (attributes[ATTR_MESSAGING_SYSTEM] !== undefined) return 'queue_wait';
  if (kind === SpanKind.CLIENT) {
    if (attributes[ATTR_HTTP_REQUEST_METHOD] !== undefined || attributes[ATTR_HTTP_METHOD_OLD] !== undefined) return 'external_api';
    if (attributes[ATTR_RPC_SYSTEM] !== undefined) return 'external_api';
  }
  return undefined;
}
