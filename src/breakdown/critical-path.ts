import type { PhaseCategory } from './categories';
import type { Interval } from './interval';

/** One section of the critical path. */
export interface CriticalPathEntry {
  /** The phase, task or span whose own time this section is. */
  operation: string;
  /** Length of this section, ms. The entries' durations add up to the execution's total. */
  durationMs: number;
  /** Start of the section, ms after the execution started. */
  startOffsetMs: number;
  /** Category of the operation, when it has one. */
  category?: PhaseCategory;
}

interface Node {
  iv: Interval;
  start: number;
  end: number;
  /** Children sorted by end time, latest first. */
  children: Node[];
  /** How many of `children` the walk has passed (see criticalPath). */
  next: number;
}

/** Children visited by criticalPath() walks so far (tests check the complexity with it). */
let steps = 0;

/** @internal The number of children criticalPath() has visited in this process. */
export function criticalPathSteps(): number {
  return steps;
}

/**
 * The critical path the way Jaeger UI computes it: starting at the end of the root, walk back
 * through the child that finished last; a child that overlaps the one already on the path is
 * skipped (it was not what the parent waited for); time between children is the parent's own.
 * Children are first clipped to their parent's bounds, as Jaeger does. The sections tile the
 * root's whole duration, so their durations sum to the total. Iterative, so deep trees cannot
 * overflow the stack; O(n log n) in the number of intervals (the children's sort), whatever
 * their shape.
 */
export function criticalPath(
  root: Interval,
  intervals: readonly Interval[],
  rootEnd: number,
  rootName: string,
): CriticalPathEntry[] {
  const nodes = new Map<Interval, Node>();
  const rootNode: Node = { iv: root, start: root.start, end: rootEnd, children: [], next: 0 };
  nodes.set(root, rootNode);
  // Parents always precede children in recording order, but clip defensively in a second pass.
  for (const iv of intervals) nodes.set(iv, { iv, start: iv.start, end: iv.end === iv.end ? iv.end : rootEnd, children: [], next: 0 });
  const attach = (iv: Interval): void => {
    const node = nodes.get(iv)!;
    const parent = (iv.parent && nodes.get(iv.parent)) || rootNode;
    parent.children.push(node);
  };
  for (const iv of intervals) attach(iv);
  const clip = (node: Node): void => {
    const kept: Node[] = [];
    for (const c of node.children) {
      if (c.start >= node.end || c.end <= node.start) continue;
      c.start = Math.max(c.start, node.start);
      c.end = Math.min(c.end, node.end);
      if (c.end > c.start) kept.push(c); // zero-length children take no time and would stall the walk
    }
    kept.sort((a, b) => b.end - a.end);
    node.children = kept;
  };
  const stack: Node[] = [rootNode];
  while (stack.length) {
    const n = stack.pop()!;
    clip(n);
    for (const c of n.children) stack.push(c);
  }

  const sections: CriticalPathEntry[] = [];
  const push = (node: Node, from: number, to: number): void => {
    if (to <= from) return;
    const entry: CriticalPathEntry = {
      operation: node === rootNode ? rootName : node.iv.name,
      durationMs: to - from,
      startOffsetMs: from - root.start,
    };
    if (node.iv.category) entry.category = node.iv.category;
    sections.push(entry);
  };
  // Work items: a node, and the start of the child the walk came back from (its end at first).
  const workNodes: Node[] = [rootNode];
  const workUntil: number[] = [rootNode.end];
  while (workNodes.length) {
    const node = workNodes.pop()!;
    const until = workUntil.pop()!;
    // The next child is the first (latest-ending) one that ends by `until`; it also starts before
    // `until`, since children have positive length, so the walk always moves left. `until` only
    // decreases for a node, so a child passed once is never the next one again: the walk keeps a
    // cursor per node instead of searching from the first child, and visits each child once.
    const children = node.children;
    let k = node.next;
    while (k < children.length && children[k].end > until) k++;
    steps += k - node.next + 1;
    const next = k < children.length ? children[k] : undefined;
    node.next = k + 1;
    if (next) {
      push(node, next.end, until);
      // Come back to this node after the child, looking left of the child's start.
      workNodes.push(node, next);
      workUntil.push(next.start, next.end);
    } else {
      push(node, node.start, until);
    }
  }
  sections.reverse();
  return sections;
}
