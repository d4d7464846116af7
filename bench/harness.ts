/**
 * agent-timing benchmark harness. One file per scenario (`bench/<name>.bench.ts`) default-exports
 * a Scenario; `npm run bench [filter…]` (bench/run.ts) runs them, prints a table with ratios
 * against each group's peer and writes bench/results.json; `npm run bench:doc` turns that file into
 * docs/benchmarks.md. Run under `node --expose-gc --import tsx` (the npm script does).
 *
 * API
 * ---
 *   import { defineScenario, forEachChunk } from './harness';
 *
 *   export default defineScenario({
 *     name: 'phase',                        // unique; used by filters and in results.json
 *     description: 'startPhase/stopPhase cost',
 *     rounds: 7,                            // timed rounds per case (default and minimum 7)
 *     warmupRounds: 2,                      // untimed rounds first (default 2)
 *     interleave: false,                    // true: rounds of a group's cases alternate (default false)
 *     cases: [
 *       { group: 'start+stop', name: 'raw OTel span', peer: true, ops: 100_000,
 *         run: () => forEachChunk(100_000, (from, to) => { for (let i = from; i < to; i++) { … } }) },
 *       { group: 'start+stop', name: 'agent-timing', ops: 100_000, run: … },
 *       { group: 'memory', name: 'agent-timing', measure: () => ({ heapBytes: … }) },
 *     ],
 *   });
 *
 * Case fields: `group` (cases compare within a group; default the scenario name), `name`,
 * `peer` (the baseline of its group: every other case gets ratios against it), `ops` (operations
 * one call of `run` performs), `run` (one round, may be async), optional `setup` / `teardown`
 * (once per case, untimed; when interleaved, a group's setups all run before its rounds),
 * `beforeRound` / `afterRound` (untimed, around each round, e.g. to reset a store), `exclusive`
 * (interleaved scenarios: run alone, for a case whose state would burden the others), `measure`
 * (once, after the rounds: extra lower-is-better figures such as bytes or error %), and `note`
 * (printed with the results, e.g. "capped at 1 M values").
 *
 * Method: by default each case runs on its own, in declaration order: setup, warm-up rounds,
 * ≥ 7 timed rounds (process.hrtime), measure, teardown; global.gc() runs between cases and before
 * `measure` when exposed. With `interleave: true` on the scenario, groups run one after the other;
 * within a group, `exclusive` cases run alone first, then every other case's `setup`, then the
 * rounds of its timed cases interleaved round by round (a GC before each), so machine-load drifts
 * hit all of them alike, then each case's `measure` and `teardown` — so cases of an interleaved
 * group must not depend on each other's setup/teardown order. The result is the median ns/op with
 * min and max. Long loops should yield to the event loop every YIELD_MASK + 1 iterations
 * (forEachChunk does it) so that timers and I/O (e.g. a span exporter's queue) keep running, as
 * they would in a service: the figure then measures the SDK, not a starved event loop. The
 * harness also yields between rounds.
 *
 * Give each case its own loop function: closures made from one function literal share V8's type
 * feedback, so a loop shared by several cases turns polymorphic and slows them all, by an amount
 * that depends on the order they ran in.
 *
 * Ratios: for time, peer ns/op ÷ case ns/op (× faster than the peer when > 1) — for cases timed
 * interleaved with their peer, the median over rounds of that round's ratio (a paired comparison:
 * the two ran side by side, so a load drift during the run cancels out), with the ratio of the
 * two medians beside it as `timeOfMedians`; for each extra
 * figure both report, peer ÷ case (so > 1 is better, all figures being lower-is-better). A ratio
 * against a peer figure of 0 is omitted.
 */

