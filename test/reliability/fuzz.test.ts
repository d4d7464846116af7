/**
 * "Never throws" over the whole public surface: every exported function and every public method
 * of the exported classes (and the `agent-timing/langchain` handler) is called with hostile
 * arguments — throwing getters, proxies whose traps throw, revoked proxies, null-prototype
 * objects, BigInt, symbols, cyclic, huge and deep values (test/reliability/support/hostile.ts).
 *
 * Hot-path and recording methods must never throw; set-up (constructors, option validation) and
 * query methods may throw only a TypeError (input of the wrong type, or unreadable: a getter or
 * proxy trap threw) or RangeError (a value out of range, such as a bad window) whose message
 * starts with "agent-timing:" and names what to change. A
 * returned promise must settle without rejecting (no callback given here throws).
 *
 * Fixed seed in `npm test`; `AGENT_TIMING_FUZZ_RUNS=20000 AGENT_TIMING_FUZZ_SEED=… ` runs a larger
 * one (bench/fuzz.bench.ts does, with a random seed it prints).
 */
import { context, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import fc from 'fast-check';
import {
  averageBreakdown,
  BreakdownSpanProcessor,
  currentCollector,
  EnhancedExecutionTimingCollector,
  getAgentTimingHealth,
  instrumentAgent,
  instrumentStream,
  isMetricType,
  MetricsAggregator,
  MetricType,
  onExecutionComplete,
  PerformanceAnalyzer,
  phase,
  recordResourceMetrics,
  SupervisorObservability,
  TimingBreakdown,
  withExecution,
} from '../../src';
import { AgentTimingCallbackHandler } from '../../src/agents/langchain';
import { hostileMetadata, hostileName, hostileNumber, hostileValue, materialize } from './support/hostile';
import { resetForTests } from '../../src/setup/reset-for-tests';

const SEED = Number(process.env.AGENT_TIMING_FUZZ_SEED ?? 20_261_202);
const RUNS = Number(process.env.AGENT_TIMING_FUZZ_RUNS ?? 60);
/** One target took 14 s for its 60 runs on a loaded 2-core VM (huge and many-key inputs): room for a busier one. */
const TIMEOUT_MS = Math.max(180_000, RUNS * 3_000);

const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new BreakdownSpanProcessor(), new SimpleSpanProcessor(exporter)] });
beforeAll(() => provider.register());
afterEach(() => exporter.reset());
afterAll(async () => {
  resetForTests();
  await provider.shutdown();
  trace.disable();
  context.disable();
});

/** What a call may throw. */
type Contract = 'never' | 'setup' | 'query';

function allowed(contract: Contract, err: unknown): boolean {
  if (contract === 'never') return false;
  const ok = err instanceof TypeError || err instanceof RangeError;
  return ok && typeof (err as Error).message === 'string' && (err as Error).message.startsWith('agent-timing:');
}

/** Calls fn; returns a description of a contract breach, or undefined. Awaits returned promises. */
async function breach(contract: Contract, what: string, fn: () => unknown): Promise<string | undefined> {
  let result: unknown;
  try {
    result = fn();
  } catch (err) {
    return allowed(contract, err) ? undefined : `${what} threw ${errText(err)}`;
  }
  let isPromise = false;
  try {
    isPromise = result instanceof Promise;
  } catch {
    // a returned Proxy whose getPrototypeOf trap throws (instrumentAgent returns its input)
  }
  if (isPromise) {
    try {
      await result;
    } catch (err) {
      return `${what} rejected with ${errText(err)}`;
    }
  }
  return undefined;
}

function errText(err: unknown): string {
  try {
    const e = err as { name?: unknown; message?: unknown };
    return typeof e.message === 'string' ? `${String(e.name)}: ${e.message.slice(0, 200)}` : typeof err;
  } catch {
    return 'an unreadable error';
  }
}

/** Any argument: hostile values, names, metadata-shaped objects and numbers. */
const arg = fc.oneof(hostileValue, hostileName, hostileMetadata, hostileNumber);
const args = fc.array(arg, { maxLength: 4 });
const m = (values: unknown[]): unknown[] => values.map((v) => materialize(v));

