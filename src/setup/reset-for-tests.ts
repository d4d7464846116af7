// The one reset of the SDK's process-wide state, for tests (see docs/development.md, "Process-wide
// state"). Every module-level value that outlives an execution is listed here, so a test that calls
// it starts from a freshly loaded SDK without jest.resetModules().
import { resetGlobalAggregator } from '../aggregation/global-aggregator';
import { executionRegistry } from '../api/execution-registry';
import { resetDiagLimiter, resetDropCounts } from '../internal/diag';
import { resetLimits } from '../internal/limits';
import { resetLabels } from '../metrics/label-limiter';

/**
 * Resets, in one call: the drop counts and the diag rate limiter, the limits (re-reading
 * OTEL_SDK_DISABLED), the agent label set, the process-wide aggregator, and the execution registry
 * (executions in flight are forgotten, not ended). Not for production: a running
 * startAgentTelemetry() keeps its own providers; shut it down first.
 */
export function resetForTests(): void {
  resetDropCounts();
  resetDiagLimiter();
  resetLimits();
  resetLabels();
  resetGlobalAggregator();
  executionRegistry.reset();
}
