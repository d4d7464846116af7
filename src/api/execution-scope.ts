import { AsyncLocalStorage } from 'node:async_hooks';
import { createContextKey, context, type Context } from '@opentelemetry/api';
import type { Interval } from '../breakdown/interval';
import type { ExecutionState } from './execution-state';

/** What "the current execution" means in an async context: whose, and which phase is running. */
export interface ExecutionScope {
  /** The collector of the execution (typed loosely here to keep this module below the collector). */
  readonly owner: object;
  readonly state: ExecutionState;
  /** The phase or task the code runs in; undefined at the execution's top level. */
  readonly interval: Interval | undefined;
}

/** Key under which the scope also rides in the OpenTelemetry context, for span processors. */
export const EXECUTION_SCOPE_KEY = createContextKey('agent-timing.execution-scope');

/**
 * Our own AsyncLocalStorage: `currentCollector()`, phase parenting inside `measure()` callbacks
 * and BaseAgent work even when no OpenTelemetry context manager is registered (the Quick Start
 * has none), and registering one behind the user's back would break their NodeSDK set-up.
 */
const storage = new AsyncLocalStorage<ExecutionScope>();

export function activeScope(): ExecutionScope | undefined {
  return storage.getStore();
}

/** Runs fn with `scope` active in both our storage and the OTel context `otelContext`. */
export function runInScope<T>(scope: ExecutionScope, otelContext: Context, fn: () => T): T {
  scope.state.scoped = true;
  return storage.run(scope, () => context.with(otelContext.setValue(EXECUTION_SCOPE_KEY, scope), fn));
}

/** The execution scope a span processor sees for a span starting under `parentContext`. */
export function scopeForSpan(parentContext: Context): ExecutionScope | undefined {
  return (parentContext.getValue(EXECUTION_SCOPE_KEY) as ExecutionScope | undefined) ?? storage.getStore();
}
