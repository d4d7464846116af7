import { context, trace } from '@opentelemetry/api';
import { BaseAgent } from '../../src/agents/base-agent';
import { currentCollector, phase, withExecution } from '../../src/agents/context-helpers';
import type { ExecutionContext } from '../../src/agents/types';
import { MetricsAggregator } from '../../src/aggregation/metrics-aggregator';
import { getDropCounts } from '../../src/internal/diag';
import { getAgentTimingHealth } from '../../src/health';
import { ATTR_RUN_ID } from '../../src/spans/names';
import { ATTR_USER_ID } from '../../src/spans/semconv';
import { EnhancedExecutionTimingCollector } from '../../src/api/collector';
import { AggregationWindow, MetricType } from '../../src/types/metric-type';
import { categorySum, sleep } from '../support/time';
import { bracket, completions, expectMatchesPlan, plans, spanRecorder, type RunPlan } from './support';
import { resetForTests } from '../../src/setup/reset-for-tests';

beforeEach(() => resetForTests());

describe('the guide, translated: Adding to Custom Agents', () => {
  // As in the guide: the agent makes its own collector and stores it on `this.timingCollector`.
  class CustomAgent extends BaseAgent {
    readonly logged: string[] = [];

    constructor() {
      super();
      this.timingCollector = undefined;
    }

    async execute(context: ExecutionContext): Promise<unknown> {
      // Initialize timing for this execution
      this.timingCollector = new EnhancedExecutionTimingCollector({ executionId: context.runId, agentName: this.name });
      // Track initialization
      this.timingCollector.startPhase('initialization');
      await this.initialize(context);
      this.timingCollector.stopPhase('initialization');
      // Track main execution
      this.timingCollector.startPhase('processing');
      const result = await this.process(context);
      this.timingCollector.stopPhase('processing');
      // Get performance metrics
      const breakdown = this.timingCollector.getBreakdown();
      this.logged.push(`Execution completed in ${breakdown.totalMs}ms`);
      return { result, collector: this.timingCollector, breakdown };
    }

    private initialize(context: ExecutionContext): Promise<void> {
      return sleep((context.state as RunPlan).phases[0].ms);
    }

    private process(context: ExecutionContext): Promise<string> {
      return sleep((context.state as RunPlan).phases[1].ms).then(() => `done ${context.runId}`);
    }
  }

  it('works as written for one call', async () => {
    const seen = completions();
    try {
      const agent = new CustomAgent();
      expect(agent.name).toBe('CustomAgent');
      const plan: RunPlan = { runId: 'guide-1', phases: [{ name: 'initialization', ms: 10 }, { name: 'processing', ms: 15 }], ttft: false, measured: {} };
      const out = (await agent.execute({ runId: 'guide-1', agentName: 'custom', state: plan })) as { result: string; breakdown: { totalMs: number } };
      expect(out.result).toBe('done guide-1');
      expect(agent.logged[0]).toMatch(/^Execution completed in [\d.]+ms$/);
      // The guide never completes its collector; the wrapper does. The call counts once: the
      // automatic execution recorded nothing and is dropped uncounted.
      expect(seen.byId.get('guide-1')).toHaveLength(1);
      const [userBreakdown] = seen.byId.get('guide-1')!;
      expect(userBreakdown.completed).toBe(true);
      expect(userBreakdown.initializationMs).toBeGreaterThanOrEqual(9);
      expect(Object.keys(userBreakdown.phases).sort()).toEqual(['initialization', 'processing']);
      expect(agent.timingCollector).toBeUndefined(); // outside execute there is no execution
    } finally {
      seen.stop();
    }
  });

  it('keeps each concurrent call on its own collector (the guide stores it on the instance)', async () => {
    const seen = completions();
    try {
      const agent = new CustomAgent();
      const runPlans = plans(300, 'guide').map((p) => ({
        ...p,
        phases: [
          { name: 'initialization', ms: p.phases[0].ms },
          { name: 'processing', ms: p.phases[1].ms },
        ],
        ttft: false,
      }));
      // The guide's phases are inside execute; the test sees the whole call around them.
      const outs = (await Promise.all(
        runPlans.map(async (plan) => {
          const t0 = performance.now();
          const out = await agent.execute({ runId: plan.runId, agentName: 'custom', state: plan });
          for (const p of plan.phases) plan.measured[p.name] = performance.now() - t0;
          return out;
        }),
      )) as Array<{
        result: string;
        collector: EnhancedExecutionTimingCollector;
      }>;
      const collectors = new Set(outs.map((o) => o.collector));
      expect(collectors.size).toBe(runPlans.length);
      outs.forEach((o, i) => {
        expect(o.result).toBe(`done ${runPlans[i].runId}`);
        expect(o.collector.executionId).toBe(runPlans[i].runId);
        expectMatchesPlan(o.collector.getBreakdown(), runPlans[i]);
        expect(o.collector.completed).toBe(true);
        expect(seen.byId.get(runPlans[i].runId)).toEqual([o.collector.getBreakdown()]);
      });
      expect(getAgentTimingHealth().executionsInFlight).toBe(0);
    } finally {
      seen.stop();
    }
  });
});

