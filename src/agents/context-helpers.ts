import { reportDrop } from '../internal/diag';
import { EnhancedExecutionTimingCollector, type ExecutionTimingCollectorOptions } from '../api/collector';
import { activeScope } from '../api/execution-scope';
import { describeForLog } from '../internal/sanitize';

/** Options of withExecution(): the collector's options, except the agent name given positionally. */
export type WithExecutionOptions = Omit<ExecutionTimingCollectorOptions, 'agentName'>;

/**
 * The collector of the execution active in this async context — inside withExecution(), a
 * BaseAgent's execute(), an instrumentAgent() method, measure()/runInContext() callbacks, or a
 * SupervisorObservability run entered with runInWorkflow() — or `undefined` outside any.
 */
export function currentCollector(): EnhancedExecutionTimingCollector | undefined {
  const owner = activeScope()?.owner;
  return owner instanceof EnhancedExecutionTimingCollector ? owner : undefined;
}

/** True when the outcome a function resolved to says it failed (an ExecutionResult with success: false). */
export function failedResult(value: unknown): { failed: boolean; error: unknown } {
  if (value === null || typeof value !== 'object') return { failed: false, error: undefined };
  try {
    const r = value as { success?: unknown; error?: unknown };
    if (r.success === false) return { failed: true, error: r.error ?? 'the execution returned success: false' };
  } catch {
    // a throwing getter is not a failure of the agent
  }
  return { failed: false, error: undefined };
}

/**
 * Runs `fn` as one execution of `agentName`: a new collector, current for fn's whole async
 * context (so currentCollector(), phase(), instrumentStream() and other instrumentations' spans
 * find it), completed when fn's result settles — as an error when fn throws or rejects (the
 * error is rethrown unchanged) or resolves to `{ success: false }`. If fn completes the collector
 * itself, that completion stands.
 */
export function withExecution<T>(
  agentName: string,
  fn: (collector: EnhancedExecutionTimingCollector) => T,
  options?: WithExecutionOptions,
): Promise<Awaited<T>> {
  if (typeof fn !== 'function') {
    reportDrop('with-execution-not-a-function', 'withExecution(agentName, fn) needs a function; nothing was run');
    return Promise.resolve(undefined as Awaited<T>);
  }
  const o = options !== null && typeof options === 'object' ? options : {};
  let collectorOptions: WithExecutionOptions & { agentName: string };
  try {
    collectorOptions = { ...o, agentName };
  } catch {
    reportDrop('unreadable-option', 'withExecution() options could not be read (a getter or proxy threw); they were ignored');
    collectorOptions = { agentName };
  }
  const collector = new EnhancedExecutionTimingCollector(collectorOptions);
  const finish = (failed: boolean, error: unknown): void => {
    if (!collector.completed) collector.complete({ success: !failed, error });
  };
  let result: T;
  try {
    result = collector.runInContext(() => fn(collector));
  } catch (err) {
    finish(true, err);
    return Promise.reject(err as Error);
  }
  return Promise.resolve(result).then(
    (value) => {
      const { failed, error } = failedResult(value);
      finish(failed, error);
      return value;
    },
    (err: unknown) => {
      finish(true, err);
      throw err;
    },
  );
}

/**
 * Times `fn` as a phase of the current execution and returns what fn returns (a promise stays a
 * promise): the phase stops when fn returns, throws or settles, and is marked failed on an error.
 * Inside fn the phase is the current one, so nested phase() calls and other instrumentations'
 * spans are its children. `metadata.category` (e.g. `'database_query'`) sets its category, like
 * startPhase(). Outside any execution it is a plain call of fn.
 */
export function phase<T>(name: string, fn: () => T, metadata?: Record<string, unknown>): T {
  if (typeof fn !== 'function') {
    reportDrop('phase-not-a-function', `phase(${describeForLog(name)}, fn) needs a function; nothing was run`);
    return undefined as T;
  }
  const collector = currentCollector();
  if (!collector || collector.completed) return fn();
  if (metadata === undefined || metadata === null) return collector.measure(name, undefined, fn);
  return collector.measure(name, undefined, fn, metadata);
}

