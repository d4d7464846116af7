import type { PhaseCategory } from './categories';
import { IntervalKind, type Interval } from './interval';

/**
 * The category an interval's own time counts for; also left on the interval (`resolved`) for its
 * children to read, so calling it on intervals in recording order (parents before children)
 * resolves every one in a single pass.
 * - Our phases and tasks: their own category (none → uncategorized, as the API contract says).
 * - Other instrumentations' spans: their semantic-convention class; a span with no class is
 *   transparent (its time stays with the enclosing phase's category). A client HTTP/RPC span
 *   inside an LLM phase or LLM span is the LLM call's transport, so it stays llm_processing —
 *   otherwise every instrumented LLM request would move its time to external_api.
 */
export function resolveCategory(iv: Interval): PhaseCategory | undefined {
  let c: PhaseCategory | undefined;
  if (iv.kind !== IntervalKind.Foreign) c = iv.category;
  else {
    const p = iv.parent;
    const inherited = p === undefined ? undefined : p.kind === IntervalKind.Root ? undefined : p.resolved;
    const own = iv.category;
    c = own === undefined || (own === 'external_api' && inherited === 'llm_processing') ? inherited : own;
  }
  iv.resolved = c;
  return c;
}

/** resolveCategory over intervals in recording order, by index. */
export function resolveCategories(intervals: readonly Interval[]): (PhaseCategory | undefined)[] {
  return intervals.map(resolveCategory);
}
