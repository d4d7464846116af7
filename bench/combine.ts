/**
 * Combines one scenario's results from several processes (`npm run bench -- --processes=N`).
 *
 * Why processes: on a shared VM the same build runs in one of a few "modes" per process (JIT
 * decisions, core placement; we saw 17 µs and 30 µs for the same loop in two processes), and every
 * case of a process shares its mode. Rounds within a process cannot average that out; medians over
 * processes can. Each process's own figures are paired (its cases ran side by side), so the
 * combined ratio is the median of the per-process ratios, not a ratio of combined times.
 */
import type { CaseResult, ScenarioResult, Timing } from './harness';

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[n >> 1] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/** Median of each key present in every record. */
function medianOfRecords(records: readonly Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of Object.keys(records[0] ?? {})) {
    const values = records.map((r) => r[key]).filter((v): v is number => typeof v === 'number');
    if (values.length === records.length) out[key] = median(values);
  }
  return out;
}

function combineTiming(timings: readonly (Timing | undefined)[]): Timing | undefined {
  const ts = timings.filter((t): t is Timing => t !== undefined);
  if (ts.length === 0) return undefined;
  const medianNsPerOp = median(ts.map((t) => t.medianNsPerOp));
  return {
    medianNsPerOp,
    minNsPerOp: Math.min(...ts.map((t) => t.minNsPerOp)),
    maxNsPerOp: Math.max(...ts.map((t) => t.maxNsPerOp)),
    opsPerSec: 1e9 / medianNsPerOp,
    rounds: ts[0].rounds,
    ops: ts[0].ops,
  };
}

/**
 * One result from the same scenario run in several processes: per case, the median over processes
 * of its median time (min and max over all rounds of all processes), of each figure and of each
 * ratio. Throws when the runs do not list the same cases.
 */
export function combineRuns(runs: readonly ScenarioResult[]): ScenarioResult & { processes: number } {
  if (runs.length === 0) throw new Error('combineRuns needs at least one run');
  const [first] = runs;
  for (const r of runs) {
    if (r.name !== first.name || r.cases.length !== first.cases.length || r.cases.some((c, k) => c.name !== first.cases[k].name)) {
      throw new Error(`bench: the processes of scenario ${first.name} did not run the same cases`);
    }
  }
  const cases: CaseResult[] = first.cases.map((c, k) => {
    const across = runs.map((r) => r.cases[k]);
    return {
      ...c,
      timing: combineTiming(across.map((x) => x.timing)),
      figures: medianOfRecords(across.map((x) => x.figures)),
      ratios: medianOfRecords(across.map((x) => x.ratios)),
    };
  });
  return { name: first.name, description: first.description, cases, processes: runs.length };
}
