import type { PhaseCategory } from './categories';
import { IntervalKind, type Interval } from './interval';

/**
 * The category each interval's own time counts for, by index into `intervals`.
 * - Our phases and tasks: their own category (none → uncategorized, as the API contract says).
 * - Other instrumentations' spans: their semantic-convention class; a span with no class is
 *   transparent (its time stays with the enclosing phase's category). A client HTTP/RPC span
 *   inside an LLM phase or LLM span is the LLM call's transport, so it stays llm_processing —
 *   otherwise every instrumented LLM request would move its time to external_api.
 * Parents are recorded before their children, so one forward pass resolves everything; the
 * result is also left on each interval (`resolved`) for its children to read.
 */
export function resolveCategories(intervals: readonly Interval[]): (PhaseCategory | undefined)[] {
  const out = new Array<PhaseCategory | undefined>(intervals.length);
  for (let i = 0; i < intervals.length; i++) {
    const iv = intervals[i];
    let c: PhaseCategory | undefined;
    if (iv.kind !== IntervalKind.Foreign) c = iv.category;
    else {
      const p = iv.parent;
      const inherited = p === undefined ? undefined : p.kind === IntervalKind.Root ? undefined : p.resolved;
      const own = iv.category;
      c = own === undefined || (own === 'external_api' && inherited === 'llm_processing') ? inherited : own;
    }
    iv.resolved = c;
    out[i] = c;
  }
  return out;
}
