import type { DiagLogger } from '@opentelemetry/api';
import { componentLogger, reportDrop } from '../internal/diag';
import { cleanName } from '../internal/sanitize';
import { EnhancedExecutionTimingCollector } from '../api/collector';
import type { BreakdownSink } from '../api/completion';
import { isWrapped, markWrapped, runAgentCall, slotOf } from './internal/agent-call';
import type { ExecutionContext } from './types';

/** The logger an agent gets: OpenTelemetry's diag (prefix `agent-timing/agent/<name>`) unless you pass yours. */
export type AgentLogger = Pick<DiagLogger, 'debug' | 'info' | 'warn' | 'error'>;

/** Options of a BaseAgent. */
export interface BaseAgentOptions {
  /** Agent name: `invoke_agent {name}` spans and the metric label. Default: the class name. */
  name?: string;
  /** Logger for the agent's own messages. Default: diag, component `agent/<name>`. */
  logger?: AgentLogger;
  /** Also feed each completed execution to this sink (e.g. a MetricsAggregator). Default: none
   *  (startAgentTelemetry already feeds the global aggregator). */
  aggregator?: BreakdownSink;
}

type ExecuteFn = (this: BaseAgent, context: ExecutionContext, ...rest: unknown[]) => Promise<unknown>;

/** Each agent's aggregator option (kept off the instance so the class surface stays the contract's). */
const sinks = new WeakMap<BaseAgent, BreakdownSink>();

/** One wrapper per execute implementation, shared by all instances (it dispatches on `this`). */
const wrappers = new WeakMap<ExecuteFn, ExecuteFn>();

function wrapExecute(original: ExecuteFn): ExecuteFn {
  let wrapped = wrappers.get(original);
  if (wrapped) return wrapped;
  wrapped = markWrapped(function execute(this: BaseAgent, context: ExecutionContext, ...rest: unknown[]): Promise<unknown> {
    if (!(this instanceof BaseAgent)) return original.call(this, context, ...rest);
    return runAgentCall(this, context, { agentName: this.name, aggregator: sinks.get(this), alwaysPromise: true }, () =>
      original.call(this, context, ...rest),
    ) as Promise<unknown>;
  });
  wrappers.set(original, wrapped);
  return wrapped;
}

/**
 * Base class of agents whose every `execute()` is an instrumented execution, without timing code
 * in the subclass: each call gets its own EnhancedExecutionTimingCollector (agent name =
 * `this.name`, execution id = `context.runId`, span attributes for run id and user id), current
 * for the call's whole async context, completed with success or error when execute settles
 * (errors are rethrown unchanged; a result `{ success: false }` also counts as an error).
 *
 * How: the constructor installs, on the instance, a wrapper around the `execute` the concrete
 * class defines (methods live on the prototype, so they exist before the subclass constructor
 * runs). Define `execute` as a method — an arrow-function class field is assigned after this
 * constructor and is not wrapped. `super.execute(ctx)` calls the unwrapped parent method, so one
 * call is one execution.
 *
 * `this.timingCollector` is the collector of *this* call, resolved through the async context, so
 * concurrent calls on one instance never see each other's. Assigning it inside execute (the
 * guide's "Adding to Custom Agents" style) replaces it for that call only; the wrapper completes
 * that collector with the call's outcome unless your code did.
 */
export abstract class BaseAgent {
  readonly name: string;
  readonly logger: AgentLogger;

  constructor(options?: BaseAgentOptions) {
    const o: BaseAgentOptions = options !== null && typeof options === 'object' ? options : {};
    const name = cleanName(o.name);
    if (name === undefined && o.name !== undefined) reportDrop('invalid-agent-name', 'BaseAgent name must be a non-empty string; using the class name');
    this.name = name ?? (cleanName(new.target.name) || 'agent');
    this.logger = o.logger ?? componentLogger(`agent/${this.name}`);
    if (o.aggregator !== undefined) sinks.set(this, o.aggregator);
    // `this.execute` here is the concrete class's method (from its prototype).
    const own = Reflect.get(this, 'execute') as ExecuteFn | undefined;
    if (typeof own === 'function' && !isWrapped(own)) {
      Object.defineProperty(this, 'execute', { value: wrapExecute(own), writable: true, configurable: true, enumerable: false });
    }
  }

  /** The collector of the execute() call running in this async context (undefined outside one). */
  get timingCollector(): EnhancedExecutionTimingCollector | undefined {
    const slot = slotOf(this);
    if (!slot) return undefined;
    return slot.user ?? slot.collector;
  }

  /** Replaces the collector for the current execute() call only (never for other calls). */
  set timingCollector(collector: EnhancedExecutionTimingCollector | undefined) {
    const slot = slotOf(this);
    if (collector !== undefined && collector !== null && !(collector instanceof EnhancedExecutionTimingCollector)) {
      reportDrop('invalid-timing-collector', 'this.timingCollector must be an EnhancedExecutionTimingCollector; the assignment was ignored');
      return;
    }
    if (!slot) {
      // e.g. `this.timingCollector = undefined` in a constructor: there is no execution to attach to.
      if (collector) {
        reportDrop(
          'timing-collector-outside-execute',
          'this.timingCollector was assigned outside execute(); collectors are per execution, the assignment was ignored',
        );
      }
      return;
    }
    slot.user = collector ?? undefined;
  }

  /** The agent's work. Every call is timed as one execution. */
  abstract execute(context: ExecutionContext): Promise<unknown>;
}
