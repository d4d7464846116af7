/**
 * Runs the benchmark scenarios: every `bench/*.bench.ts`, or those whose file or scenario name
 * contains one of the argv filters (`npm run bench -- aggregator`). Prints a table per scenario
 * with ratios against each group's peer and writes bench/results.json (scenarios not run this time
 * are kept from the previous file). See harness.ts for the method.
 *
 * Every scenario runs in a fresh process of its own (nothing process-wide — label budgets, the
 * global aggregator, registered providers, V8's type feedback — carries over from an earlier
 * scenario). `--processes=N` runs each scenario in N fresh processes, one after the other, and
 * reports the medians over them (see combine.ts): steadier figures on a shared machine, N times the
 * run time. New `bench/*.bench.ts` files are picked up without a list to edit.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import Table from 'cli-table3';
import { combineRuns } from './combine';
import { collectGarbage, runScenario, type CaseResult, type Scenario, type ScenarioResult } from './harness';

export interface ResultsFile {
  machine: { cpu: string; cores: number; memoryGb: number; platform: string; arch: string };
  node: string;
  v8: string;
  date: string;
  gcExposed: boolean;
  scenarios: StoredScenario[];
}

/** A scenario's entry in results.json. */
export type StoredScenario = ScenarioResult & { date: string; loadAverage: number[]; processes?: number };

/** Command-line options: `--processes=N`, and the internal `--child=<bench file>` / `--out=<file>`. */
interface RunOptions {
  filters: string[];
  processes: number;
  child: string | undefined;
  out: string | undefined;
}

function parseArgs(argv: readonly string[]): RunOptions {
  const value = (flag: string) => argv.find((a) => a.startsWith(`--${flag}=`))?.slice(flag.length + 3);
  const processes = Number(value('processes') ?? 1);
  if (!Number.isInteger(processes) || processes < 1 || processes > 50) {
    throw new Error(`--processes must be a whole number from 1 to 50, e.g. --processes=3; got ${String(value('processes'))}`);
  }
  return { filters: argv.filter((a) => !a.startsWith('--')), processes, child: value('child'), out: value('out') };
}

/** Runs the scenario of `file` in `n` fresh processes, one after the other; their results, in order.
 *  A child process loads that one file only, so no other scenario's module state is in it. */
function runInProcesses(file: string, s: Scenario, n: number): ScenarioResult[] {
  const runs: ScenarioResult[] = [];
  for (let i = 0; i < n; i++) {
    const out = path.join(os.tmpdir(), `agent-timing-bench-${process.pid}-${s.name}-${i}.json`);
    if (n > 1) console.log(`  process ${i + 1}/${n}`);
    const child = spawnSync(process.execPath, [...process.execArgv, __filename, `--child=${file}`, `--out=${out}`], { stdio: ['ignore', 'inherit', 'inherit'] });
    if (child.status !== 0) throw new Error(`bench: the process for scenario ${s.name} failed (exit ${String(child.status ?? child.signal)})`);
    runs.push(JSON.parse(fs.readFileSync(out, 'utf8')) as ScenarioResult);
    fs.rmSync(out, { force: true });
  }
  return runs;
}

const BENCH_DIR = __dirname;
export const RESULTS_PATH = path.join(BENCH_DIR, 'results.json');

export function formatNs(ns: number): string {
  if (ns >= 1e9) return `${(ns / 1e9).toPrecision(3)} s`;
  if (ns >= 1e6) return `${(ns / 1e6).toPrecision(3)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toPrecision(3)} µs`;
  return `${ns.toPrecision(3)} ns`;
}

export function formatFigure(key: string, v: number): string {
  if (/bytes/i.test(key)) return v >= 1 << 20 ? `${(v / (1 << 20)).toFixed(1)} MB` : `${(v / 1024).toFixed(0)} KB`;
  if (/percent/i.test(key)) return `${v.toFixed(3)} %`;
  return Number.isInteger(v) ? String(v) : v.toPrecision(4);
}

export function formatOps(opsPerSec: number): string {
  return opsPerSec >= 100 ? Math.round(opsPerSec).toLocaleString('en-US') : opsPerSec.toPrecision(3);
}

export function formatRatio(r: number): string {
  return r >= 10 ? `${Math.round(r).toLocaleString('en-US')}×` : `${r.toFixed(2)}×`;
}

function row(c: CaseResult): string[] {
  const t = c.timing;
  const figures = Object.entries(c.figures).map(([k, v]) => `${k} ${formatFigure(k, v)}`).join(', ');
  const ratios = Object.entries(c.ratios).map(([k, v]) => `${k === 'time' ? 'speed' : k === 'timeOfMedians' ? 'speed (medians)' : k} ${formatRatio(v)}`).join(', ');
  return [
    c.group,
    `${c.name}${c.peer ? ' (peer)' : ''}`,
    t ? `${formatNs(t.medianNsPerOp)} (${formatNs(t.minNsPerOp)}–${formatNs(t.maxNsPerOp)})` : '',
    t ? formatOps(t.opsPerSec) : '',
    figures,
    ratios,
  ];
}