describe('BaseAgent', () => {
  class TimedAgent extends BaseAgent {
    async execute(context: ExecutionContext): Promise<unknown> {
      const plan = context.state as RunPlan;
      const c = this.timingCollector!;
      await bracket(plan, plan.phases[0].name, async () => {
        c.startPhase(plan.phases[0].name);
        await sleep(plan.phases[0].ms);
        c.stopPhase(plan.phases[0].name);
      });
      if (plan.ttft) this.timingCollector!.recordFirstToken();
      // Another style in the same call: phase() on the current execution.
      await bracket(plan, plan.phases[1].name, () => phase(plan.phases[1].name, () => sleep(plan.phases[1].ms)));
      return { collector: this.timingCollector, current: currentCollector() };
    }
  }

  it('times 1 000 concurrent execute calls on one instance, each matching its own ground truth', async () => {
    const seen = completions();
    try {
      const aggregator = new MetricsAggregator();
      const agent = new TimedAgent({ name: 'timed', aggregator });
      const runPlans = plans(1000, 'agent', 7);
      const outs = (await Promise.all(runPlans.map((plan) => agent.execute({ runId: plan.runId, agentName: 'timed', state: plan })))) as Array<{
        collector: EnhancedExecutionTimingCollector;
        current: EnhancedExecutionTimingCollector;
      }>;
      outs.forEach((o, i) => {
        expect(o.collector).toBe(o.current);
        expect(o.collector.executionId).toBe(runPlans[i].runId);
        const finals = seen.byId.get(runPlans[i].runId)!;
        expect(finals).toHaveLength(1);
        expect(finals[0].agentName).toBe('timed');
        expectMatchesPlan(finals[0], runPlans[i]);
        expect(categorySum(finals[0])).toBeCloseTo(finals[0].totalMs, 6);
      });
      expect(aggregator.getAggregatedMetrics(MetricType.TOTAL_EXECUTION, AggregationWindow.MINUTE)?.count).toBe(1000);
    } finally {
      seen.stop();
    }
  });

  it('rethrows errors unchanged and completes the execution as failed', async () => {
    const seen = completions();
    const boom = new Error('boom');
    class Failing extends BaseAgent {
      async execute(_context: ExecutionContext): Promise<unknown> {
        await sleep(1);
        throw boom;
      }
    }
    class SoftFailing extends BaseAgent {
      async execute(_context: ExecutionContext): Promise<unknown> {
        return { success: false, error: 'no data' };
      }
    }
    try {
      await expect(new Failing().execute({ runId: 'f1', agentName: 'x' })).rejects.toBe(boom);
      expect(seen.byId.get('f1')![0].outcome).toBe('error');
      await expect(new SoftFailing().execute({ runId: 'f2', agentName: 'x' })).resolves.toEqual({ success: false, error: 'no data' });
      expect(seen.byId.get('f2')![0].outcome).toBe('error');
    } finally {
      seen.stop();
    }
  });

  it('makes one execution per call even when a subclass calls super.execute()', async () => {
    const seen = completions();
    class Parent extends BaseAgent {
      async execute(context: ExecutionContext): Promise<unknown> {
        await phase('tool_execution', () => sleep(3));
        return context.runId;
      }
    }
    class Child extends Parent {
      override async execute(context: ExecutionContext): Promise<unknown> {
        await phase('initialization', () => sleep(3));
        return super.execute(context);
      }
    }
    try {
      await expect(new Child().execute({ runId: 'sub-1', agentName: 'x' })).resolves.toBe('sub-1');
      const list = seen.byId.get('sub-1')!;
      expect(list).toHaveLength(1);
      expect(Object.keys(list[0].phases).sort()).toEqual(['initialization', 'tool_execution']);
      expect(list[0].agentName).toBe('Child');
    } finally {
      seen.stop();
    }
  });

  it('keeps this.timingCollector on the agent\'s own execution inside nested executions', async () => {
    class Outer extends BaseAgent {
      async execute(_context: ExecutionContext): Promise<unknown> {
        const mine = this.timingCollector;
        const inner = await withExecution('inner', () => ({ own: this.timingCollector, current: currentCollector() }));
        return { mine, ...inner };
      }
    }
    const out = (await new Outer().execute({ runId: 'n1', agentName: 'x' })) as Record<string, EnhancedExecutionTimingCollector>;
    expect(out.own).toBe(out.mine);
    expect(out.current).not.toBe(out.mine);
    expect(out.current.agentName).toBe('inner');
  });

  it('puts run and user ids on the execution span and logs through diag by default', async () => {
    const { provider, spans } = spanRecorder();
    provider.register();
    try {
      class SpanAgent extends BaseAgent {
        async execute(_context: ExecutionContext): Promise<unknown> {
          await phase('tool_execution', () => sleep(2), { toolName: 'search' });
          return 1;
        }
      }
      const agent = new SpanAgent({ name: 'spanner' });
      expect(typeof agent.logger.info).toBe('function');
      await agent.execute({ runId: 'sp1', agentName: 'x', userId: 'bob' });
      const root = spans().find((s) => s.name === 'invoke_agent spanner')!;
      expect(root.attributes[ATTR_RUN_ID]).toBe('sp1');
      expect(root.attributes[ATTR_USER_ID]).toBe('bob');
      const tool = spans().find((s) => s.name === 'execute_tool search')!;
      expect(tool.parentSpanContext?.spanId).toBe(root.spanContext().spanId);

      // The guide's style: the agent's own collector is the execution, under the automatic span.
      class OwnCollector extends BaseAgent {
        async execute(context: ExecutionContext): Promise<unknown> {
          this.timingCollector = new EnhancedExecutionTimingCollector({ executionId: context.runId, agentName: this.name });
          return undefined;
        }
      }
      await new OwnCollector({ name: 'own' }).execute({ runId: 'own-1', agentName: 'own' });
      const [own, auto] = spans().filter((s) => s.name === 'invoke_agent own');
      expect(auto.attributes['agent_timing.execution.discarded']).toBe(true);
      expect(own.parentSpanContext?.spanId).toBe(auto.spanContext().spanId);
    } finally {
      await provider.shutdown();
      trace.disable();
      context.disable();
    }
  });

  it('completes both executions when the agent assigns its own collector after timing work on the automatic one', async () => {
    const seen = completions();
    class Mixed extends BaseAgent {
      async execute(context: ExecutionContext): Promise<unknown> {
        await phase('initialization', () => sleep(2)); // on the automatic execution
        this.timingCollector = new EnhancedExecutionTimingCollector({ executionId: `${context.runId}-own`, agentName: this.name });
        this.timingCollector.startPhase('processing');
        await sleep(2);
        this.timingCollector.stopPhase('processing');
        return undefined;
      }
    }
    try {
      await new Mixed().execute({ runId: 'mixed', agentName: 'x' });
      expect(Object.keys(seen.byId.get('mixed')![0].phases)).toEqual(['initialization']);
      expect(Object.keys(seen.byId.get('mixed-own')![0].phases)).toEqual(['processing']);
    } finally {
      seen.stop();
    }
  });

  it('ignores assignments outside execute and bad values, without throwing', () => {
    class Plain extends BaseAgent {
      async execute(): Promise<unknown> {
        return undefined;
      }
    }
    const agent = new Plain();
    agent.timingCollector = new EnhancedExecutionTimingCollector({ agentName: 'stray' });
    expect(agent.timingCollector).toBeUndefined();
    expect(getDropCounts()['timing-collector-outside-execute']).toBe(1);
    (agent as unknown as { timingCollector: unknown }).timingCollector = 42;
    expect(getDropCounts()['invalid-timing-collector']).toBe(1);
  });
});
