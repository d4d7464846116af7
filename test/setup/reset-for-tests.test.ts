import { getGlobalAggregator } from '../../src/aggregation/global-aggregator';
import { EnhancedExecutionTimingCollector } from '../../src/api/collector';
import { executionRegistry } from '../../src/api/execution-registry';
import { getDropCounts, reportDrop } from '../../src/internal/diag';
import { limits } from '../../src/internal/limits';
import { agentLabelCount, labelsFor } from '../../src/metrics/label-limiter';
import { resetForTests } from '../../src/setup/reset-for-tests';

describe('resetForTests()', () => {
  it('resets every piece of process-wide state at once', () => {
    reportDrop('reset-probe', 'a probe drop');
    limits.maxAgentNames = 3;
    labelsFor('reset-agent', 'success');
    const aggregator = getGlobalAggregator();
    new EnhancedExecutionTimingCollector({ agentName: 'in-flight' });
    executionRegistry.offerAbandonAfterMs(5); // a processor's offer no execution took
    expect(getDropCounts()['reset-probe']).toBe(1);
    expect(agentLabelCount()).toBeGreaterThan(0);
    expect(executionRegistry.size).toBeGreaterThan(0);

    resetForTests();

    expect(getDropCounts()['reset-probe']).toBeUndefined();
    expect(limits.maxAgentNames).toBe(100);
    expect(agentLabelCount()).toBe(0);
    expect(getGlobalAggregator()).not.toBe(aggregator);
    expect(executionRegistry.size).toBe(0);
    const next = new EnhancedExecutionTimingCollector();
    expect(executionRegistry.abandonAfterMsOf(next)).toBe(limits.abandonAfterMs);
    next.complete();
  });
});
