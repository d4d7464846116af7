import { currentCollector, phase } from '../../src/agents/context-helpers';
import { instrumentAgent } from '../../src/agents/instrument-agent';
import { getDropCounts } from '../../src/internal/diag';
import type { EnhancedExecutionTimingCollector } from '../../src/api/collector';
import { sleep } from '../support/time';
import { completions } from './support';
import { resetForTests } from '../../src/setup/reset-for-tests';

beforeEach(() => resetForTests());

describe('instrumentAgent', () => {
  it('wraps execute, run and invoke when they exist, keeping this, sync and async results', async () => {
    const seen = completions();
    try {
      class ThirdParty {
        name = 'third_party';
        calls = 0;
        run(x: number): number {
          this.calls++;
          return x * 2;
        }
        async invoke(x: number): Promise<string> {
          this.calls++;
          await phase('llm_processing', () => sleep(3));
          return `${x}:${currentCollector()?.agentName}`;
        }
        other(): EnhancedExecutionTimingCollector | undefined {
          return currentCollector();
        }
      }
      const agent = new ThirdParty();
      const same = instrumentAgent(agent);
      expect(same).toBe(agent);
      expect(agent.run(4)).toBe(8); // still synchronous
      await expect(agent.invoke(5)).resolves.toBe('5:third_party');
      expect(agent.calls).toBe(2);
      expect(agent.other()).toBeUndefined(); // not instrumented
      expect(agent instanceof ThirdParty).toBe(true);
      const breakdowns = [...seen.byId.values()].flat();
      expect(breakdowns).toHaveLength(2);
      expect(breakdowns.every((b) => b.agentName === 'third_party' && b.outcome === 'success')).toBe(true);
      expect(breakdowns[1].llmProcessingMs).toBeGreaterThanOrEqual(2);
      // Instrumenting twice does not wrap twice.
      instrumentAgent(agent);
      agent.run(1);
      expect([...seen.byId.values()].flat()).toHaveLength(3);
    } finally {
      seen.stop();
    }
  });

  it('records and rethrows errors unchanged, sync and async', async () => {
    const seen = completions();
    const syncErr = new TypeError('sync');
    const asyncErr = new RangeError('async');
    try {
      const agent = instrumentAgent(
        {
          run(): never {
            throw syncErr;
          },
          async execute(): Promise<never> {
            await sleep(1);
            throw asyncErr;
          },
        },
        { name: 'thrower' },
      );
      expect(() => agent.run()).toThrow(syncErr);
      await expect(agent.execute()).rejects.toBe(asyncErr);
      const breakdowns = [...seen.byId.values()].flat();
      expect(breakdowns.map((b) => b.outcome)).toEqual(['error', 'error']);
      expect(breakdowns.every((b) => b.agentName === 'thrower')).toBe(true);
    } finally {
      seen.stop();
    }
  });

  it('joins the enclosing call when one instrumented method calls another', async () => {
    const seen = completions();
    try {
      const agent = instrumentAgent({
        name: 'joiner',
        async run(ctx: { runId: string; agentName: string }) {
          return this.execute(ctx);
        },
        async execute(ctx: { runId: string; agentName: string }) {
          await phase('tool_execution', () => sleep(2));
          return currentCollector()?.executionId === ctx.runId;
        },
      });
      await expect(agent.run({ runId: 'join-1', agentName: 'joiner' })).resolves.toBe(true);
      expect(seen.byId.get('join-1')).toHaveLength(1);
      expect([...seen.byId.keys()]).toEqual(['join-1']);
    } finally {
      seen.stop();
    }
  });

  it('instruments named methods only, and serves frozen objects through a Proxy', () => {
    const seen = completions();
    try {
      class Frozen {
        answer(): string | undefined {
          return currentCollector()?.agentName;
        }
      }
      const frozen = Object.freeze(new Frozen());
      const wrapped = instrumentAgent(frozen, { methods: ['answer', 'missing'], name: 'frozen_agent' });
      expect(wrapped).not.toBe(frozen);
      expect(wrapped instanceof Frozen).toBe(true);
      expect(wrapped.answer()).toBe('frozen_agent');
      expect([...seen.byId.values()].flat()).toHaveLength(1);
    } finally {
      seen.stop();
    }
  });

  it('keeps concurrent calls apart', async () => {
    const agent = instrumentAgent({
      async execute(ctx: { runId: string; agentName: string; ms: number }) {
        await sleep(ctx.ms);
        const c = currentCollector()!;
        await sleep(ctx.ms);
        return c.executionId === ctx.runId && currentCollector() === c;
      },
    });
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => agent.execute({ runId: `c${i}`, agentName: 'a', ms: i % 7 })));
    expect(results.every(Boolean)).toBe(true);
  });

  it('returns non-objects unchanged and reports bad options', () => {
    expect(instrumentAgent(null as unknown as object)).toBeNull();
    const agent = { run: () => 1 };
    instrumentAgent(agent, { methods: 'run' as unknown as string[] });
    expect(agent.run()).toBe(1);
    expect(getDropCounts()['instrument-agent-not-object']).toBe(1);
    expect(getDropCounts()['invalid-instrument-methods']).toBe(1);
  });
});
