import type { PhaseCategory } from '../../src/timing/categories';
import { IntervalKind, type Interval } from '../../src/timing/interval';

/** Builds a root interval for hand-made trees (times in ms). */
export function root(start = 0): Interval {
  return { kind: IntervalKind.Root, name: 'root', start, end: NaN, depth: 0, parent: undefined, category: undefined, span: undefined, resolved: undefined, ctx: undefined };
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
  return { kind, name, start, end, depth: parent.depth + 1, parent, category, span: undefined, resolved: undefined, ctx: undefined };
}