/** The scenario a bench file default-exports. */
async function load(file: string): Promise<Scenario> {
  const mod = (await import(pathToFileURL(path.join(BENCH_DIR, file)).href)) as { default?: Scenario | { default?: Scenario } };
  // tsx may wrap a CommonJS default export once more.
  const s = (mod.default && 'cases' in mod.default ? mod.default : (mod.default as { default?: Scenario } | undefined)?.default) as Scenario | undefined;
  if (!s) throw new Error(`${file} must default-export a Scenario (defineScenario({...}))`);
  return s;
}

/** Every bench/*.bench.ts file (whatever its author), with its scenario, filtered by file or scenario name. */
async function discover(filters: string[]): Promise<{ file: string; scenario: Scenario }[]> {
  const files = fs.readdirSync(BENCH_DIR).filter((f) => f.endsWith('.bench.ts')).sort();
  const out: { file: string; scenario: Scenario }[] = [];
  for (const file of files) {
    const scenario = await load(file);
    if (filters.length === 0 || filters.some((x) => file.includes(x) || scenario.name.includes(x))) out.push({ file, scenario });
  }
  return out;
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const gcExposed = collectGarbage();
  if (!gcExposed) console.warn('warning: run with node --expose-gc (npm run bench does) for GC between cases and memory figures');
  if (opts.child !== undefined) {
    // One process of a run: this scenario file only, its result to the file the parent reads.
    if (!opts.out || !/^[\w.-]+\.bench\.ts$/.test(opts.child)) throw new Error(`bench: --child needs a bench file name and --out=<file>, got ${opts.child}`);
    const s = await load(opts.child);
    fs.writeFileSync(opts.out, JSON.stringify(await runScenario(s, (line) => console.log(`  ${line}`))));
    return;
  }
  const scenarios = await discover(opts.filters);
  if (scenarios.length === 0) throw new Error(`no scenario matches ${opts.filters.join(', ')}`);
  const previous: ResultsFile | undefined = fs.existsSync(RESULTS_PATH) ? (JSON.parse(fs.readFileSync(RESULTS_PATH, 'utf8')) as ResultsFile) : undefined;
  const date = new Date().toISOString();
  const results: StoredScenario[] = [];
  const failed: string[] = [];
  for (const { file, scenario: s } of scenarios) {
    console.log(`${s.name}: ${s.description}`);
    // Other processes on the machine skew timings; the 1-minute load average before and after says how much.
    const loadBefore = os.loadavg()[0];
    let runs: ScenarioResult[];
    try {
      runs = runInProcesses(file, s, opts.processes);
    } catch (err) {
      // One broken scenario must not lose the others' results: report it, keep going, fail at the end.
      console.error(err);
      failed.push(s.name);
      continue;
    }
    const r = combineRuns(runs);
    const { processes, ...rest } = r;
    results.push({ ...rest, ...(processes > 1 ? { processes } : {}), date, loadAverage: [loadBefore, os.loadavg()[0]].map((x) => Number(x.toFixed(2))) });
    if (opts.processes > 1) console.log(`  medians over ${opts.processes} processes:`);
    const table = new Table({ head: ['group', 'case', 'median ns/op (min–max)', 'ops/s', 'figures', 'vs peer'], wordWrap: true, colWidths: [24, 34, 26, 13, 30, 26] });
    for (const c of r.cases) table.push(row(c));
    console.log(table.toString());
    for (const c of r.cases) if (c.note) console.log(`  note: ${c.name}: ${c.note}`);
  }
  const kept = (previous?.scenarios ?? []).filter((p) => !results.some((r) => r.name === p.name));
  const file: ResultsFile = {
    machine: { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, memoryGb: Math.round(os.totalmem() / 2 ** 30), platform: os.platform(), arch: os.arch() },
    node: process.version,
    v8: process.versions.v8,
    date,
    gcExposed,
    scenarios: [...kept, ...results].sort((a, b) => a.name.localeCompare(b.name)),
  };
  fs.writeFileSync(RESULTS_PATH, JSON.stringify(file, null, 2) + '\n');
  console.log(`wrote ${path.relative(process.cwd(), RESULTS_PATH)}; run npm run bench:doc to update docs/benchmarks.md`);
  if (failed.length > 0) throw new Error(`bench: ${failed.length} scenario(s) failed (${failed.join(', ')}); the others' results were written`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
