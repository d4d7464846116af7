import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

// The demo is its own workspace package (examples/demo/package.json) and imports the SDK by its
// name; `npm run lint` rejects an import of the repository's sources by path (eslint.config.mjs).
// ESLint runs in a child process: its ES-module configuration needs a native import().
const ROOT = path.resolve(__dirname, '..', '..');

const LINT_AS = `
import { ESLint } from 'eslint';
import { demoImportsConfig } from './eslint.config.mjs';
const [file, code] = process.argv.slice(1);
const eslint = new ESLint({ cwd: process.cwd(), overrideConfigFile: true, overrideConfig: [demoImportsConfig] });
const [result] = await eslint.lintText(code, { filePath: file });
console.log(JSON.stringify(result.messages.map((m) => (m.ruleId ?? 'parse') + ': ' + m.message)));
`;

function lintAs(file: string, code: string): string[] {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', LINT_AS, path.join(ROOT, file), code], { cwd: ROOT, encoding: 'utf8' });
  return JSON.parse(out) as string[];
}

describe('the demo imports agent-timing by name', () => {
  jest.setTimeout(60_000);

  it.each([
    ['examples/demo/probe.ts', "import { phase } from '../../src';"],
    ['examples/demo/probe.ts', "import type { TimingBreakdownData } from '../../src/breakdown/timing-breakdown';"],
    ['examples/demo/report/probe.ts', "export { ms } from '../../../src/report/format';"],
  ])('rejects %s importing the sources: %s', (file, code) => {
    expect(lintAs(file, `${code}\n`)).toEqual([expect.stringMatching(/^no-restricted-imports: .*'agent-timing'/)]);
  });

  it('accepts the package name and the demo’s own modules', () => {
    const code = "import { phase } from 'agent-timing';\nimport { Rng } from './rng';\nimport { INCIDENT_LABEL } from '../scenario';\nexport { phase, Rng, INCIDENT_LABEL };\n";
    expect(lintAs('examples/demo/report/probe.ts', code)).toEqual([]);
  });
});