/** One benchmarked thing: a timed operation, extra figures, or both. */
export interface BenchCase {
  /** Name shown in tables. */
  name: string;
  /** Comparison group; cases are compared with the peer of their group. Default: the scenario name. */
  group?: string;
  /** True for the baseline of the group (at most one per group). */
  peer?: boolean;
  /** Operations one `run` call performs (for ns/op). Required with `run`. */
  ops?: number;
  /** One timed round. */
  run?: () => void | Promise<void>;
  /** Once before the case (untimed). */
  setup?: () => void | Promise<void>;
  /** Before every round, warm-up included (untimed). */
  beforeRound?: () => void | Promise<void>;
  /** After every round (untimed), e.g. to drop what the round stored so the next case runs on a clean heap. */
  afterRound?: () => void | Promise<void>;
  /**
   * Run this case alone — setup, rounds, measure, teardown — before the group's interleaved cases,
   * for a case whose state (say, a gigabyte of peer data) would burden the others' rounds.
   */
  exclusive?: boolean;
  /** Once after the rounds (untimed), after a GC: extra lower-is-better figures. */
  measure?: () => Record<string, number> | Promise<Record<string, number>>;
  /** Once at the end (untimed). */
  teardown?: () => void | Promise<void>;
  /** A caveat printed with the result. */
  note?: string;
}

/** A scenario file's default export. */
export interface Scenario {
  name: string;
  description: string;
  cases: BenchCase[];
  /** Timed rounds per case; at least 7. Default 7. */
  rounds?: number;
  /** Untimed rounds before them. Default 2. */
  warmupRounds?: number;
  /**
   * Interleave the timed cases of each group round by round (see the header). Default false:
   * each case runs on its own — setup, rounds, measure, teardown — in declaration order.
   */
  interleave?: boolean;
}

/** Median, min and max of the timed rounds. */
export interface Timing {
  medianNsPerOp: number;
  minNsPerOp: number;
  maxNsPerOp: number;
  opsPerSec: number;
  rounds: number;
  ops: number;
}

export interface CaseResult {
  scenario: string;
  group: string;
  name: string;
  peer: boolean;
  timing?: Timing;
  figures: Record<string, number>;
  /** Against the group's peer: `time` and each shared figure (see the header). */
  ratios: Record<string, number>;
  note?: string;
}

export interface ScenarioResult {
  name: string;
  description: string;
  cases: CaseResult[];
}

/** Iterations between two yields to the event loop in long loops (use `(i & YIELD_MASK) === 0`). */
export const YIELD_MASK = 0xffff;

/**
 * Runs `body(from, to)` over [0, total) in chunks of YIELD_MASK + 1 iterations, yielding to the
 * event loop between chunks. Prefer it to an `await` inside the hot loop: locals of an async
 * function live across awaits, and V8 then runs the whole loop ~30 % slower.
 */
export async function forEachChunk(total: number, body: (from: number, to: number) => void): Promise<void> {
  const chunk = YIELD_MASK + 1;
  for (let from = 0; from < total; from += chunk) {
    body(from, Math.min(total, from + chunk));
    await yieldToEventLoop();
  }
}

/** Lets timers and I/O run: resolves on the next turn of the event loop. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Identity helper for typing scenario files. */
export function defineScenario(s: Scenario): Scenario {
  return s;
}

/** Runs global.gc() a few times when --expose-gc is on; returns whether it could. */
export function collectGarbage(): boolean {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return false;
  for (let i = 0; i < 3; i++) gc();
  return true;
}

