import { reportDrop } from '../internal/diag';
import { cleanName } from '../internal/sanitize';
import type { BreakdownSink } from '../api/completion';
import { isWrapped, markWrapped, runAgentCall } from './internal/agent-call';

/** Options of instrumentAgent(). */
export interface InstrumentAgentOptions {
  /** Agent name of the executions. Default: the agent's `name` property, else its class name, else `agent`. */
  name?: string;
  /** Methods to instrument (those that exist and are functions). Default `['execute', 'run', 'invoke']`. */
  methods?: string[];
  /** Also feed each completed execution to this sink (e.g. a MetricsAggregator). Default: none. */
  aggregator?: BreakdownSink;
}

const DEFAULT_METHODS: readonly string[] = ['execute', 'run', 'invoke'];

function agentNameOf(agent: object, given: unknown): string {
  const explicit = cleanName(given);
  if (explicit) return explicit;
  if (given !== undefined) reportDrop('invalid-agent-name', 'instrumentAgent() name must be a non-empty string; using the agent\'s own name');
  try {
    const own = cleanName((agent as { name?: unknown }).name);
    if (own) return own;
    const ctor = cleanName((agent as { constructor?: { name?: unknown } }).constructor?.name);
    if (ctor && ctor !== 'Object' && ctor !== 'Function') return ctor;
  } catch {
    // a throwing getter: fall back
  }
  return 'agent';
}

function methodsOf(given: unknown): readonly string[] {
  if (given === undefined) return DEFAULT_METHODS;
  if (Array.isArray(given) && given.every((m) => typeof m === 'string' && m.length > 0)) return given as string[];
  reportDrop('invalid-instrument-methods', 'instrumentAgent() methods must be an array of method names; using execute, run and invoke');
  return DEFAULT_METHODS;
}

/**
 * Instruments an agent that does not extend BaseAgent, in place, and returns it: each call of
 * `execute`, `run` or `invoke` (or the `methods` you name; those missing are skipped) is one
 * execution — current for the call's async context (so currentCollector(), phase() and
 * instrumentStream() work inside), completed when the result settles. `this` is whatever the
 * caller used; sync results stay sync, promises stay promises; errors are recorded and rethrown
 * unchanged. A call made while the same agent is already in an instrumented call (run() calling
 * execute()) joins that execution rather than starting another. When the first argument is an
 * ExecutionContext its runId is the execution id and its run and user ids go on the span.
 * Objects that cannot be changed (frozen) are returned wrapped in a Proxy instead.
 */
export function instrumentAgent<T extends object>(agent: T, options?: InstrumentAgentOptions): T {
  if (agent === null || (typeof agent !== 'object' && typeof agent !== 'function')) {
    reportDrop('instrument-agent-not-object', 'instrumentAgent() needs an object; it was returned unchanged');
    return agent;
  }
  const o: InstrumentAgentOptions = options !== null && typeof options === 'object' ? options : {};
  const agentName = agentNameOf(agent, o.name);
  const aggregator = o.aggregator;
  const wrapped = new Map<string, unknown>();
  for (const method of methodsOf(o.methods)) {
    let fn: unknown;
    try {
      fn = (agent as Record<string, unknown>)[method];
    } catch {
      continue;
    }
    if (typeof fn !== 'function' || isWrapped(fn)) continue;
    const original = fn as (...args: unknown[]) => unknown;
    const wrapper = markWrapped(function (this: unknown, ...args: unknown[]): unknown {
      return runAgentCall(agent, args[0], { agentName, aggregator, joinEnclosingCall: true }, () => original.apply(this, args));
    });
    Object.defineProperty(wrapper, 'name', { value: original.name || method });
    wrapped.set(method, wrapper);
  }
  if (wrapped.size === 0) return agent;

  let installed = true;
  for (const [method, wrapper] of wrapped) {
    let enumerable = false;
    try {
      enumerable = Object.getOwnPropertyDescriptor(agent, method)?.enumerable ?? false;
    } catch {
      // a hostile proxy: keep the default
    }
    let ok = false;
    try {
      ok = Reflect.defineProperty(agent, method, { value: wrapper, writable: true, configurable: true, enumerable });
    } catch {
      ok = false;
    }
    if (!ok) installed = false;
  }
  if (installed) return agent;
  // Frozen or sealed: serve the wrappers through a Proxy (same prototype, so instanceof holds).
  // A Proxy may not change what a frozen own property reads as, so those methods stay as they are.
  for (const method of [...wrapped.keys()]) {
    const d = Object.getOwnPropertyDescriptor(agent, method);
    if (d && !d.configurable && !d.writable) {
      wrapped.delete(method);
      reportDrop('instrument-agent-frozen-method', `instrumentAgent(): "${method}" is a frozen own property and cannot be instrumented`);
    }
  }
  if (wrapped.size === 0) return agent;
  return new Proxy(agent, {
    get(target, prop, receiver) {
      if (typeof prop === 'string' && wrapped.has(prop)) return wrapped.get(prop);
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
}
