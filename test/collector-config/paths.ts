import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

/** Paths of collector-config/ and helpers shared by its tests. */
export const REPO = resolve(__dirname, '..', '..');
export const CONFIG_DIR = join(REPO, 'collector-config');
export const RULES_DIR = join(CONFIG_DIR, 'rules');
export const RULE_TESTS_DIR = join(CONFIG_DIR, 'tests');
export const DASHBOARDS_DIR = join(CONFIG_DIR, 'grafana', 'dashboards');

export function readYaml(path: string): any {
  return parse(readFileSync(path, 'utf8'));
}

export function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yml') || f.endsWith('.yaml'))
    .sort()
    .map((f) => join(dir, f));
}

export interface RuleEntry {
  record?: string;
  alert?: string;
  expr: string;
  labels?: Record<string, string>;
}

let rules: RuleEntry[] | undefined;

/** Every rule of every rule file under collector-config/rules. */
export function allRules(): RuleEntry[] {
  rules ??= yamlFiles(RULES_DIR).flatMap((f) => (readYaml(f).groups as Array<{ rules: RuleEntry[] }>).flatMap((g) => g.rules));
  return rules;
}

/** Every PromQL expression of the Grafana dashboards, with the dashboard variables filled in. */
export function dashboardQueries(): Array<{ dashboard: string; panel: string; expr: string }> {
  const out: Array<{ dashboard: string; panel: string; expr: string }> = [];
  for (const file of readdirSync(DASHBOARDS_DIR).filter((f) => f.endsWith('.json'))) {
    const dashboard = JSON.parse(readFileSync(join(DASHBOARDS_DIR, file), 'utf8'));
    for (const panel of dashboard.panels ?? []) {
      for (const target of panel.targets ?? []) {
        if (target.expr) out.push({ dashboard: file, panel: panel.title, expr: fillVariables(target.expr) });
      }
    }
    for (const variable of dashboard.templating?.list ?? []) {
      const query = typeof variable.query === 'string' ? variable.query : variable.query?.query;
      const labelValues = /^label_values\((.+),\s*([a-zA-Z_]\w*)\)$/.exec(query ?? '');
      if (labelValues) out.push({ dashboard: file, panel: `variable ${variable.name}`, expr: fillVariables(`count by (${labelValues[2]}) (${labelValues[1]})`) });
    }
  }
  return out;
}

function fillVariables(expr: string): string {
  return expr.replace(/\$__rate_interval|\$__interval/g, '5m').replace(/\$\{?(agent|job|instance)\}?/g, '.*');
}
