import { getDropCounts, suppressedDiagCount } from './internal/diag';
import { agentLabelCount } from './metrics/label-limiter';
import { executionRegistry } from './api/execution-registry';

/** agent-timing's own health: what it dropped instead of throwing, and executions in flight. */
export interface AgentTimingHealth {
  /** Count of dropped or repaired inputs by kind (e.g. `phase-not-running`, `invalid-metric-value`). */
  droppedInputs: Record<string, number>;
  executionsStarted: number;
  executionsCompleted: number;
  executionsInFlight: number;
  /** Executions evicted because they were never completed (by age or by count). */
  evictedExecutions: number;
  /** Of evictedExecutions, those evicted because maxExecutionsInFlight were in flight. */
  evictedByCount: number;
  /** agent-timing diag lines suppressed by the rate limit (see docs/reliability.md). */
  suppressedDiagLines: number;
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
    evictedByCount: executionRegistry.evictedByCount,
    suppressedDiagLines: suppressedDiagCount(),
    agentLabelValues: agentLabelCount(),
  };
}
