/**
 * Semantic-convention names used by agent-timing.
 *
 * Stable names are re-exported from `@opentelemetry/semantic-conventions`. Incubating ones (the
 * GenAI, messaging and RPC namespaces, `db.system`, `user.id`) are copied here on purpose, as the
 * semantic-conventions package advises: the `incubating` entry point may rename or drop them in
 * any minor release, and a copy keeps our wire format stable until we choose to move.
 */
export {
  ATTR_DB_SYSTEM_NAME,
  ATTR_DB_OPERATION_NAME,
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVICE_NAME,
  ATTR_URL_FULL,
} from '@opentelemetry/semantic-conventions';

// GenAI (incubating, semconv 1.39+)
export const ATTR_GEN_AI_OPERATION_NAME = 'gen_ai.operation.name';
export const ATTR_GEN_AI_AGENT_NAME = 'gen_ai.agent.name';
export const ATTR_GEN_AI_AGENT_ID = 'gen_ai.agent.id';
export const ATTR_GEN_AI_TOOL_NAME = 'gen_ai.tool.name';
export const ATTR_GEN_AI_WORKFLOW_NAME = 'gen_ai.workflow.name';
/** Older name of gen_ai.provider.name that other instrumentations still emit. */
export const ATTR_GEN_AI_SYSTEM = 'gen_ai.system';
export const ATTR_GEN_AI_REQUEST_MODEL = 'gen_ai.request.model';
export const ATTR_GEN_AI_PROVIDER_NAME = 'gen_ai.provider.name';
export const ATTR_GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK = 'gen_ai.response.time_to_first_chunk';
export const GEN_AI_OPERATION_INVOKE_AGENT = 'invoke_agent';
export const GEN_AI_OPERATION_EXECUTE_TOOL = 'execute_tool';
export const GEN_AI_OPERATION_CHAT = 'chat';
export const GEN_AI_OPERATION_TEXT_COMPLETION = 'text_completion';
export const GEN_AI_OPERATION_GENERATE_CONTENT = 'generate_content';
export const GEN_AI_OPERATION_EMBEDDINGS = 'embeddings';
export const GEN_AI_OPERATION_RETRIEVAL = 'retrieval';
export const GEN_AI_OPERATION_CREATE_AGENT = 'create_agent';
export const GEN_AI_OPERATION_INVOKE_WORKFLOW = 'invoke_workflow';
/** Metric name of the GenAI client's time-per-output-chunk histogram (seconds). */
export const METRIC_GEN_AI_CLIENT_TIME_PER_OUTPUT_CHUNK = 'gen_ai.client.operation.time_per_output_chunk';

// Older and incubating names other instrumentations still emit.
export const ATTR_DB_SYSTEM = 'db.system';
export const ATTR_MESSAGING_SYSTEM = 'messaging.system';
export const ATTR_RPC_SYSTEM = 'rpc.system';
export const ATTR_HTTP_METHOD_OLD = 'http.method';
export const ATTR_USER_ID = 'user.id';
