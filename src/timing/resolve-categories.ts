import type { PhaseCategory } from './categories';
import { IntervalKind, type Interval } from './interval';

/**
 * The category each interval's own time counts for.
 * - Our phases and tasks: their own category (none → uncategorized, as the API contract says).
 * - Other instrumentations' spans: their semantic-convention class; a span with no class is
 *   transparent (its time stays with the enclosing phase's category). A client HTTP/RPC span
 *   inside an LLM phase or LLM span is the LLM call's transport, so it stays llm_processing —
 *   otherwise every instrumented LLM request would move its time to external_api.
 * Parents are recorded before their children, so one forward pass resolves everything.
 */
export function resolveCategories(intervals: readonly Interval[]): Map<Interval, PhaseCategory | undefined> {
  const out = new Map<Interval, PhaseCategory | undefined>();
  for (const iv of intervals) {
    if (iv.kind !== IntervalKind.Foreign) {
      out.set(iv, iv.category);
      continue;
    }
    const inherited = iv.parent ? (out.has(iv.parent) ? out.get(iv.parent) : iv.parent.category) : undefined;
    const own = iv.category;
    if (own === undefined) out.set(iv, inherited);
    else if (own === 'external_api' && inherited === 'llm_processing') out.set(iv, inherited);
    else out.set(iv, own);
  }
  return out;
}