/** Runs `call(args)` for RUNS generated argument lists and fails on the first breach (shrunk). */
async function fuzz(contract: Contract, what: string, call: (a: unknown[]) => unknown): Promise<void> {
  await fc.assert(
    fc.asyncProperty(args, async (generated) => {
      const problem = await breach(contract, what, () => call(m(generated)));
      if (problem) throw new Error(problem);
    }),
    { seed: SEED, numRuns: RUNS },
  );
}

type Fn = (...a: unknown[]) => unknown;
const any = (f: unknown) => f as Fn;

describe('exported functions never throw on hostile arguments', () => {
  const functions: [string, Contract, Fn][] = [
    ['onExecutionComplete', 'never', (...a) => (any(onExecutionComplete)(...a) as () => void)()],
    ['currentCollector', 'never', any(currentCollector)],
    ['phase', 'never', any(phase)],
    ['withExecution', 'never', any(withExecution)],
    ['instrumentStream', 'never', any(instrumentStream)],
    ['instrumentAgent', 'setup', any(instrumentAgent)],
    ['recordResourceMetrics', 'never', any(recordResourceMetrics)],
    ['isMetricType', 'never', any(isMetricType)],
    ['averageBreakdown', 'query', any(averageBreakdown)],
    ['getAgentTimingHealth', 'never', any(getAgentTimingHealth)],
  ];
  it.each(functions)('%s', async (name, contract, fn) => {
    await fuzz(contract, name, (a) => fn(...a));
  }, TIMEOUT_MS);
});

describe('EnhancedExecutionTimingCollector', () => {
  const methods: [string, Contract][] = [
    ['startPhase', 'never'],
    ['stopPhase', 'never'],
    ['startParallelTask', 'never'],
    ['stopParallelTask', 'never'],
    ['recordFirstToken', 'never'],
    ['addMetric', 'never'],
    ['runInContext', 'never'],
    ['getBreakdown', 'never'],
    ['getSummary', 'never'],
    ['getCriticalPath', 'never'],
    ['complete', 'never'],
    ['discard', 'never'],
  ];
  it('constructor: set-up errors only', async () => {
    await fuzz('setup', 'new EnhancedExecutionTimingCollector', (a) => new EnhancedExecutionTimingCollector(a[0] as never).complete());
  }, TIMEOUT_MS);
  it.each(methods)('%s', async (method, contract) => {
    await fuzz(contract, method, (a) => {
      const c = new EnhancedExecutionTimingCollector({ agentName: 'fuzz' });
      c.startPhase('outer');
      const result = any((c as unknown as Record<string, unknown>)[method]).apply(c, a);
      c.complete();
      return result;
    });
  }, TIMEOUT_MS);
  it('measure without a callback, and the PhaseTimer it returns', async () => {
    await fuzz('never', 'measure', (a) => {
      const c = new EnhancedExecutionTimingCollector({ agentName: 'fuzz' });
      const t = c.measure(a[0] as string, a[1] as MetricType);
      t.stop();
      t[Symbol.dispose]();
      return c.complete();
    });
  }, TIMEOUT_MS);
});

describe('MetricsAggregator', () => {
  const aggregator = new MetricsAggregator();
  aggregator.addMetric({ metricType: MetricType.LLM_PROCESSING, value: 5, timestamp: Date.now(), metadata: { model: 'm' } });
  const methods: [string, Contract][] = [
    ['addMetric', 'never'],
    ['addTimingBreakdown', 'never'],
    ['recordResourceUtilization', 'never'],
    ['getAggregatedMetrics', 'query'],
    ['getPerformanceSummary', 'query'],
    ['getBottlenecks', 'query'],
    ['getSloCompliance', 'query'],
    ['getSloCounts', 'query'],
    ['exportMetrics', 'query'],
    ['clearOldMetrics', 'never'],
    ['getMemoryStats', 'never'],
  ];
  it('constructor: set-up errors only', async () => {
    await fuzz('setup', 'new MetricsAggregator', (a) => new MetricsAggregator(a[0] as never));
  }, TIMEOUT_MS);
  it.each(methods)('%s', async (method, contract) => {
    await fuzz(contract, method, (a) => any((aggregator as unknown as Record<string, unknown>)[method]).apply(aggregator, a));
  }, TIMEOUT_MS);
  it('exportMetrics returns JSON-safe data after hostile metadata', async () => {
    await fuzz('never', 'addMetric then exportMetrics', (a) => {
      const agg = new MetricsAggregator();
      agg.addMetric({ metricType: MetricType.TOOL_EXECUTION, value: 1, timestamp: Date.now(), metadata: a[0] as Record<string, unknown> });
      JSON.stringify(agg.exportMetrics(60));
    });
  }, TIMEOUT_MS);
});

