import { startLoopbackServer } from '../support/loopback-server';
import { describeWithPostgres, startPostgres, type PostgresServer } from './pg-server';
import { expectNear, runScenario } from './pg-run';

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
      expectNear(b.databaseQueryMs, truth.queryMs as number);
      expectNear(b.externalApiMs, truth.fetchMs as number);
      expect(b.foreignSpanCount).toBeGreaterThanOrEqual(2);
      expect(b.uncategorizedMs).toBe(0);
      expect(b.overheadMs).toBeLessThan(Math.max(25, 0.15 * b.totalMs));
    }
  }, 120_000);
});
