import { AsyncLocalStorage } from 'node:async_hooks';
import { EnhancedExecutionTimingCollector } from '../../api/collector';
import type { BreakdownSink } from '../../api/completion';
import { failedResult } from '../context-helpers';
import { contextAttributes, runIdOf } from './context-attributes';
import { isThenable } from '../../internal/thenable';
import { discardUnused } from './core-hooks';

/**
 * One call of an instrumented agent method: the agent, the execution made for it, and the
 * collector the method's own code may have assigned to `this.timingCollector` (the guide's
 * style). Calls nest (a sub-agent called from an agent), so each slot knows its enclosing one.
 */
export interface CallSlot {
  readonly agent: object;
  readonly collector: EnhancedExecutionTimingCollector;
  readonly parent: CallSlot | undefined;
  user: EnhancedExecutionTimingCollector | undefined;
}

/**
 * Calls in flight, per async context. A storage of our own (beside the execution scope) because
 * `this.timingCollector` means "this agent's execution", which must not change when the agent's
 * code enters another execution (withExecution, a sub-agent) or a measure() callback.
 */
const calls = new AsyncLocalStorage<CallSlot>();

/** The innermost call of `agent` in this async context. */
export function slotOf(agent: object): CallSlot | undefined {
  for (let s = calls.getStore(); s; s = s.parent) if (s.agent === agent) return s;
  return undefined;
}

export interface AgentCallOptions {
  agentName: string;
  aggregator?: BreakdownSink;
  /** When the agent is already inside a call of itself (run() calling execute()), do not start another execution. */
  joinEnclosingCall?: boolean;
  /** Always return a promise (execute() is async by contract). */
  alwaysPromise?: boolean;
}

function finish(slot: CallSlot, failed: boolean, error: unknown): void {
  const result = { success: !failed, error: failed ? error : undefined };
  const user = slot.user;
  if (user && user !== slot.collector) {
    // The agent made its own collector (the guide's style): that one is the execution. Complete
    // it unless the agent did; the automatic one is dropped uncounted when it recorded nothing,
    // else completed too (it then holds work done before the assignment).
    if (!user.completed) user.complete(result);
    if (!slot.collector.completed && !discardUnused(slot.collector)) slot.collector.complete(result);
    return;
  }
  if (!slot.collector.completed) slot.collector.complete(result);
}

/**
 * Runs `invoke` as one execution of `agent`: a new collector (execution id = the context's runId
 * when the first argument is an ExecutionContext, span attributes for run id and user id), current
 * for the call's async context, completed with the outcome when the result settles. Errors are
 * rethrown unchanged; sync results stay sync unless alwaysPromise.
 */
export function runAgentCall<T>(agent: object, context: unknown, options: AgentCallOptions, invoke: () => T): T | Promise<Awaited<T>> {
  if (options.joinEnclosingCall) {
    const enclosing = slotOf(agent);
    if (enclosing && !enclosing.collector.completed) return invoke();
  }
  const collector = new EnhancedExecutionTimingCollector({
    agentName: options.agentName,
    executionId: runIdOf(context),
    attributes: contextAttributes(context),
    aggregator: options.aggregator,
  });
  const slot: CallSlot = { agent, collector, parent: calls.getStore(), user: undefined };
  let result: T;
  try {
    result = calls.run(slot, () => collector.runInContext(invoke));
  } catch (err) {
    finish(slot, true, err);
    if (options.alwaysPromise) return Promise.reject(err as Error);
    throw err;
  }
  if (isThenable(result)) {
    return Promise.resolve(result).then(
      (value) => {
        const { failed, error } = failedResult(value);
        finish(slot, failed, error);
        return value;
      },
      (err: unknown) => {
        finish(slot, true, err);
        throw err;
      },
    );
  }
  const { failed, error } = failedResult(result);
  finish(slot, failed, error);
  return options.alwaysPromise ? Promise.resolve(result as Awaited<T>) : result;
}

const WRAPPED = Symbol.for('agent-timing.wrapped');

/** Marks a function as one of our wrappers (so nothing is wrapped twice). */
export function markWrapped<F extends object>(fn: F): F {
  Object.defineProperty(fn, WRAPPED, { value: true });
  return fn;
}

export function isWrapped(fn: unknown): boolean {
  return typeof fn === 'function' && (fn as unknown as Record<symbol, unknown>)[WRAPPED] === true;
}
