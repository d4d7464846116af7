import { currentCollector, phase, withExecution } from '../../src/agents/context-helpers';
import { getDropCounts } from '../../src/internal/diag';
import { EnhancedExecutionTimingCollector } from '../../src/api/collector';
import { categorySum, sleep } from '../support/time';
import { completions, spanRecorder } from './support';
import { resetForTests } from '../../src/setup/reset-for-tests';

beforeEach(() => resetForTests());

describe('withExecution / currentCollector / phase', () => {
  it('runs fn as one execution and returns its awaited result', async () => {
    const seen = completions();
    try {
      expect(currentCollector()).toBeUndefined();
      let inside: EnhancedExecutionTimingCollector | undefined;
      const value = await withExecution('helper_agent', async (c) => {
        inside = currentCollector();
        expect(inside).toBe(c);
        await phase('initialization', () => sleep(5));
        await phase('lookup', () => sleep(5), { category: 'database_query' });
        expect(phase('sync_step', () => 42)).toBe(42);
        return 'ok';
      });
      expect(value).toBe('ok');
      expect(currentCollector()).toBeUndefined();
      const [b] = seen.byId.get(inside!.executionId)!;
      expect(b.outcome).toBe('success');
      expect(b.initializationMs).toBeGreaterThanOrEqual(4);
      expect(b.databaseQueryMs).toBeGreaterThanOrEqual(4);
      expect(Object.keys(b.phases).sort()).toEqual(['initialization', 'lookup', 'sync_step']);
      expect(categorySum(b)).toBeCloseTo(b.totalMs, 6);
    } finally {
      seen.stop();
    }
  });

  it('accepts sync results and records errors (rethrown unchanged)', async () => {
    const seen = completions();
    const err = new Error('nope');
    try {
      await expect(withExecution('s', () => 3)).resolves.toBe(3);
      await expect(
        withExecution('t', () => {
          throw err;
        }),
      ).rejects.toBe(err);
      await expect(withExecution('u', async () => Promise.reject(err))).rejects.toBe(err);
      await expect(withExecution('v', () => ({ success: false, error: 'soft' }))).resolves.toEqual({ success: false, error: 'soft' });
      expect([...seen.byId.values()].flat().map((b) => b.outcome)).toEqual(['success', 'error', 'error', 'error']);
    } finally {
      seen.stop();
    }
  });

  it('lets fn complete the collector itself', async () => {
    const b = await withExecution('self', (c) => c.complete({ success: true }));
    expect(b.completed).toBe(true);
    expect(getDropCounts()['complete-twice']).toBeUndefined();
  });

  it('phase() outside any execution is a plain call; errors mark the phase failed', async () => {
    expect(phase('x', () => 5)).toBe(5);
    await expect(phase('x', async () => 6)).resolves.toBe(6);
    const { provider, spans } = spanRecorder();
    const err = new Error('phase failed');
    await withExecution(
      'failing',
      async () => {
        await expect(phase('broken', () => Promise.reject(err), { category: 'tool_execution', toolName: 'calc' })).rejects.toBe(err);
        expect(() =>
          phase('broken_sync', () => {
            throw err;
          }),
        ).toThrow(err);
      },
      { tracer: provider.getTracer('t') },
    );
    const names = spans().map((s) => `${s.name}:${s.status.code}`);
    expect(names).toContain('execute_tool calc:2');
    expect(names).toContain('broken_sync:2');
  });

  it('nests phase() calls, concurrent siblings included, without cross-talk', async () => {
    const { provider, spans } = spanRecorder();
    await withExecution(
      'nest',
      async () => {
        await phase('outer', async () => {
          await Promise.all([phase('a', () => sleep(10), { category: 'external_api' }), phase('b', () => sleep(12), { category: 'database_query' })]);
        });
      },
      { tracer: provider.getTracer('t') },
    );
    const byName = new Map(spans().map((s) => [s.name, s]));
    const outer = byName.get('outer')!;
    expect(byName.get('a')!.parentSpanContext?.spanId).toBe(outer.spanContext().spanId);
    expect(byName.get('b')!.parentSpanContext?.spanId).toBe(outer.spanContext().spanId);
  });

  it('keeps concurrent executions apart', async () => {
    const ids = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        withExecution(`agent_${i}`, async (c) => {
          await sleep(i % 5);
          return currentCollector() === c && c.agentName === `agent_${i}`;
        }),
      ),
    );
    expect(ids.every(Boolean)).toBe(true);
  });

  it('never throws on bad input', async () => {
    await expect(withExecution('x', undefined as never)).resolves.toBeUndefined();
    expect(phase('x', 3 as never)).toBeUndefined();
    expect(getDropCounts()['with-execution-not-a-function']).toBe(1);
    expect(getDropCounts()['phase-not-a-function']).toBe(1);
  });
});
