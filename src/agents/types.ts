/** What an agent execution runs for (the guide's ExecutionContext). */
export interface ExecutionContext {
  /** Id of the run: the execution id of its timing, and the `agent_timing.run.id` span attribute. */
  runId: string;
  /** Name of the agent that runs. */
  agentName: string;
  /** The user the run is for: a span attribute (`user.id`, hashed when `hashUserIds` is on), never a metric label. */
  userId?: string;
  /** Anything the agent carries along (the guide's DeepAgentState). */
  state?: unknown;
}

/** How a workflow or execution ended (the guide's ExecutionResult). */
export interface ExecutionResult {
  success: boolean;
  data?: unknown;
  error?: unknown;
}