/** Heap in use after a full GC (bytes). */
export function heapUsed(): number {
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

/**
 * Warm-up then timed rounds of `cases`, interleaved round by round; ns/op samples per case, in round order.
 * With several cases a GC runs before every round, so no case inherits another's garbage.
 */
async function timeInterleaved(cases: readonly BenchCase[], warmup: number, rounds: number, gcEachRound: boolean): Promise<Map<BenchCase, number[]>> {
  const samples = new Map<BenchCase, number[]>(cases.map((c) => [c, []]));
  const gc = gcEachRound ? (globalThis as { gc?: () => void }).gc : undefined;
  for (let r = 0; r < warmup + rounds; r++) {
    for (let k = 0; k < cases.length; k++) {
      const c = cases[(k + r) % cases.length];
      await c.beforeRound?.();
      gc?.();
      await yieldToEventLoop();
      const t0 = process.hrtime.bigint();
      await (c.run as () => void | Promise<void>)();
      const elapsed = Number(process.hrtime.bigint() - t0);
      await c.afterRound?.();
      if (r >= warmup) samples.get(c)?.push(elapsed / (c.ops as number));
    }
  }
  return samples;
}

/** Median of an ascending-sorted list. */
function medianOf(sorted: readonly number[]): number {
  const n = sorted.length;
  return n % 2 ? sorted[n >> 1] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

/** Per-round samples of cases timed interleaved with others, for paired ratios. */
const roundSamples = new Map<BenchCase, number[]>();

/** Runs one batch of cases: their setups, their rounds (interleaved), then measure and teardown each. */
async function runBatch(s: Scenario, batch: readonly BenchCase[], group: (c: BenchCase) => string, warmup: number, rounds: number, into: Map<BenchCase, CaseResult>): Promise<void> {
  for (const c of batch) {
    if (c.run && !(c.ops && c.ops > 0)) throw new Error(`bench case "${c.name}": ops must be > 0 when run is given`);
    collectGarbage();
    await c.setup?.();
  }
  const samples = await timeInterleaved(batch.filter((c) => c.run), warmup, rounds, batch.length > 1);
  for (const c of batch) {
    let timing: Timing | undefined;
    const inRounds = samples.get(c);
    if (inRounds && batch.length > 1) roundSamples.set(c, inRounds);
    const list = inRounds ? [...inRounds].sort((a, b) => a - b) : undefined;
    if (list && list.length > 0) {
      const median = medianOf(list);
      timing = { medianNsPerOp: median, minNsPerOp: list[0], maxNsPerOp: list[list.length - 1], opsPerSec: 1e9 / median, rounds, ops: c.ops as number };
    }
    collectGarbage();
    const figures = c.measure ? await c.measure() : {};
    await c.teardown?.();
    into.set(c, { scenario: s.name, group: group(c), name: c.name, peer: c.peer === true, timing, figures, ratios: {}, note: c.note });
  }
}

/**
 * Runs every case of a scenario and computes the ratios against each group's peer. By default
 * each case runs on its own, in declaration order. With `interleave: true`, groups run one after
 * the other and the timed cases of a group run interleaved, round by round (the starting case
 * rotating), with a GC before every round: a change in machine load then affects every case of
 * the comparison alike instead of whichever happened to run during it.
 */
export async function runScenario(s: Scenario, log: (line: string) => void = () => {}): Promise<ScenarioResult> {
  const rounds = Math.max(7, s.rounds ?? 7);
  const warmup = Math.max(0, s.warmupRounds ?? 2);
  const groupOf = (c: BenchCase) => c.group ?? s.name;
  const results = new Map<BenchCase, CaseResult>();
  if (!s.interleave) {
    for (const c of s.cases) {
      log(`  ${s.name} › ${groupOf(c)} › ${c.name}`);
      await runBatch(s, [c], groupOf, warmup, rounds, results);
    }
  } else {
    for (const group of [...new Set(s.cases.map(groupOf))]) {
      const cases = s.cases.filter((c) => groupOf(c) === group);
      log(`  ${s.name} › ${group}: ${cases.map((c) => c.name).join(', ')}`);
      for (const c of cases.filter((x) => x.exclusive)) await runBatch(s, [c], groupOf, warmup, rounds, results);
      await runBatch(s, cases.filter((x) => !x.exclusive), groupOf, warmup, rounds, results);
    }
  }
  const list = s.cases.map((c) => results.get(c) as CaseResult);
  for (const [k, r] of list.entries()) {
    const peerIndex = list.findIndex((p) => p.peer && p.group === r.group);
    const peer = list[peerIndex];
    if (!peer || peer === r) continue;
    if (peer.timing && r.timing) {
      // Cases timed round by round beside their peer: the median of the per-round ratios, which a
      // load drift over the run moves far less than the ratio of two medians.
      const mine = roundSamples.get(s.cases[k]);
      const theirs = roundSamples.get(s.cases[peerIndex]);
      const ofMedians = peer.timing.medianNsPerOp / r.timing.medianNsPerOp;
      if (mine && theirs && mine.length === theirs.length) {
        r.ratios.time = medianOf(mine.map((v, i) => theirs[i] / v).sort((a, b) => a - b));
        r.ratios.timeOfMedians = ofMedians; // shown beside it: the two differ when rounds vary a lot
      } else r.ratios.time = ofMedians;
    }
    for (const [k, v] of Object.entries(r.figures)) {
      const pv = peer.figures[k];
      if (pv !== undefined && pv !== 0 && v !== 0) r.ratios[k] = pv / v;
    }
  }
  return { name: s.name, description: s.description, cases: list };
}
