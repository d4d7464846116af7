import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { stringify } from 'yaml';
import { bucketPlan } from '../../src/metrics/buckets';
import { PerformanceAnalyzer } from '../../src/analysis/performance-analyzer';
import { sloSelectors } from '../../src/slo/slo-rules';
import { MetricType, type PerformanceMetric } from '../../src/types/metric-type';
import { describeWithPrograms } from '../support/external-program';
import { REPO, RULES_DIR, dashboardQueries, yamlFiles } from './paths';

/**
 * A real Prometheus server scraping two real SDK processes (test/fixtures/fleet-worker.ts) every
 * second: what PromQL says about the fleet must agree with what the processes measured.
 */

const WORKER = join(REPO, 'test', 'fixtures', 'fleet-worker.ts');
const EXECUTIONS = { a: 60, b: 50 };
/** A total-execution objective the workload straddles (the SDKs get it as a boundary). */
const TOTAL_SLO_MS = 80;

interface Execution {
  totalMs: number;
  ttftMs?: number;
  outcome: string;
  categories: Record<string, number>;
  queryMs: number[];
  llmMs: number;
  toolMs?: number;
}

interface Worker {
  child: ChildProcess;
  port: number;
  executions: Execution[];
  ready: Promise<void>;
  stderr: string[];
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function startWorker(name: string, port: number, executions: number, seed: number): Worker {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', WORKER, '--port', String(port), '--service', `svc-${name}`, '--agent', 'research-agent',
      '--executions', String(executions), '--seed', String(seed), '--slo-total-ms', String(TOTAL_SLO_MS)],
    { cwd: REPO, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, OTEL_SDK_DISABLED: 'false' } },
  );
  const worker: Worker = { child, port, executions: [], stderr: [], ready: Promise.resolve() };
  child.stderr!.on('data', (d: Buffer) => worker.stderr.push(d.toString()));
  worker.ready = new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('READY')) resolve();
      else if (line.startsWith('{')) worker.executions.push(JSON.parse(line) as Execution);
    });
    child.once('exit', (code) => reject(new Error(`worker ${name} exited with ${code} before READY:\n${worker.stderr.join('')}`)));
    child.once('error', reject);
  });
  return worker;
}

/** Stops a child: SIGTERM, then SIGKILL if it is still there after `graceMs`. */
function stop(child: ChildProcess | undefined, graceMs = 3000): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.stdin?.end();
    child.kill('SIGTERM');
  });
}

/** Nearest-rank quantile of exact values. */
function exactQuantile(values: number[], q: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.ceil(q * sorted.length) - 1];
}

