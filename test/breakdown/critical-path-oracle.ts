/**
 * Test-only oracle: criticalPath() as it was before the per-node cursor (git 5e2a5a7), kept
 * verbatim apart from this header: `children.find()` from index 0 at every step made it quadratic
 * in a node's children. The new criticalPath() must give exactly its results
 * (test/breakdown/critical-path.test.ts).
 */
import type { PhaseCategory } from '../../src/breakdown/categories';
import type { Interval } from '../../src/breakdown/interval';

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
}

/**
 * The critical path the way Jaeger UI computes it: starting at the end of the root, walk back
 * through the child that finished last; a child that overlaps the one already on the path is
 * skipped (it was not what the parent waited for); time between children is the parent's own.
 * Children are first clipped to their parent's bounds, as Jaeger does. The sections tile the
 * root's whole duration, so their durations sum to the total. Iterative, so deep trees cannot
 * overflow the stack.
 */
export function oracleCriticalPath(
  root: Interval,
  intervals: readonly Interval[],
  rootEnd: number,
  rootName: string,
): CriticalPathEntry[] {
  const nodes = new Map<Interval, Node>();
  const rootNode: Node = { iv: root, start: root.start, end: rootEnd, children: [] };
  nodes.set(root, rootNode);
  // Parents always precede children in recording order, but clip defensively in a second pass.
  for (const iv of intervals) nodes.set(iv, { iv, start: iv.start, end: iv.end === iv.end ? iv.end : rootEnd, children: [] });
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
  // Work items: (node, the start time of the child we came back from, or undefined at first).
  const work: Array<{ node: Node; returningStart: number | undefined }> = [{ node: rootNode, returningStart: undefined }];
  while (work.length) {
    const { node, returningStart } = work.pop()!;
    const until = returningStart ?? node.end;
    // A child strictly left of `until` (start < until) guarantees the walk always moves left.
    const next = node.children.find((c) => c.end <= until && c.start < until);
    if (next) {
      push(node, next.end, until);
      // Come back to this node after the child, looking left of the child's start.
      work.push({ node, returningStart: next.start });
      work.push({ node: next, returningStart: undefined });
    } else {
      push(node, node.start, until);
    }
  }
  sections.reverse();
  return sections;
}
