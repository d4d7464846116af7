import type { PhaseCategory } from './categories';
import { IntervalKind, type Interval } from './interval';

/**
 * Whether an interval is transparent: another instrumentation's span that no rule classifies
 * (a framework's wrapper span such as a chain or agent step). A transparent interval takes no
 * part in the breakdown: it is removed from the partition and its children are kept, so its
 * time stays with whatever else covers it — the phase it runs in, a classified span beside it —
 * and time that nothing else covers is overhead. Our own phases and tasks are never transparent
 * (one without a category is uncategorized).
 */
export function isTransparent(iv: Interval): boolean {
  return iv.kind === IntervalKind.Foreign && iv.category === undefined;
}

/**
 * The category an interval's own time counts for; also left on the interval (`resolved`, with its
 * `level`) for its children to read, so calling it on intervals in recording order (parents before
 * children) resolves every one in a single pass.
 * - Our phases and tasks: their own category (none → uncategorized, as the API contract says).
 * - Other instrumentations' spans: their semantic-convention class. A client HTTP/RPC span inside
 *   an LLM phase or LLM span (through any transparent spans between them) is the LLM call's
 *   transport, so it stays llm_processing — otherwise every instrumented LLM request would move
 *   its time to external_api.
 * - A transparent span (see isTransparent) is left with the category of the nearest
 *   non-transparent interval above it (none under the root); that value only passes the
 *   transport rule on to its children: its own time is not counted (partition() skips it).
 * `level` counts the non-transparent intervals from the root down to this one (the root is 0), so
 * a transparent span changes no one's depth: inserting one between a phase and its children
 * changes nothing in the breakdown.
 */
export function resolveCategory(iv: Interval): PhaseCategory | undefined {
  const p = iv.parent;
  let c: PhaseCategory | undefined;
  let transparent = false;
  if (iv.kind !== IntervalKind.Foreign) c = iv.category;
  else {
    const inherited = p === undefined ? undefined : p.kind === IntervalKind.Root ? undefined : p.resolved;
    const own = iv.category;
    transparent = own === undefined;
    c = own === undefined || (own === 'external_api' && inherited === 'llm_processing') ? inherited : own;
  }
  iv.level = (p === undefined ? 0 : p.level) + (transparent ? 0 : 1);
  iv.resolved = c;
  return c;
}