describeWithPrograms('a real Prometheus scraping two agent-timing processes', { prometheus: 'prometheus' }, ({ prometheus: bin }) => {
  let tmp: string;
  let server: ChildProcess | undefined;
  let serverLog: string[] = [];
  let api: string;
  const workers: Worker[] = [];

  async function query(promql: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
    const res = await fetch(`${api}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = (await res.json()) as { status: string; error?: string; data: { result: any[] } };
    if (body.status !== 'success') throw new Error(`${promql}: ${body.error}`);
    return body.data.result;
  }
  async function scalar(promql: string): Promise<number | undefined> {
    const result = await query(promql);
    return result.length === 1 ? Number(result[0].value[1]) : undefined;
  }
  /** Polls `check` until it returns true, every 250 ms, at most `ms`. */
  async function until(what: string, ms: number, check: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + ms;
    let lastError: unknown;
    while (Date.now() < deadline) {
      try {
        if (await check()) return;
      } catch (err) {
        lastError = err;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`timed out after ${ms} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}\n${serverLog.join('')}`);
  }

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'agent-timing-prometheus-'));
    const [portA, portB, serverPort] = [await freePort(), await freePort(), await freePort()];
    workers.push(startWorker('a', portA, EXECUTIONS.a, 1), startWorker('b', portB, EXECUTIONS.b, 2));

    const config = {
      global: { scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' },
      rule_files: yamlFiles(RULES_DIR),
      scrape_configs: [{ job_name: 'agents', static_configs: [{ targets: [`127.0.0.1:${portA}`, `127.0.0.1:${portB}`] }] }],
    };
    writeFileSync(join(tmp, 'prometheus.yml'), stringify(config));
    api = `http://127.0.0.1:${serverPort}`;
    server = spawn(
      bin,
      [`--config.file=${join(tmp, 'prometheus.yml')}`, `--storage.tsdb.path=${join(tmp, 'data')}`,
        `--web.listen-address=127.0.0.1:${serverPort}`, '--log.level=warn'],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    serverLog = [];
    server.stderr!.on('data', (d: Buffer) => serverLog.push(d.toString()));

    await until('Prometheus to be ready', 20_000, async () => (await fetch(`${api}/-/ready`)).ok);
    await withTimeout(Promise.all(workers.map((w) => w.ready)), 60_000, 'both workers to finish their workload');
  }, 90_000);

  afterAll(async () => {
    await Promise.all([stop(server), ...workers.map((w) => stop(w.child))]);
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }, 15_000);

  it('scrapes both processes', async () => {
    await until('both targets up', 15_000, async () => (await scalar('sum(up{job="agents"})')) === 2);
    expect(workers.map((w) => w.executions.length)).toEqual([EXECUTIONS.a, EXECUTIONS.b]);
  }, 20_000);

  it('counts every execution of the fleet, and each process\'s own', async () => {
    const total = EXECUTIONS.a + EXECUTIONS.b;
    await until(`the fleet count to reach ${total}`, 15_000, async () => (await scalar('sum(agent_execution_duration_seconds_count)')) === total);
    const byInstance = await query('sum by (instance) (agent_execution_duration_seconds_count)');
    const counts = Object.fromEntries(byInstance.map((r) => [r.metric.instance, Number(r.value[1])]));
    expect(counts).toEqual(Object.fromEntries(workers.map((w) => [`127.0.0.1:${w.port}`, w.executions.length])));
    const errors = workers.flatMap((w) => w.executions).filter((e) => e.outcome === 'error').length;
    expect((await scalar('sum(agent_execution_duration_seconds_count{agent_timing_outcome="error"})')) ?? 0).toBe(errors);
  }, 20_000);

  it('gives p50/p95/p99 of every histogram within 15 % of the exact merged values', async () => {
    const executions = workers.flatMap((w) => w.executions);
    const cases: Array<[string, number[]]> = [
      ['agent_execution_duration_seconds_bucket', executions.map((e) => e.totalMs)],
      ['agent_time_to_first_token_seconds_bucket', executions.flatMap((e) => (e.ttftMs === undefined ? [] : [e.ttftMs]))],
      ['agent_phase_duration_seconds_bucket{agent_timing_category="database_query"}', executions.map((e) => e.categories.database_query).filter((v) => v > 0)],
      ['agent_phase_duration_seconds_bucket{agent_timing_category="llm_processing"}', executions.map((e) => e.categories.llm_processing).filter((v) => v > 0)],
      ['agent_operation_duration_seconds_bucket{agent_timing_category="database_query"}', executions.flatMap((e) => e.queryMs)],
      ['agent_operation_duration_seconds_bucket{agent_timing_category="llm_processing"}', executions.map((e) => e.llmMs)],
      ['agent_operation_duration_seconds_bucket{agent_timing_category="tool_execution"}', executions.flatMap((e) => (e.toolMs === undefined ? [] : [e.toolMs]))],
    ];
    const misses: string[] = [];
    for (const [selector, valuesMs] of cases) {
      expect(valuesMs.length).toBeGreaterThan(20);
      for (const q of [0.5, 0.95, 0.99]) {
        const exact = exactQuantile(valuesMs, q) / 1000;
        const estimate = (await scalar(`histogram_quantile(${q}, sum by (le) (${selector}))`))!;
        const error = Math.abs(estimate - exact) / exact;
        if (!(error <= 0.15)) misses.push(`${selector} p${q * 100}: ${estimate} vs exact ${exact} (${(error * 100).toFixed(1)} %)`);
      }
    }
    expect(misses).toEqual([]);
  });

  it('counts database queries and executions in the SLO ratios as calculateSloCompliance does in process', async () => {
    const executions = workers.flatMap((w) => w.executions);
    const metrics: PerformanceMetric[] = executions.flatMap((e) => [
      ...e.queryMs.map((value) => ({ metricType: MetricType.DATABASE_QUERY, value, timestamp: 0 })),
      { metricType: MetricType.TOTAL_EXECUTION, value: e.totalMs, timestamp: 0 },
    ]);
    const inProcess = new PerformanceAnalyzer().calculateSloCompliance(metrics, { database_query: 100, total_execution: TOTAL_SLO_MS });
    const ratio = async (type: string, ms: number) => {
      const sel = sloSelectors(type, ms);
      return 100 * (await scalar(`sum(${sel.good}) / sum(${sel.total})`))!;
    };
    // Not trivial: some queries and executions miss their objective.
    expect(inProcess.database_query).toBeLessThan(100);
    expect(inProcess.total_execution).toBeLessThan(100);
    expect(inProcess.total_execution).toBeGreaterThan(0);
    expect(await ratio('database_query', 100)).toBeCloseTo(inProcess.database_query, 9);
    expect(await ratio('total_execution', TOTAL_SLO_MS)).toBeCloseTo(inProcess.total_execution, 9);
    // The generated rules' 30-day compliance for the database objective counts queries too.
    // A rule evaluated between two scrapes saw part of the queries: wait for an evaluation after the
    // last scrape (rules and scrapes run every second, independently), then compare.
    const rule = async () => (await scalar('fleet:agent_timing_slo_compliance:ratio_30d{slo="database_query"}')) ?? NaN;
    await until('the database compliance rule to count every query', 10_000, async () => Math.abs(100 * (await rule()) - inProcess.database_query) < 1e-6);
    expect(100 * (await rule())).toBeCloseTo(inProcess.database_query, 6);
  }, 20_000);

  it('returns data for every query of the Grafana dashboard', async () => {
    // Series that only the Collector's spanmetrics connector produces; no Collector runs here.
    const collectorOnly = /traces_span_metrics_/;
    const queries = dashboardQueries().filter((q) => !collectorOnly.test(q.expr));
    // Rule groups are evaluated independently, once a second each, and the 1 h share rules read the
    // 5-minute ones: on a loaded machine a group's first evaluation can come seconds after another's.
    // So poll until every query has data, and name the ones that never got any.
    let empty: string[] = [];
    const emptyQueries = async () => {
      const found: string[] = [];
      for (const q of queries) if ((await query(q.expr)).length === 0) found.push(`${q.panel}: ${q.expr}`);
      return found;
    };
    await until('every dashboard query to return data', 25_000, async () => (empty = await emptyQueries()).length === 0).catch(() => undefined);
    expect(empty).toEqual([]);
  }, 40_000);

  it('puts the fleet p95 from histogram_quantile in the bucket of the exact merged p95', async () => {
    const all = workers.flatMap((w) => w.executions.map((e) => e.totalMs / 1000));
    const exact = exactQuantile(all, 0.95);
    const boundaries = bucketPlan().execution;
    const upper = boundaries.find((b) => exact <= b) ?? Infinity;
    const lower = [...boundaries].reverse().find((b) => b < exact) ?? 0;
    const estimate = await scalar('histogram_quantile(0.95, sum by (le) (agent_execution_duration_seconds_bucket))');
    expect(estimate).toBeGreaterThanOrEqual(lower);
    expect(estimate).toBeLessThanOrEqual(upper);
  });

  it('partitions execution time into category shares that match the processes\' breakdowns', async () => {
    const executions = workers.flatMap((w) => w.executions);
    const totalMs = executions.reduce((s, e) => s + e.totalMs, 0);
    const result = await query(
      'sum by (agent_timing_category) (agent_phase_duration_seconds_sum) / scalar(sum(agent_execution_duration_seconds_sum))',
    );
    const shares = Object.fromEntries(result.map((r) => [r.metric.agent_timing_category, Number(r.value[1])]));
    for (const [category, share] of Object.entries(shares)) {
      const ms = executions.reduce((s, e) => s + (e.categories[category] ?? 0), 0);
      expect(share).toBeCloseTo(ms / totalMs, 9);
    }
    expect(Object.values(shares).reduce((s, x) => s + x, 0)).toBeCloseTo(1, 9);
    expect(Object.keys(shares)).toEqual(expect.arrayContaining(['llm_processing', 'database_query', 'initialization']));
  });

  it('finds the SLO boundaries the generated rules select in the real output', async () => {
    const executions = workers.flatMap((w) => w.executions);
    // The workers were started with sloThresholdsMs { total_execution: TOTAL_SLO_MS }.
    const total = sloSelectors('total_execution', TOTAL_SLO_MS);
    expect(await scalar(`sum(${total.good})`)).toBe(executions.filter((e) => e.totalMs <= TOTAL_SLO_MS).length);
    const db = sloSelectors('database_query', 100);
    const queries = executions.flatMap((e) => e.queryMs);
    expect(await scalar(`sum(${db.total})`)).toBe(queries.length);
    expect(await scalar(`sum(${db.good})`)).toBe(queries.filter((ms) => ms <= 100).length);
    const ttft = sloSelectors('time_to_first_token', 1000);
    expect(await scalar(`sum(${ttft.good})`)).toBe(executions.filter((e) => e.ttftMs !== undefined && e.ttftMs <= 1000).length);
  });

  it('evaluates every recording and alerting rule without errors', async () => {
    type Rule = { name: string; health: string; lastError?: string; lastEvaluation: string };
    let rules: Rule[] = [];
    await until('every rule to be evaluated', 15_000, async () => {
      const body = (await (await fetch(`${api}/api/v1/rules`)).json()) as { data: { groups: Array<{ rules: Rule[] }> } };
      rules = body.data.groups.flatMap((g) => g.rules);
      return rules.length > 0 && rules.every((r) => r.health !== 'unknown');
    });
    expect(rules.filter((r) => r.health !== 'ok').map((r) => `${r.name}: ${r.lastError}`)).toEqual([]);
    expect(rules.length).toBeGreaterThan(150);
    // The recording rules see the fleet: the one agent of both processes.
    await until('a recorded execution rate', 10_000, async () => (await query('agent:agent_execution_duration_seconds_count:rate1m')).length === 1);
  }, 20_000);
});
