import type { PhaseCategory } from '../../src/breakdown/categories';
import { IntervalKind, type Interval } from '../../src/breakdown/interval';

/** Builds a root interval for hand-made trees (times in ms). */
export function root(start = 0): Interval {
  return { kind: IntervalKind.Root, name: 'root', start, end: NaN, depth: 0, parent: undefined, category: undefined, span: undefined, resolved: undefined, level: 0, ctx: undefined };
}

/** Builds a child interval; parent defaults to the root given. */
export function iv(
  parent: Interval,
  name: string,
  start: number,
  end: number,
  category?: PhaseCategory,
  kind: IntervalKind = IntervalKind.Phase,
): Interval {
  return { kind, name, start, end, depth: parent.depth + 1, parent, category, span: undefined, resolved: undefined, level: parent.depth + 1, ctx: undefined };
}

/** A span of another instrumentation that no rule classified: transparent in the breakdown. */
export function isUnclassifiedForeign(i: Interval): boolean {
  return i.kind === IntervalKind.Foreign && i.category === undefined;
}

/** How many intervals that are not transparent lie on the path from i up to the root (i included, the root not). */
export function referenceLevel(i: Interval): number {
  let n = 0;
  for (let p: Interval | undefined = i; p && p.kind !== IntervalKind.Root; p = p.parent) if (!isUnclassifiedForeign(p)) n++;
  return n;
}

/**
 * The category an interval's time counts for, from the rule's statement: our phases and tasks
 * their own; a classified foreign span its own, except that a client call (external_api) under an
 * LLM interval — the nearest non-transparent one above it — is the LLM call's transport.
 */
export function referenceCategory(i: Interval): PhaseCategory | undefined {
  if (i.kind !== IntervalKind.Foreign) return i.category;
  let above = i.parent;
  while (above && isUnclassifiedForeign(above)) above = above.parent;
  const inherited = above === undefined || above.kind === IntervalKind.Root ? undefined : referenceCategory(above);
  if (i.category === undefined) return inherited;
  return i.category === 'external_api' && inherited === 'llm_processing' ? 'llm_processing' : i.category;
}