describe('PerformanceAnalyzer and TimingBreakdown', () => {
  const analyzer = new PerformanceAnalyzer();
  const methods: [string, Contract][] = [
    ['analyzeTimingBreakdown', 'query'],
    ['analyzeAggregates', 'query'],
    ['detectAnomalies', 'query'],
    ['calculateSloCompliance', 'query'],
    ['calculateErrorBudget', 'query'],
  ];
  it('constructor: set-up errors only', async () => {
    await fuzz('setup', 'new PerformanceAnalyzer', (a) => new PerformanceAnalyzer(a[0] as never));
  }, TIMEOUT_MS);
  it.each(methods)('%s', async (method, contract) => {
    await fuzz(contract, method, (a) => any((analyzer as unknown as Record<string, unknown>)[method]).apply(analyzer, a));
  }, TIMEOUT_MS);
  it('TimingBreakdown from hostile data', async () => {
    await fuzz('setup', 'new TimingBreakdown', (a) => {
      const b = new TimingBreakdown(a[0] as never);
      b.calculateEfficiency();
      JSON.stringify(b.toJSON());
    });
  }, TIMEOUT_MS);
});

describe('SupervisorObservability', () => {
  const supervisor = new SupervisorObservability({ aggregator: new MetricsAggregator() });
  const methods = [
    'startWorkflowTrace',
    'startPhase',
    'stopPhase',
    'recordFirstToken',
    'getTimingBreakdown',
    'completeWorkflowTrace',
    'recordResourceMetrics',
    'getCollector',
    'runInWorkflow',
  ];
  it('constructor: set-up errors only', async () => {
    await fuzz('setup', 'new SupervisorObservability', (a) => new SupervisorObservability(a[0] as never));
  }, TIMEOUT_MS);
  it.each(methods)('%s', async (method) => {
    await fuzz('never', method, (a) => any((supervisor as unknown as Record<string, unknown>)[method]).apply(supervisor, a));
  }, TIMEOUT_MS);
  it('a run started with a hostile run id', async () => {
    await fuzz('never', 'run lifecycle', (a) => {
      const ctx = { runId: a[0], agentName: a[1], userId: a[2] } as never;
      supervisor.startWorkflowTrace(ctx);
      supervisor.startPhase(a[0] as string, 'p', a[3] as never);
      supervisor.stopPhase(a[0] as string, 'p');
      return supervisor.completeWorkflowTrace(ctx, { success: true });
    });
  }, TIMEOUT_MS);
});

describe('agent-timing/langchain handler', () => {
  const handler = new AgentTimingCallbackHandler({ aggregator: new MetricsAggregator() } as never);
  const methods = Object.getOwnPropertyNames(AgentTimingCallbackHandler.prototype).filter(
    (k) => k.startsWith('handle') && typeof (handler as unknown as Record<string, unknown>)[k] === 'function',
  );
  it('has handler methods to fuzz', () => {
    expect(methods.length).toBeGreaterThan(10);
  }, TIMEOUT_MS);
  it.each(methods)('%s', async (method) => {
    await fuzz('never', method, (a) => any((handler as unknown as Record<string, unknown>)[method]).apply(handler, a));
  }, TIMEOUT_MS);
  it('constructor: set-up errors only', async () => {
    await fuzz('setup', 'new AgentTimingCallbackHandler', (a) => new AgentTimingCallbackHandler(a[0] as never));
  }, TIMEOUT_MS);
});
