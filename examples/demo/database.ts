import { PGlite } from '@electric-sql/pglite';

/**
 * The agent's database: real Postgres (PGlite, compiled to WebAssembly, in this process), with a
 * small shop schema seeded at start-up. Queries are real: their time is what Postgres takes here.
 */

const SCHEMA = `
  CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL, tier text NOT NULL);
  CREATE TABLE orders (
    id int PRIMARY KEY, customer_id int NOT NULL REFERENCES customers (id), status text NOT NULL,
    total_cents int NOT NULL, created_at timestamptz NOT NULL, note text NOT NULL);
  CREATE INDEX orders_by_customer ON orders (customer_id, created_at DESC);
  CREATE TABLE sessions (user_id text PRIMARY KEY, customer_id int NOT NULL REFERENCES customers (id), preferences jsonb NOT NULL);
  CREATE TABLE conversations (
    id serial PRIMARY KEY, run_id text NOT NULL, user_id text NOT NULL, question text NOT NULL,
    answer text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
  INSERT INTO customers
    SELECT g, 'customer ' || g, (ARRAY['free', 'pro', 'enterprise'])[1 + g % 3] FROM generate_series(1, 2000) g;
  INSERT INTO orders
    SELECT g, 1 + (g * 7919) % 2000, (ARRAY['placed', 'packed', 'shipped', 'delivered', 'returned'])[1 + g % 5],
           500 + (g * 31) % 20000, now() - make_interval(mins => g), md5(g::text) || ' ' ||
           (ARRAY['gift', 'refund requested', 'fragile', 'express', ''])[1 + g % 5]
    FROM generate_series(1, 30000) g;
  INSERT INTO sessions
    SELECT 'user-' || g, 1 + (g * 37) % 2000, jsonb_build_object('lang', 'en', 'tone', 'friendly') FROM generate_series(1, 64) g;
  ANALYZE;
`;

/** The queries the agent runs, by the name their phase gets. */
export const QUERIES = {
  load_session: 'SELECT customer_id, preferences FROM sessions WHERE user_id = $1',
  recent_orders:
    'SELECT o.id, o.status, o.total_cents, c.tier FROM orders o JOIN customers c ON c.id = o.customer_id ' +
    'WHERE o.customer_id = $1 ORDER BY o.created_at DESC LIMIT 5',
  // The planted slow query: full-text search with no GIN index behind it, so Postgres runs
  // to_tsvector() on every order (EXPLAIN shows the sequential scan).
  refund_search:
    "SELECT status, count(*) AS orders, sum(total_cents) AS cents FROM orders " +
    "WHERE to_tsvector('english', note) @@ plainto_tsquery('english', $1) GROUP BY status",
  save_conversation: 'INSERT INTO conversations (run_id, user_id, question, answer) VALUES ($1, $2, $3, $4)',
} as const;

export type QueryName = keyof typeof QUERIES;

export interface Database {
  query<T = Record<string, unknown>>(name: QueryName, params: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/** Starts an in-memory Postgres and seeds it (a few seconds: initdb runs in WebAssembly). */
export async function startDatabase(): Promise<Database> {
  const pg = await PGlite.create();
  await pg.exec(SCHEMA);
  return {
    async query<T>(name: QueryName, params: unknown[]): Promise<T[]> {
      const result = await pg.query<T>(QUERIES[name], params);
      return result.rows;
    },
    close: () => pg.close(),
  };
}
