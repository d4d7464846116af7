import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** Repository root (children run from there so `--import tsx` resolves). */
export const ROOT = join(__dirname, '..', '..', '..');

export interface ChildRun<T> {
  /** The last JSON line the child printed on stdout. */
  result: T;
  /** Every JSON line, in order (fixtures may print progress records). */
  lines: unknown[];
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  /** Wall time from spawn to exit, ms. */
  elapsedMs: number;
  /** Time from the child's last stdout line to its exit, ms: how long it lingered. */
  lingerMs: number;
}

export interface ChildOptions {
  /** Extra environment variables; OTEL_* variables of the test process are never inherited. */
  env?: Record<string, string>;
  /** Killed (and the promise rejected) after this long. */
  timeoutMs: number;
  /** Node flags before `--import tsx`. Default `--expose-gc`. */
  nodeFlags?: string[];
}

/** A clean environment: the test runner's own OTEL_* settings must not leak into fixtures. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('OTEL_') && k !== 'NODE_OPTIONS') env[k] = v;
  return { ...env, ...extra };
}

/**
 * Runs a fixture under test/reliability/fixtures as `node --expose-gc --import tsx <file> …args`
 * and resolves with its JSON output once it exits by itself. Rejects with its stderr when it
 * exits non-zero, prints no JSON, or outlives `timeoutMs` (it is then killed).
 */
export function runFixture<T>(name: string, args: string[], options: ChildOptions): Promise<ChildRun<T>> {
  const file = join(__dirname, '..', 'fixtures', name);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.nodeFlags ?? ['--expose-gc']), '--import', 'tsx', file, ...args], {
      cwd: ROOT,
      env: cleanEnv(options.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let lastOutputAt = started;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      lastOutputAt = performance.now();
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`fixture ${name} did not exit within ${options.timeoutMs} ms\nstdout: ${stdout.slice(-2000)}\nstderr: ${stderr.slice(-2000)}`));
    }, options.timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('exit', (exitCode, signal) => {
      clearTimeout(timer);
      const exitedAt = performance.now();
      const lines: unknown[] = [];
      for (const line of stdout.split('\n')) {
        const t = line.trim();
        if (!t.startsWith('{')) continue;
        try {
          lines.push(JSON.parse(t));
        } catch {
          // not one of ours
        }
      }
      if (exitCode !== 0 || lines.length === 0) {
        reject(new Error(`fixture ${name} exited with ${exitCode ?? signal}\nstdout: ${stdout.slice(-2000)}\nstderr: ${stderr.slice(-4000)}`));
        return;
      }
      resolve({
        result: lines[lines.length - 1] as T,
        lines,
        exitCode,
        signal,
        stderr,
        elapsedMs: exitedAt - started,
        lingerMs: exitedAt - lastOutputAt,
      });
    });
  });
}
