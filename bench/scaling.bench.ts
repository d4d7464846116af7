/**
 * How the breakdown's work grows with the number of phases in one execution: complete() and
 * getCriticalPath() for n = 10 … 10 000 phases, sequential, nested (each inside the one before)
 * and parallel (tasks that all overlap), and stopping n same-name tasks oldest first. Each round
 * handles 10 000 phases (10 000 / n executions of n phases, built untimed before the round), and
 * the figure is per phase: a flat row means linear work, a row that grows tenfold per column is
 * quadratic. No OTel SDK is set up, so the figures are the library's own bookkeeping.
 */
import { defineScenario, type BenchCase } from './harness';
import { sdk } from './support/otel-peers';

type Collector = InstanceType<typeof sdk.EnhancedExecutionTimingCollector>;
type Timer = ReturnType<Collector['startPhase']>;
type Shape = 'sequential' | 'nested' | 'parallel';

const PHASES_PER_ROUND = 10_000;
const SIZES = [10, 100, 1_000, 10_000];
const SHAPES: Shape[] = ['sequential', 'nested', 'parallel'];
const NAMES = ['initialization', 'tool_execution', 'llm_processing', 'database_query', 'external_api', 'step'];

/** One execution of n phases of a shape, every phase stopped, not yet completed. */
function build(n: number, shape: Shape): Collector {
  const c = new sdk.EnhancedExecutionTimingCollector({ agentName: 'scaling' });
  if (shape === 'sequential') {
    for (let i = 0; i < n; i++) c.startPhase(NAMES[i % NAMES.length]).stop();
  } else if (shape === 'nested') {
    const timers: Timer[] = [];
    for (let i = 0; i < n; i++) timers.push(c.startPhase(NAMES[i % NAMES.length]));
    for (let i = n - 1; i >= 0; i--) timers[i].stop();
  } else {
    const timers: Timer[] = [];
    for (let i = 0; i < n; i++) timers.push(c.startParallelTask(NAMES[i % NAMES.length]));
    for (const t of timers) t.stop();
  }
  return c;
}

function batch(n: number, shape: Shape): Collector[] {
  return Array.from({ length: PHASES_PER_ROUND / n }, () => build(n, shape));
}

// One loop function per case kind: shared closures would make V8's type feedback polymorphic.
function completeAll(collectors: Collector[]): void {
  for (const c of collectors) c.complete();
}
function criticalPaths(collectors: Collector[]): void {
  for (const c of collectors) c.getCriticalPath();
}
function stopAll(timers: Timer[]): void {
  for (const t of timers) t.stop();
}

function completeCase(n: number, shape: Shape): BenchCase {
  let collectors: Collector[] = [];
  return {
    group: `complete(), ${shape}`,
    name: `n = ${n.toLocaleString('en-US')}`,
    ops: PHASES_PER_ROUND,
    beforeRound: () => {
      collectors = batch(n, shape);
    },
    run: () => completeAll(collectors),
    afterRound: () => {
      collectors = [];
    },
  };
}

function criticalPathCase(n: number, shape: Shape): BenchCase {
  let collectors: Collector[] = [];
  return {
    group: `getCriticalPath(), ${shape}`,
    name: `n = ${n.toLocaleString('en-US')}`,
    ops: PHASES_PER_ROUND,
    setup: () => {
      collectors = batch(n, shape);
      for (const c of collectors) c.complete();
    },
    run: () => criticalPaths(collectors),
    teardown: () => {
      collectors = [];
    },
  };
}

function sameNameStopCase(n: number): BenchCase {
  let collectors: Collector[] = [];
  let timers: Timer[] = [];
  return {
    group: 'stop n same-name tasks, oldest first',
    name: `n = ${n.toLocaleString('en-US')}`,
    ops: PHASES_PER_ROUND,
    beforeRound: () => {
      collectors = Array.from({ length: PHASES_PER_ROUND / n }, () => new sdk.EnhancedExecutionTimingCollector({ agentName: 'scaling' }));
      timers = [];
      for (const c of collectors) for (let i = 0; i < n; i++) timers.push(c.startParallelTask('fetch'));
    },
    run: () => stopAll(timers),
    afterRound: () => {
      for (const c of collectors) c.complete();
      collectors = [];
      timers = [];
    },
  };
}

export default defineScenario({
  name: 'scaling',
  description: 'per-phase cost of complete(), getCriticalPath() and same-name stops for n = 10 … 10 000 phases in one execution',
  rounds: 7,
  cases: [
    ...SHAPES.flatMap((shape) => SIZES.map((n) => completeCase(n, shape))),
    ...SHAPES.flatMap((shape) => SIZES.map((n) => criticalPathCase(n, shape))),
    ...SIZES.map(sameNameStopCase),
  ],
});
