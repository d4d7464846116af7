import { startLoopbackServer } from '../support/loopback-server';
import { describeWithPostgres, startPostgres, type PostgresServer } from './pg-server';
import { expectBetween, runScenario } from './pg-run';

/** pg_sleep(0.2): the server holds the query at least this long. */
const QUERY_FLOOR_MS = 200;
/** The loopback server answers after a 100 ms timer, counted from libuv's cached loop clock (which can lag by a few ms). */
const FETCH_FLOOR_MS = 95;

/*
 * pg + @opentelemetry/instrumentation-pg (through NodeSDK, with the undici instrumentation)
 * against a real PostgreSQL started on a free port: a query of known duration (pg_sleep(0.2)) is
 * database time, a fetch of a loopback URL answering after 100 ms is external API time, and what
 * neither covers (overhead) is small. Truth is measured around each call in the same process.
 */
describeWithPostgres('pg and instrumentation-pg against a real PostgreSQL', (bin) => {
  let pg: PostgresServer;
  let http: Awaited<ReturnType<typeof startLoopbackServer>>;
  beforeAll(async () => {
    [pg, http] = await Promise.all([startPostgres(bin), startLoopbackServer(undefined, 100)]);
  }, 90_000);
  afterAll(async () => {
    await Promise.all([pg?.stop(), http?.close()]);
  });

  it('database time ≈ the query, external API ≈ the fetch, overhead small', async () => {
    const runs = await runScenario('query-and-fetch', pg.url, http.url);
    expect(runs).toHaveLength(3);
    for (const { b, truth } of runs) {
      expectBetween(b.databaseQueryMs, QUERY_FLOOR_MS, truth.queryMs as number);
      expectBetween(b.externalApiMs, FETCH_FLOOR_MS, truth.fetchMs as number);
      expect(b.foreignSpanCount).toBeGreaterThanOrEqual(2);
      expect(b.uncategorizedMs).toBe(0);
      expect(b.overheadMs).toBeLessThan(Math.max(25, 0.15 * b.totalMs));
    }
  }, 120_000);
});
