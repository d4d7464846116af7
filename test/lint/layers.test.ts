import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

// `npm run lint` keeps dependencies running one way (eslint.layers.mjs): this proves the rule bites,
// on virtual files linted as if they stood in src/. ESLint runs in a child process: it loads its
// ES-module configuration with a native import(), which jest's module system does not provide.
const ROOT = path.resolve(__dirname, '..', '..');

const LINT_AS = `
import { ESLint } from 'eslint';
import { layersConfig } from './eslint.layers.mjs';
const [file, code] = process.argv.slice(1);
const eslint = new ESLint({ cwd: process.cwd(), overrideConfigFile: true, overrideConfig: [layersConfig] });
const [result] = await eslint.lintText(code, { filePath: file });
console.log(JSON.stringify(result.messages.map((m) => (m.ruleId ?? 'parse') + ': ' + m.message)));
`;

function lintAs(file: string, code: string): string[] {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', LINT_AS, path.join(ROOT, file), code], { cwd: ROOT, encoding: 'utf8' });
  return JSON.parse(out) as string[];
}

describe('import layers', () => {
  jest.setTimeout(60_000);
  it('rejects an upward import: the aggregation importing an agent integration', () => {
    const messages = lintAs('src/aggregation/probe.ts', "import { BaseAgent } from '../agents/base-agent';\nexport const x = BaseAgent;\n");
    expect(messages).toEqual([expect.stringMatching(/^import-x\/no-restricted-paths: .*src\/aggregation must not import src\/agents/)]);
  });

  it('rejects the api layer importing the analysis', () => {
    const messages = lintAs('src/api/probe.ts', "import { PerformanceAnalyzer } from '../analysis/performance-analyzer';\nexport const x = PerformanceAnalyzer;\n");
    expect(messages).toEqual([expect.stringMatching(/src\/api must not import src\/analysis/)]);
  });

  it('rejects the collector importing the histograms: they subscribe to its completion hook instead', () => {
    const messages = lintAs('src/api/probe.ts', "import { recordExecutionMetrics } from '../metrics/instruments';\nexport const x = recordExecutionMetrics;\n");
    expect(messages).toEqual([expect.stringMatching(/src\/api must not import src\/metrics/)]);
  });

  it('rejects the span processor importing the aggregation', () => {
    const messages = lintAs('src/processor/probe.ts', "import { getGlobalAggregator } from '../aggregation/global-aggregator';\nexport const x = getGlobalAggregator;\n");
    expect(messages).toEqual([expect.stringMatching(/src\/processor must not import src\/aggregation/)]);
  });

  it('accepts a downward import: the analysis importing the aggregation', () => {
    const messages = lintAs('src/analysis/probe.ts', "import { MetricsAggregator } from '../aggregation/metrics-aggregator';\nexport const x = MetricsAggregator;\n");
    expect(messages).toEqual([]);
  });
});
