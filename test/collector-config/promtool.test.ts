import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { generateSloRules } from '../../src/slo/slo-rules';
import { describeWithPrograms } from '../support/external-program';
import { CONFIG_DIR, RULES_DIR, RULE_TESTS_DIR, allRules, dashboardQueries, readYaml, yamlFiles } from './paths';

const run = promisify(execFile);

/** Runs promtool; resolves with its output, rejects with stdout and stderr in the message. */
async function promtool(path: string, args: string[], cwd = CONFIG_DIR): Promise<string> {
  try {
    const { stdout, stderr } = await run(path, args, { cwd, timeout: 90_000 });
    return stdout + stderr;
  } catch (err: any) {
    throw new Error(`promtool ${args.join(' ')} failed:\n${err.stdout ?? ''}${err.stderr ?? ''}${err.message}`);
  }
}

describeWithPrograms('promtool on collector-config', { promtool: 'prometheus' }, ({ promtool: bin }) => {
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'agent-timing-promtool-'));
  });
  afterAll(() => {
    rmSync(tmp, { recursive: true, force: true });
  });

  it('accepts prometheus.yml, whose rule file paths resolve', async () => {
    const out = await promtool(bin, ['check', 'config', 'prometheus.yml']);
    for (const file of yamlFiles(RULES_DIR)) expect(out).toContain(`rules/${basename(file)}`);
    expect(out).toMatch(/SUCCESS: 2 rule files found/);
  });

  it.each(yamlFiles(RULES_DIR).map((f) => basename(f)))('accepts the rule file %s', async (file) => {
    expect(await promtool(bin, ['check', 'rules', join('rules', file)])).toMatch(/SUCCESS: \d+ rules found/);
  });

  it.each(yamlFiles(RULE_TESTS_DIR).map((f) => basename(f)))('passes the unit tests %s', async (file) => {
    expect(await promtool(bin, ['test', 'rules', file], RULE_TESTS_DIR)).toContain('SUCCESS');
  }, 60_000);

  it('has unit tests for every recording rule and alert', () => {
    const tested = new Set<string>();
    for (const file of yamlFiles(RULE_TESTS_DIR)) {
      for (const group of readYaml(file).tests) {
        for (const t of group.promql_expr_test ?? []) for (const m of String(t.expr).match(/[a-zA-Z_:][\w:]*:[\w:]*/g) ?? []) tested.add(m);
        for (const t of group.alert_rule_test ?? []) if ((t.exp_alerts ?? []).length > 0) tested.add(t.alertname);
      }
    }
    const untested = allRules()
      .map((r) => r.record ?? r.alert!)
      .filter((name) => !tested.has(name));
    expect([...new Set(untested)]).toEqual([]);
  });

  it('accepts the rules generated for custom objectives', async () => {
    const file = join(tmp, 'custom-slo.rules.yml');
    writeFileSync(
      file,
      generateSloRules({
        objectives: {
          external_api: { thresholdMs: 250, target: 99.5 },
          websocket_latency: { thresholdMs: 0.05, target: 90 },
          llm_processing: { thresholdMs: 2000, target: 95 },
          total_execution: { thresholdMs: 7500, target: 99.9 },
        },
        alertLabels: { team: 'agents' },
      }),
    );
    expect(await promtool(bin, ['check', 'rules', file])).toMatch(/SUCCESS: \d+ rules found/);
  });

  it('accepts every query of the Grafana dashboard as PromQL', async () => {
    const file = join(tmp, 'dashboard-queries.rules.yml');
    const rules = dashboardQueries().map((q, i) => ({ record: `dashboard:query:${i}`, expr: q.expr }));
    writeFileSync(file, stringify({ groups: [{ name: 'dashboard', rules }] }));
    expect(await promtool(bin, ['check', 'rules', file])).toContain(`SUCCESS: ${rules.length} rules found`);
  });
});
