/*
 * Run in a child process by the pg tests (`node --import tsx pg-scenarios.ts <scenario> <pgUrl> [httpUrl]`),
 * so that @opentelemetry/instrumentation-pg is registered — through NodeSDK, as an application
 * would — before `pg` is first required, in a fresh module registry. Prints one JSON line:
 * the breakdowns of the executions it ran and the truth measured around each call.
 */
import { NodeSDK } from '@opentelemetry/sdk-node';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { BreakdownSpanProcessor, withExecution } from '../../src/index';
import type { TimingBreakdown } from '../../src/breakdown/timing-breakdown';

const [scenario, pgUrl, httpUrl] = process.argv.slice(2);

const sdk = new NodeSDK({
  spanProcessors: [new BreakdownSpanProcessor()],
  instrumentations: [new PgInstrumentation(), new UndiciInstrumentation()],
});
sdk.start();

// Only now: instrumentation-pg patches pg and pg-pool as they load.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pg = require('pg') as typeof import('pg');

async function firstConnect(pool: import('pg').Pool): Promise<void> {
  // The server may listen a moment before it accepts sessions.
  for (let i = 0; ; i++) {
    try {
      const c = await pool.connect();
      c.release();
      return;
    } catch (err) {
      if (i > 50) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

function summary(b: TimingBreakdown): Record<string, unknown> {
  return { ...b.toJSON(), phases: b.phases };
}

async function queryAndFetch(): Promise<unknown> {
  const pool = new pg.Pool({ connectionString: pgUrl, max: 2 });
  await firstConnect(pool);
  const client = await pool.connect(); // connected outside the execution: the truth is the query alone
  // Node loads its fetch implementation on the first call, before any span starts: not measured.
  await (await fetch(`${httpUrl}/warm-up`)).text();
  const truth = { queryMs: 0, fetchMs: 0 };
  const runs: unknown[] = [];
  // Four executions; the first warms the instrumentations' code paths up and is not reported.
  for (let i = 0; i < 4; i++) {
    const b = await withExecution('db-agent', async (c) => {
      let t = performance.now();
      await client.query('SELECT pg_sleep(0.2)');
      truth.queryMs = performance.now() - t;
      t = performance.now();
      await (await fetch(`${httpUrl}/api`)).text();
      truth.fetchMs = performance.now() - t;
      return c;
    }).then((c) => c.getBreakdown());
    if (i > 0) runs.push({ b: summary(b), truth: { ...truth } });
  }
  client.release();
  await pool.end();
  return runs;
}

async function poolWait(): Promise<unknown> {
  const pool = new pg.Pool({ connectionString: pgUrl, max: 1 });
  await firstConnect(pool);
  const runs: unknown[] = [];
  for (let i = 0; i < 4; i++) {
    const truth = { waitMs: [0, 0], queryMs: [0, 0] };
    const one = async (k: number): Promise<void> => {
      let t = performance.now();
      const client = await pool.connect();
      truth.waitMs[k] = performance.now() - t;
      try {
        t = performance.now();
        await client.query('SELECT pg_sleep(0.2)');
        truth.queryMs[k] = performance.now() - t;
      } finally {
        client.release();
      }
    };
    const b = await withExecution('pool-agent', async (c) => {
      await Promise.all([one(0), one(1)]);
      return c;
    }).then((c) => c.getBreakdown());
    if (i > 0) runs.push({ b: summary(b), truth });
  }
  await pool.end();
  return runs;
}

async function main(): Promise<void> {
  const out = scenario === 'pool-wait' ? await poolWait() : await queryAndFetch();
  await sdk.shutdown();
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
