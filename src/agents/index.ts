// Agent integration: what src/index.ts re-exports from src/agents. (The LangChain handler is not
// here: it lives behind the `agent-timing/langchain` entry point, src/agents/langchain/index.ts.)
export type { ExecutionContext, ExecutionResult } from './types';
export { SupervisorObservability } from './supervisor-observability';
export type { SupervisorObservabilityOptions } from './supervisor-observability';
export { BaseAgent } from './base-agent';
export type { BaseAgentOptions, AgentLogger } from './base-agent';
export { instrumentAgent } from './instrument-agent';
export type { InstrumentAgentOptions } from './instrument-agent';
export { withExecution, currentCollector, phase } from './context-helpers';
export type { WithExecutionOptions } from './context-helpers';
export { instrumentStream, ATTR_STREAM_OUTCOME, ATTR_STREAM_CHUNKS } from './instrument-stream';
export type { InstrumentStreamOptions, StreamOutcome } from './instrument-stream';
export { recordResourceMetrics } from './resource-metrics';
export type { ResourceMetricsInput, RecordResourceMetricsOptions, ResourceSink } from './resource-metrics';
export { ResourceSampler, startResourceSampler } from './resource-sampler';
export type { ResourceSamplerOptions, ResourceSample } from './resource-sampler';
