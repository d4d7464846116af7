import { parseArgs } from 'node:util';

export interface DemoOptions {
  requests: number;
  concurrency: number;
  seed: number;
  /** File for the JSON report; '-' is stdout. */
  json?: string;
  html?: string;
  serve: boolean;
  /** Port of /metrics; 0 picks a free one. */
  port: number;
  help: boolean;
}

export const HELP = `Usage: npm run demo -- [options]

A supervisor agent serves user requests against real local services (an HTTP API, a WebSocket
hub, Postgres in WebAssembly) and a simulated streaming LLM, while agent-timing measures every
millisecond. At the end it reports where the time went.

Options
  --requests <n>      requests to serve (default 200)
  --concurrency <n>   requests served at once; the others queue (default 8)
  --seed <n>          seed of the workload: arrivals, latencies, planted outliers (default 42)
  --json [file]       write the report as JSON to <file>; to stdout with no file or "-"
                      (the terminal report then goes to stderr)
  --html <file>       write a self-contained HTML report (waterfall, charts; opens offline)
  --serve             keep /metrics up after the run, until Ctrl-C
  --port <n>          port of /metrics (default 9464 or OTEL_EXPORTER_PROMETHEUS_PORT;
                      0 = any free port; a busy port falls back to a free one)
  -h, --help          show this help

Environment
  OTEL_EXPORTER_OTLP_ENDPOINT     also send traces over OTLP/HTTP, e.g. http://localhost:4318
  OTEL_EXPORTER_PROMETHEUS_HOST   address /metrics binds to (default localhost)
  NO_COLOR                        no colours
`;

/** A bad command line: main prints the message and exits with code 2. */
export class UsageError extends Error {}

function integer(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return n;
}

/** Parses the command line; throws UsageError with a message fit for the user. */
export function parseOptions(argv: string[]): DemoOptions {
  // --json takes an optional file: a bare --json (last, or before another option) means stdout.
  const args = argv.flatMap((a, i) => (a === '--json' && (i === argv.length - 1 || argv[i + 1].startsWith('-')) && argv[i + 1] !== '-' ? ['--json=-'] : [a]));
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        requests: { type: 'string' },
        concurrency: { type: 'string' },
        seed: { type: 'string' },
        json: { type: 'string' },
        html: { type: 'string' },
        serve: { type: 'boolean', default: false },
        port: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (err) {
    // node's messages name the option: "Unknown option '--x'", "Option '--html <value>' argument missing".
    throw new UsageError((err as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
  }
  const envPort = process.env.OTEL_EXPORTER_PROMETHEUS_PORT?.trim();
  const html = values.html as string | undefined;
  if (html !== undefined && (html === '' || html.startsWith('-'))) throw new UsageError(`--html needs a file name, got "${html}"`);
  const opts: DemoOptions = {
    requests: integer('requests', values.requests as string | undefined, 200, 1, 100_000),
    concurrency: integer('concurrency', values.concurrency as string | undefined, 8, 1, 1000),
    seed: integer('seed', values.seed as string | undefined, 42, 0, 2 ** 31 - 1),
    serve: values.serve === true,
    port: integer('port', (values.port as string | undefined) ?? (envPort || undefined), 9464, 0, 65_535),
    help: values.help === true,
  };
  if (values.json !== undefined) opts.json = values.json as string;
  if (html !== undefined) opts.html = html;
  return opts;
}
