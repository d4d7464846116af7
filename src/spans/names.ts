/**
 * Names agent-timing puts on the wire: instrument names, metric labels and span attributes of its
 * own. One place, so the SDK, the Collector config, the recording rules and the dashboards agree.
 */

/** Histogram of whole-execution wall-clock time, seconds. */
export const METRIC_EXECUTION_DURATION = 'agent_execution_duration_seconds';
/** Histogram of the time one execution spent in one category (its breakdown share), seconds. */
export const METRIC_PHASE_DURATION = 'agent_phase_duration_seconds';
/** Histogram of time to first token, seconds. */
export const METRIC_TTFT = 'agent_time_to_first_token_seconds';
/** Histogram of one operation (database query, external call, tool call, LLM call, notification), seconds. */
export const METRIC_OPERATION_DURATION = 'agent_operation_duration_seconds';
/** GenAI semantic-convention histograms, recorded beside ours (Prometheus: dots become underscores). */
export const METRIC_GEN_AI_INVOKE_AGENT_DURATION = 'gen_ai.invoke_agent.duration';
export const METRIC_GEN_AI_EXECUTE_TOOL_DURATION = 'gen_ai.execute_tool.duration';
export const METRIC_GEN_AI_WORKFLOW_DURATION = 'gen_ai.workflow.duration';
export const METRIC_GEN_AI_TIME_TO_FIRST_CHUNK = 'gen_ai.client.operation.time_to_first_chunk';
/** The description each histogram carries (SDK instruments and the pre-aggregating producer alike). */
export const HISTOGRAM_DESCRIPTIONS: Readonly<Record<string, string>> = {
  [METRIC_EXECUTION_DURATION]: 'Wall-clock duration of an agent execution',
  [METRIC_PHASE_DURATION]: 'Time one agent execution spent in one category (its timing breakdown), recorded per execution',
  [METRIC_TTFT]: 'Time from the start of an agent execution to its first token',
  [METRIC_OPERATION_DURATION]: 'Duration of one operation of an agent execution (database query, external call, tool call, LLM call, notification), recorded per operation',
  [METRIC_GEN_AI_INVOKE_AGENT_DURATION]: 'The end-to-end duration of a single agent invocation',
  [METRIC_GEN_AI_EXECUTE_TOOL_DURATION]: 'The duration of a single tool execution',
  [METRIC_GEN_AI_WORKFLOW_DURATION]: 'GenAI workflow duration',
  [METRIC_GEN_AI_TIME_TO_FIRST_CHUNK]: 'Time to receive the first chunk, from the start of the LLM call that streamed it',
};
/** Gauges fed by recordResourceMetrics and the resource sampler. */
export const METRIC_CPU_UTILIZATION = 'agent_process_cpu_utilization_ratio';
export const METRIC_MEMORY_USAGE = 'agent_process_memory_usage_bytes';
export const METRIC_THREAD_POOL_USAGE = 'agent_thread_pool_utilization_ratio';

/** Metric label: agent name (the GenAI attribute, `gen_ai_agent_name` in Prometheus). */
export const LABEL_AGENT = 'gen_ai.agent.name';
/** Metric label: breakdown category (`agent_timing_category` in Prometheus). */
export const LABEL_CATEGORY = 'agent_timing.category';
/** Metric label: `success` or `error` (`agent_timing_outcome` in Prometheus). */
export const LABEL_OUTCOME = 'agent_timing.outcome';
/** The value a label takes once its cardinality limit is reached. */
export const OVERFLOW_LABEL_VALUE = '_other';

/** Metric label of the GenAI histograms: `gen_ai.operation.name`, `gen_ai.tool.name`, `error.type`. */
export const LABEL_GEN_AI_OPERATION = 'gen_ai.operation.name';
export const LABEL_GEN_AI_TOOL = 'gen_ai.tool.name';
export const LABEL_ERROR_TYPE = 'error.type';

/** Span attribute: the execution id (never a metric label). */
export const ATTR_EXECUTION_ID = 'agent_timing.execution.id';
/** Span attribute: the run id of a supervisor workflow. */
export const ATTR_RUN_ID = 'agent_timing.run.id';
/** Span attribute: the category a phase was classified into. */
export const ATTR_PHASE_CATEGORY = 'agent_timing.phase.category';
/** Span attribute: `phase` or `parallel_task`. */
export const ATTR_PHASE_KIND = 'agent_timing.phase.kind';
/** Span attribute prefix for phase metadata (`agent_timing.metadata.<key>`). */
export const ATTR_METADATA_PREFIX = 'agent_timing.metadata.';
/** Span attribute: true on phases closed by complete() because they were still running. */
export const ATTR_PHASE_CLOSED_BY_COMPLETE = 'agent_timing.phase.closed_by_complete';
/** Span attribute: true on an execution ended with discard() (not counted anywhere). */
export const ATTR_EXECUTION_DISCARDED = 'agent_timing.execution.discarded';
/** Span event on the execution span when the first token arrives. */
export const EVENT_FIRST_TOKEN = 'gen_ai.first_token';

/** Instrumentation scope name for our tracer and meter. */
export const SCOPE_NAME = 'agent-timing';
