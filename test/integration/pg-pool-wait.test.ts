import { describeWithPostgres, startPostgres, type PostgresServer } from './pg-server';
import { expectNear, runScenario } from './pg-run';

/*
 * Waiting for a pooled connection is queue_wait, not database time. Pool max 1, two concurrent
 * queries of 200 ms: the second waits ~200 ms in pool.connect() (instrumentation-pg's
 * `pg-pool.connect` span) while the first runs. Truth: the time each pool.connect() took (the
 * second's is the wait), and the second query's own duration, which is database time once the
 * wait is not. Needs the classification row pg-pool.connect → queue_wait (src/processor/classification.ts).
 */
describeWithPostgres('pg-pool: waiting for a pooled connection', (bin) => {
  let pg: PostgresServer;
  beforeAll(async () => {
    pg = await startPostgres(bin);
  }, 90_000);
  afterAll(async () => {
    await pg?.stop();
  });

  it('the wait is queue_wait, database time is the queries', async () => {
    const runs = await runScenario('pool-wait', pg.url);
    expect(runs).toHaveLength(3);
    for (const { b, truth } of runs) {
      const wait = truth.waitMs as number[];
      const query = truth.queryMs as number[];
      // Both connects start together; the second's wait covers the first's short one.
      expectNear(b.queueWaitMs, Math.max(wait[0], wait[1]));
      // While the second query waits, the first runs: that instant is the wait's (the span that
      // ends last wins among overlapping siblings); the database has the second query alone.
      expectNear(b.databaseQueryMs, query[1]);
      expect(b.uncategorizedMs).toBe(0);
    }
  }, 120_000);
});
