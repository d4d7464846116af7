import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import * as ts from 'typescript';
import { generateRecordingRules } from '../../src/slo/recording-rules';
import { generateSloRules } from '../../src/slo/slo-rules';

const REPO = resolve(__dirname, '..', '..');
const BUILT = join(REPO, 'dist', 'cjs', 'cli', 'main.js');
const SOURCE = join(REPO, 'src', 'cli', 'main.ts');

/**
 * The bin is transpiled from src here, file by file along its relative imports, with the TypeScript
 * compiler: node starts it in ~0.1 s instead of ~1 s through tsx, and a stale dist/ cannot hide a
 * change. One test runs the source through tsx (`node --import tsx src/cli/main.ts`), one the built
 * bin when there is a build.
 */
function transpileBin(outDir: string): string {
  const pending = [SOURCE];
  const done = new Set<string>();
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (done.has(file)) continue;
    done.add(file);
    const source = readFileSync(file, 'utf8');
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      fileName: file,
    });
    const out = join(outDir, relative(join(REPO, 'src'), file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, outputText);
    for (const [, spec] of source.matchAll(/from '(\.{1,2}\/[^']+)'/g)) pending.push(resolve(dirname(file), `${spec}.ts`));
  }
  return join(outDir, 'cli', 'main.js');
}

const tmp = mkdtempSync(join(tmpdir(), 'agent-timing-cli-'));
const BIN = transpileBin(join(tmp, 'build'));
/** The repo's node_modules for the transpiled copy, which lives outside the repo. */
const ENV = { ...process.env, NODE_PATH: join(REPO, 'node_modules') };

interface Result { code: number; stdout: string; stderr: string }

function node(args: string[]): Promise<Result> {
  return new Promise((done) => {
    // A hang guard: tsx compiling the bin from source passed 20 s at load average 25 beside two busy
    // loops (issue 13).
    execFile(process.execPath, args, { cwd: REPO, env: ENV, timeout: 120_000 }, (err, stdout, stderr) => {
      done({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const cli = (...args: string[]) => node([BIN, ...args]);

// The runs go concurrently; their files are written while the suite is collected, since concurrent
// tests may start before beforeAll hooks.
describe('agent-timing bin', () => {
  jest.setTimeout(150_000);
  const config = {
    objectives: {
      time_to_first_token: { thresholdMs: 800, target: 99.5 },
      tool_execution: { thresholdMs: 2500, target: 99 },
    },
    alertLabels: { team: 'agents' },
  };
  writeFileSync(join(tmp, 'slo.json'), JSON.stringify(config));
  writeFileSync(join(tmp, 'bad.json'), JSON.stringify({ objectives: { database_query: { thresholdMs: 100, target: 150 } } }));
  writeFileSync(join(tmp, 'broken.json'), '{ "objectives": ');
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('starts with a node shebang', () => {
    expect(readFileSync(BIN, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
  });

  it.concurrent('prints help with --help and exits 0', async () => {
    const r = await cli('--help');
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/Usage: agent-timing <command>/);
    expect(r.stdout).toContain('slo-rules --config <slo.json>');
  });

  it.concurrent('is the package.json bin, and the built one answers --help when there is a build', async () => {
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
    expect(join(REPO, pkg.bin['agent-timing'])).toBe(BUILT);
    if (!existsSync(BUILT)) {
      console.warn('No dist/ build: the built bin was not run (npm run build first to include it).');
      return;
    }
    const r = await node([BUILT, '--help']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toContain('slo-rules --config <slo.json>');
  });

  it.concurrent('runs from source with node --import tsx', async () => {
    const r = await node(['--import', 'tsx', SOURCE, 'slo-rules', '--config', join(tmp, 'slo.json')]);
    expect(r).toMatchObject({ code: 0, stdout: generateSloRules(config), stderr: '' });
  });

  it.concurrent('writes SLO rules for a config to stdout', async () => {
    const r = await cli('slo-rules', '--config', join(tmp, 'slo.json'));
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(generateSloRules(config));
  });

  it.concurrent('writes them to --out and says which thresholds the SDK needs', async () => {
    const out = join(tmp, 'slo.rules.yml');
    const r = await cli('slo-rules', '-c', join(tmp, 'slo.json'), '--out', out);
    expect(r).toMatchObject({ code: 0, stdout: '' });
    expect(readFileSync(out, 'utf8')).toBe(generateSloRules(config));
    expect(r.stderr).toContain('sloThresholdsMs: {"time_to_first_token":800,"tool_execution":2500}');
  });

  it.concurrent('writes the recording rules', async () => {
    const r = await cli('recording-rules');
    expect(r).toMatchObject({ code: 0, stdout: generateRecordingRules() });
  });

  it.concurrent.each([
    [[], /missing command/],
    [['frobnicate'], /unknown command: frobnicate/],
    [['slo-rules'], /slo-rules needs --config/],
    [['slo-rules', '--config'], /argument missing|--config/],
    [['slo-rules', '--colour', 'x.json'], /Unknown option '--colour'/],
    [['slo-rules', '-c', 'a.json', 'extra'], /unexpected argument: extra/],
  ])('exits 2 with a message and the usage on %j', async (args, message) => {
    const r = await cli(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain('Usage: agent-timing');
    expect(r.stdout).toBe('');
  });

  it.concurrent.each([
    ['bad.json', /objectives\.database_query\.target must be a percentage/],
    ['broken.json', /JSON/],
    ['missing.json', /cannot read/],
  ])('exits 1 naming the problem for %s', async (file, message) => {
    const r = await cli('slo-rules', '--config', join(tmp, file));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });
});
