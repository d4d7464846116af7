/**
 * Regression tests named after the seven causes of throws issue 13 found in "never throws"
 * methods, and the query-method errors it found (a TypeError where a RangeError is documented,
 * errors escaping the breakdown analysis). Each hostile argument is the one the issue names.
 */
import { context, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import {
  averageBreakdown,
  BreakdownSpanProcessor,
  EnhancedExecutionTimingCollector,
  MetricsAggregator,
  MetricType,
  PerformanceAnalyzer,
  recordResourceMetrics,
  SupervisorObservability,
  withExecution,
} from '../../src';
import { AgentTimingCallbackHandler } from '../../src/agents/langchain';
import { getDropCounts } from '../../src/internal/diag';
import { resetForTests } from '../../src/setup/reset-for-tests';

const thrower = (): never => {
  throw new Error('hostile');
};
const throwingProxy = () => new Proxy({}, { get: thrower, has: thrower, ownKeys: thrower, getOwnPropertyDescriptor: thrower, getPrototypeOf: thrower });

const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new BreakdownSpanProcessor(), new SimpleSpanProcessor(exporter)] });
beforeAll(() => provider.register());
beforeEach(() => resetForTests());
afterAll(async () => {
  resetForTests();
  await provider.shutdown();
  trace.disable();
  context.disable();
});

describe('the seven causes of throws in never-throw methods', () => {
  it('SupervisorObservability with a null-prototype run id logs without String(runId)', () => {
    const supervisor = new SupervisorObservability({ aggregator: new MetricsAggregator() });
    const runId = Object.create(null) as string;
    expect(() => {
      supervisor.startPhase(runId, 'p');
      supervisor.stopPhase(runId, 'p');
      supervisor.recordFirstToken(runId);
      supervisor.getTimingBreakdown(runId);
      supervisor.completeWorkflowTrace({ runId, agentName: 'a' }, { success: true });
      supervisor.startWorkflowTrace({ runId, agentName: 'a' });
    }).not.toThrow();
  });

  it("a throwing Proxy as startPhase's third argument", () => {
    const c = new EnhancedExecutionTimingCollector({ agentName: 'a' });
    expect(() => c.startPhase('p', throwingProxy() as never, throwingProxy() as never).stop()).not.toThrow();
    expect(() => c.startPhase('q', throwingProxy() as never)).not.toThrow();
    expect(c.complete().phases).toHaveProperty('p');
  });

  it("runInContext('x') and a parentContext that is not a Context", () => {
    const c = new EnhancedExecutionTimingCollector({ agentName: 'a' });
    expect(c.runInContext('x' as never)).toBeUndefined();
    expect(getDropCounts()['run-in-context-not-a-function']).toBe(1);
    c.complete();
    for (const parentContext of ['x', 42, {}, throwingProxy(), { getValue: thrower, setValue: thrower, deleteValue: thrower }]) {
      expect(() => {
        const child = new EnhancedExecutionTimingCollector({ agentName: 'a', parentContext: parentContext as never });
        child.runInContext(() => child.startPhase('p').stop());
        child.complete();
      }).not.toThrow();
    }
  });

  it('withExecution with a throwing executionId getter does not throw synchronously', async () => {
    const options = Object.defineProperty({}, 'executionId', { enumerable: true, get: thrower });
    let p: Promise<unknown> | undefined;
    expect(() => {
      p = withExecution('a', () => 1, options as never);
    }).not.toThrow();
    await expect(p).resolves.toBe(1);
    await expect(withExecution('a', () => 2, throwingProxy() as never)).resolves.toBe(2);
  });

  it('recordResourceMetrics with a throwing timestamp getter', () => {
    const options = Object.defineProperty({ aggregator: new MetricsAggregator() }, 'timestamp', { get: thrower });
    expect(() => recordResourceMetrics({ memoryMb: 10 }, options as never)).not.toThrow();
    expect(() => recordResourceMetrics(throwingProxy() as never, throwingProxy() as never)).not.toThrow();
  });

  it("the LangChain handler's safe() describes an error without String(err)", () => {
    const handler = new AgentTimingCallbackHandler({ aggregator: new MetricsAggregator() } as never);
    const hostileError = Object.create(null) as Error; // String() of it throws
    expect(() => handler.handleChainStart({} as never, {}, throwingProxy() as never)).not.toThrow();
    expect(() => handler.handleChainError(hostileError, 'r' as never)).not.toThrow();
    const toStringThrows = { toString: thrower, [Symbol.toPrimitive]: thrower };
    expect(() => handler.handleLLMStart(toStringThrows as never, [], toStringThrows as never)).not.toThrow();
  });

  it('String(window) in slot-layout: a hostile window is a RangeError with a clear message', () => {
    const agg = new MetricsAggregator();
    for (const window of [Object.create(null), { [Symbol.toPrimitive]: thrower }, Symbol('w'), 'x'.repeat(1_000_000), -1]) {
      let error: unknown;
      try {
        agg.getAggregatedMetrics(MetricType.TTFT, window as never);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(RangeError);
      expect((error as Error).message).toMatch(/^agent-timing: window must be an AggregationWindow/);
      expect((error as Error).message.length).toBeLessThan(300);
    }
  });
});

describe('analysis errors', () => {
  it('breakdown shares and averageBreakdown throw only agent-timing TypeErrors on unreadable input', () => {
    const analyzer = new PerformanceAnalyzer();
    for (const call of [() => analyzer.analyzeTimingBreakdown(throwingProxy() as never), () => averageBreakdown(throwingProxy() as never), () => analyzer.analyzeAggregates(throwingProxy() as never)]) {
      expect(call).toThrow(TypeError);
      expect(call).toThrow(/^agent-timing: .* could not read its input/);
    }
    const getter = Object.defineProperty({ totalMs: 10 }, 'llmProcessingMs', { enumerable: true, get: thrower });
    expect(() => analyzer.analyzeTimingBreakdown(getter as never)).toThrow(/^agent-timing: analyzeTimingBreakdown\(\)/);
  });
});
