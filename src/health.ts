import { getDropCounts } from './internal/diag';
import { agentLabelCount } from './otel/label-limiter';
import { executionRegistry } from './timing/execution-registry';

/** agent-timing's own health: what it dropped instead of throwing, and executions in flight. */
export interface AgentTimingHealth {
  /** Count of dropped or repaired inputs by kind (e.g. `phase-not-running`, `invalid-metric-value`). */
  droppedInputs: Record<string, number>;
  executionsStarted: number;
  executionsCompleted: number;
  executionsInFlight: number;
  /** Executions evicted because they were never completed. */
  evictedExecutions: number;
  /** Distinct agent-name label values in use by the histograms (capped by maxAgentNames + 1). */
  agentLabelValues: number;
}

export function getAgentTimingHealth(): AgentTimingHealth {
  return {
    droppedInputs: getDropCounts(),
    executionsStarted: executionRegistry.startedCount,
    executionsCompleted: executionRegistry.completedCount,
    executionsInFlight: executionRegistry.size,
    evictedExecutions: executionRegistry.evictedCount,
    agentLabelValues: agentLabelCount(),
  };
}
