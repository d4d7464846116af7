import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findProgram } from '../support/external-program';

/*
 * A real PostgreSQL for tests: Debian's `postgresql` package (binaries under
 * /usr/lib/postgresql/<version>/bin, not on PATH), a fresh cluster in a temp directory, on a free
 * loopback port, stopped and deleted at the end. As root the server runs as the `postgres` user
 * (PostgreSQL refuses root), through runuser.
 */

const PACKAGE = 'postgresql';

/** The directory holding initdb and postgres, newest version first; undefined when not installed. */
export function findPostgresBin(): string | undefined {
  const base = '/usr/lib/postgresql';
  if (existsSync(base)) {
    const versions = readdirSync(base)
      .filter((v) => existsSync(join(base, v, 'bin', 'postgres')) && existsSync(join(base, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions.length > 0) return join(base, versions[0], 'bin');
  }
  const initdb = findProgram('initdb');
  const postgres = findProgram('postgres');
  if (initdb && postgres) return join(initdb, '..');
  return undefined;
}

/**
 * `describe` whose body gets the PostgreSQL bin directory. Missing: a failure under CI=true (CI
 * must install it, see .ci/run), elsewhere one passing test named "skipped: …" that says what to install.
 */
export function describeWithPostgres(title: string, body: (bin: string) => void): void {
  const bin = findPostgresBin();
  const message = `PostgreSQL server binaries not found under /usr/lib/postgresql/<version>/bin or on PATH; install the Debian package "${PACKAGE}" (apt-get install ${PACKAGE})`;
  if (!bin && process.env.CI === 'true') throw new Error(`${message}. CI must provide it.`);
  describe(title, () => {
    if (bin) {
      body(bin);
      return;
    }
    it(`skipped: ${message}`, () => {
      console.warn(`SKIPPED "${title}": ${message}`);
    });
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function asPostgres(cmd: string, args: string[]): [string, string[]] {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  return root ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
}

async function waitForPort(port: number, child: ChildProcess, log: () => string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`postgres exited with ${child.exitCode}: ${log()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const c = createConnection({ host: '127.0.0.1', port }, () => {
        c.destroy();
        resolve(true);
      });
      c.once('error', () => resolve(false));
    });
    // A listening socket is not yet a server accepting queries: the caller retries its first connect.
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`postgres did not listen on ${port} within ${timeoutMs} ms: ${log()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface PostgresServer {
  port: number;
  /** A connection string for the `postgres` superuser (trust authentication on loopback). */
  url: string;
  stop(): Promise<void>;
}

/** initdb + postgres on a free port in a temp directory; stop() ends the server and removes it. */
export async function startPostgres(bin: string): Promise<PostgresServer> {
  const dir = mkdtempSync(join(tmpdir(), 'agent-timing-pg-'));
  const data = join(dir, 'data');
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (root) {
    const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    if (!Number.isInteger(uid)) throw new Error('running as root but there is no postgres user (the Debian package creates it)');
    chownSync(dir, uid, gid);
  }
  const [initCmd, initArgs] = asPostgres(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  const init = spawnSync(initCmd, initArgs, { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`initdb failed (${init.status}): ${init.stderr || init.stdout}`);
  const port = await freePort();
  const [cmd, args] = asPostgres(join(bin, 'postgres'), [
    '-D', data,
    '-p', String(port),
    '-k', dir,
    '-c', 'listen_addresses=127.0.0.1',
    '-c', 'fsync=off',
    '-c', 'synchronous_commit=off',
    '-c', 'full_page_writes=off',
  ]);
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  await waitForPort(port, child, () => output.slice(-2000));
  return {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        // SIGINT: PostgreSQL's fast shutdown. runuser passes the signal on to postgres.
        child.kill('SIGINT');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
