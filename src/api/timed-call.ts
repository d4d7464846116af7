// Timed callbacks and the implicit nesting stack: measure(name, type, fn) runs fn in its phase's scope
// and stops the phase however fn ends; the stack helpers say which running phase a new one nests under.
import type { Context } from '@opentelemetry/api';
import { isThenable } from '../internal/thenable';
import { markSpanError } from '../spans/own-spans';
import type { Interval } from '../breakdown/interval';
import { runInScope, type ExecutionScope } from './execution-scope';
import type { PhaseTimer } from './phase-timer';

/** Runs fn inside `scope` (with `ctx` active) and stops `timer` when fn returns, throws or settles;
 *  an error marks the phase's span and is rethrown unchanged. */
export function runTimed<T>(timer: PhaseTimer, iv: Interval, scope: ExecutionScope, ctx: Context, fn: () => T): T {
  let result: T;
  try {
    result = runInScope(scope, ctx, fn);
  } catch (err) {
    markSpanError(iv.span, err);
    timer.stop();
    throw err;
  }
  if (isThenable(result)) {
    return Promise.resolve(result).then(
      (value) => {
        timer.stop();
        return value;
      },
      (err: unknown) => {
        markSpanError(iv.span, err);
        timer.stop();
        throw err;
      },
    ) as T;
  }
  timer.stop();
  return result;
}

/** Takes a stopped timer off the implicit nesting stack (usually its top). */
export function unstack(stack: PhaseTimer[], timer: PhaseTimer): void {
  if (stack.length && stack[stack.length - 1] === timer) stack.pop();
  else {
    const at = stack.lastIndexOf(timer);
    if (at >= 0) stack.splice(at, 1);
  }
}

/** Whether `iv` runs under `ancestor` (walks parents; depths bound the walk). */
export function isDescendant(iv: Interval, ancestor: Interval): boolean {
  for (let p: Interval | undefined = iv; p; p = p.parent) {
    if (p === ancestor) return true;
    if (p.depth <= ancestor.depth) return false;
  }
  return false;
}
