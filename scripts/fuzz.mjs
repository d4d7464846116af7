#!/usr/bin/env node
/**
 * The larger fuzz run of "never throws" (test/reliability/fuzz.test.ts), outside `npm test`:
 *
 *   node scripts/fuzz.mjs [runsPerTarget=2000] [seed=random]
 *
 * Every exported function and public method gets `runsPerTarget` generated argument lists. The
 * seed is printed first, so a failure can be replayed exactly with the same two arguments.
 * `npm test` runs the same suite with a fixed seed and 60 runs per target.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.argv[2] ?? 2_000);
const seed = Number(process.argv[3] ?? Math.floor(Math.random() * 2 ** 31));
if (!Number.isInteger(runs) || runs < 1) throw new Error(`runsPerTarget must be a whole number ≥ 1, got ${process.argv[2]}`);
if (!Number.isInteger(seed)) throw new Error(`seed must be an integer, got ${process.argv[3]}`);
console.log(`fuzz: ${runs} runs per target, seed ${seed} (replay: node scripts/fuzz.mjs ${runs} ${seed})`);

const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
const started = performance.now();
const jest = spawnSync(
  process.execPath,
  ['--experimental-vm-modules', '--disable-warning=ExperimentalWarning', 'node_modules/jest/bin/jest.js', 'test/reliability/fuzz.test.ts'],
  { cwd: root, stdio: 'inherit', env: { ...process.env, AGENT_TIMING_FUZZ_RUNS: String(runs), AGENT_TIMING_FUZZ_SEED: String(seed) } },
);
console.log(`fuzz: ${jest.status === 0 ? 'passed' : 'FAILED'} in ${((performance.now() - started) / 1000).toFixed(0)} s (seed ${seed})`);
process.exit(jest.status ?? 1);
