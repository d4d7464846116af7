// Over ~400 lines on purpose: serveMetrics() is one HTTP server whose connection limits, timeouts,
// routes, gzip and shutdown share its sockets and counters (one closure), and the shared scrape
// beside it (one collection for concurrent scrapes) serves only this server.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createGzip } from 'node:zlib';
import type { MetricReader } from '@opentelemetry/sdk-metrics';
import { componentLogger } from '../internal/diag';
import { PrometheusTextSerializer, type PrometheusSerializerOptions, type ScrapeHistograms } from './prometheus-serializer';

const log = componentLogger('prometheus');

/** Outcome of starting the endpoint: its URL, or why it could not listen. */
export interface MetricsEndpointStatus {
  url?: string;
  error?: Error;
}

/** A handler for an extra GET route (see MetricsEndpoint.route). */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** Counters of one endpoint since it started (for tests and health checks). */
export interface MetricsEndpointStats {
  /** Connections open now. */
  connections: number;
  /** Connections closed at once because `maxConnections` were open. */
  refusedConnections: number;
  /** Requests for the metrics path. */
  scrapes: number;
  /** Collections run: scrapes that arrived while one was in progress shared it. */
  collections: number;
  /** Times a serialization yielded to the event loop. */
  yields: number;
  /** Series (data points) serialized, over all collections. */
  series: number;
  /** Most series one slice serialized (bounded by `sliceSeries`). */
  maxSliceSeries: number;
  /** Responses dropped because more than `maxBufferedBytes` were queued for their reader. */
  droppedReaders: number;
  /** Connections closed because nothing moved on them for their timeout (idle keep-alive, or a reader that stopped reading). */
  timedOut: number;
}

export interface MetricsEndpoint {
  readonly ready: Promise<MetricsEndpointStatus>;
  /** Counters since start (a copy). */
  stats(): MetricsEndpointStats;
  /**
   * Serves `handler` for GET and HEAD requests to `path` (exact path, query string ignored), on the
   * same server as /metrics and so under the same connection cap and timeouts: the internal hook
   * for pages served beside the metrics (the live report). A handler's throw or rejection answers
   * 500 (or drops the connection if the response had started) and is logged once; it never
   * reaches the agent. Routes registered later replace earlier ones for the same path.
   */
  route(path: string, handler: RouteHandler): void;
  /** Stops accepting, lets responses in flight finish for up to `closeGraceMillis`, then drops them. */
  close(): Promise<void>;
}

/** Everything serveMetrics needs; the defaults are applied by telemetry-config.ts. */
export interface MetricsEndpointConfig extends PrometheusSerializerOptions {
  host: string;
  port: number;
  endpoint: string;
  /** Most connections open at once; more are closed as soon as they are accepted. */
  maxConnections: number;
  /** A connection must have sent its request headers within this time (ms), else it is closed (slowloris). */
  headersTimeoutMillis: number;
  /** A connection must have sent its whole request within this time (ms). */
  requestTimeoutMillis: number;
  /** An idle keep-alive connection is closed after this time (ms). */
  keepAliveTimeoutMillis: number;
  /** A connection on which nothing moves (a reader that stopped reading) is closed after this time (ms). */
  idleTimeoutMillis: number;
  /** Most response bytes queued on one connection and not yet taken by the socket; past it the connection is dropped. */
  maxBufferedBytes: number;
  /** Longest a serialization runs before it yields to the event loop (ms). */
  sliceMillis: number;
  /** Most series (data points) a slice serializes before it yields, whatever the clock says. */
  sliceSeries: number;
  /** How long close() lets responses in flight finish (ms). */
  closeGraceMillis: number;
  /** A complete body is given to new scrapes while another scrape is still reading it, for this long after its collection (ms). */
  shareMillis: number;
}

/** A piece of a serialized body; the list is singly linked so that chunks every reader has sent are freed. */
interface Chunk {
  readonly data: Buffer;
  next: Chunk | undefined;
}

/**
 * One collection and its serialization, shared by every scrape that arrives while it is in
 * progress, or while it is still being sent to another scrape and at most `shareMillis` old.
 * Readers walk the chunk list from `head`; once no one can join any more, `head` is dropped and
 * each reader holds only the chunks it has not sent yet.
 */
class SharedScrape {
  constructor(
    /** The body is gzip-compressed (for scrapers that accept it: Prometheus always does). */
    readonly gzip: boolean,
  ) {}

  /** Where a reader joining now starts; undefined once no one may join. */
  head: Chunk | undefined = { data: Buffer.alloc(0), next: undefined };
  /** Responses being sent from this body now. */
  readers = 0;
  private tail: Chunk = this.head!;
  done = false;
  /** Set when collection failed before any chunk: answered 503 with this text. */
  failure: string | undefined;
  private readonly waiting = new Set<() => void>();
  chunks = 0;
  bytes = 0;

  append(data: Buffer): void {
    if (data.length === 0) return;
    const chunk: Chunk = { data, next: undefined };
    this.tail.next = chunk;
    this.tail = chunk;
    this.chunks++;
    this.bytes += chunk.data.length;
    this.wake();
  }

  finish(failure?: string): void {
    this.done = true;
    this.failure = failure;
    this.wake();
  }

  /** Calls `fn` once at the next append or finish. */
  whenMore(fn: () => void): void {
    this.waiting.add(fn);
  }

  forget(fn: () => void): void {
    this.waiting.delete(fn);
  }

  private wake(): void {
    if (this.waiting.size === 0) return;
    const fns = [...this.waiting];
    this.waiting.clear();
    for (const fn of fns) fn();
  }
}

const PLAIN_HEADERS = { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', vary: 'accept-encoding' };
const GZIP_HEADERS = { ...PLAIN_HEADERS, 'content-encoding': 'gzip' };

/** Whether an Accept-Encoding header accepts gzip (named, or `*`, without q=0). */
function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  for (const part of header.toLowerCase().split(',')) {
    const [coding, ...params] = part.split(';').map((x) => x.trim());
    if (coding !== 'gzip' && coding !== '*') continue;
    const q = params.find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  }
  return false;
}

/** Resolves at the stream's next 'drain', rejects at an 'error' first; leaves no listener behind. */
function whenDrained(stream: NodeJS.EventEmitter): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const drained = (): void => {
      stream.off('error', failed);
      resolve();
    };
    const failed = (err: unknown): void => {
      stream.off('drain', drained);
      reject(err instanceof Error ? err : new Error(String(err)));
    };
    stream.once('drain', drained);
    stream.once('error', failed);
  });
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Histograms the endpoint snapshots and writes in slices (ExecutionHistogramProducer), rather than through `reader.collect()`. */
export interface ScrapeHistogramSource {
  scrapeView(): ScrapeHistograms;
}

/**
 * The Prometheus `/metrics` endpoint, on our own HTTP server (not the exporter's): port 0 works,
 * the bound address is known, a port in use is a logged, reported outcome rather than an exception,
 * and a scrape cannot hurt the agent it observes:
 *
 * - Serialization is fast (PrometheusTextSerializer caches each series' labels) and runs in slices
 *   of at most `sliceMillis` and `sliceSeries` series, yielding to the event loop between them; the
 *   response is streamed chunk by chunk as they are produced. `reader.collect()` (the SDK's own
 *   instruments) runs in one block; agent-timing's histograms, the bulk of a scrape, are not in it:
 *   `histograms` hands over a cheap snapshot of them (~1 ms at 2 208 series) instead.
 * - The body is gzip-compressed (level 1, on libuv's thread pool) for scrapers that accept it.
 * - Scrapes that arrive while one is being collected share its collection and its body (one
 *   serialization, the same Buffers written to every socket); so do scrapes that arrive while that
 *   body is still being sent to another and is at most `shareMillis` old (then stalled readers
 *   arriving one after another pin one body per `shareMillis`, not one each).
 * - Each response respects backpressure: it writes while the socket accepts and waits for 'drain'
 *   otherwise, so a slow reader holds at most one chunk queued (and the not-yet-sent rest of the
 *   body it joined); past `maxBufferedBytes` queued, or `idleTimeoutMillis` without progress, it is dropped.
 * - Bounded connections (`maxConnections`), a short header timeout (slowloris sockets are closed,
 *   so they cannot use up the agent's descriptors), request and keep-alive timeouts.
 * - The server and its sockets are unref()'d: keep-alive scrapers never hold the process open.
 */
export function serveMetrics(reader: MetricReader, config: MetricsEndpointConfig, histograms?: ScrapeHistogramSource): MetricsEndpoint {
  const { host, port } = config;
  const metricsPath = config.endpoint.startsWith('/') ? config.endpoint : `/${config.endpoint}`;
  const serializer = new PrometheusTextSerializer(config);
  const routes = new Map<string, RouteHandler>();
  /** The collection new scrapes may join, per encoding. */
  const current: { gzip: SharedScrape | undefined; identity: SharedScrape | undefined } = { gzip: undefined, identity: undefined };
  const forget = (scrape: SharedScrape): void => {
    if (scrape.gzip ? current.gzip === scrape : current.identity === scrape) current[scrape.gzip ? 'gzip' : 'identity'] = undefined;
  };
  let closing = false;
  let collectErrors = 0;
  const stats: MetricsEndpointStats = {
    connections: 0,
    refusedConnections: 0,
    scrapes: 0,
    collections: 0,
    yields: 0,
    series: 0,
    maxSliceSeries: 0,
    droppedReaders: 0,
    timedOut: 0,
  };
  let routeErrors = 0;

  /** Starts a collection and serializes it in slices into a new SharedScrape. */
  const startScrape = (gzip: boolean): SharedScrape => {
    const scrape = new SharedScrape(gzip);
    current[gzip ? 'gzip' : 'identity'] = scrape;
    stats.collections++;
    // Compression runs on libuv's thread pool: at 2 208 dense-bucket series it turns 39.5 MB into
    // ~1 MB for ~35 ms of CPU on another thread, where writing the 39.5 MB to a socket cost the
    // event loop ~1 ms per MB, and the shared body held by slow readers shrinks as much.
    const zip = gzip ? createGzip({ level: 1, chunkSize: 64 * 1024 }) : undefined;
    zip?.on('data', (d: Buffer) => scrape.append(d));
    void (async () => {
      try {
        const { resourceMetrics, errors } = await reader.collect();
        if (errors.length > 0 && collectErrors++ === 0) {
          log.error('metrics collection reported errors (logged once; the scrape still answers with what was collected)', ...errors);
        }
        // Our histograms: a snapshot without DataPoints (see scrapeView()), written in the slices.
        const task = serializer.start(resourceMetrics, histograms?.scrapeView());
        for (;;) {
          const data = task.next(performance.now() + config.sliceMillis, config.sliceSeries);
          if (data === undefined) break;
          stats.series += task.lastSliceSeries;
          if (task.lastSliceSeries > stats.maxSliceSeries) stats.maxSliceSeries = task.lastSliceSeries;
          stats.yields++;
          if (zip === undefined) {
            scrape.append(data);
            await nextTurn();
          } else if (!zip.write(data)) {
            await whenDrained(zip);
          }
          else await nextTurn();
        }
        if (zip !== undefined) {
          await new Promise<void>((resolve, reject) => {
            zip.once('end', resolve);
            zip.once('error', reject);
            zip.end();
          });
        }
        scrape.finish();
        // Joinable a little longer (by scrapes overlapping a reader of it), then only its readers hold it.
        setTimeout(() => {
          scrape.head = undefined;
          forget(scrape);
        }, config.shareMillis).unref();
      } catch (err) {
        zip?.destroy();
        if (!closing) log.error('metrics collection failed; the scrape is answered 503', err);
        scrape.finish(closing ? 'shutting down\n' : `# failed to export metrics: ${String(err)}\n`);
        scrape.head = undefined;
        forget(scrape);
      }
    })();
    return scrape;
  };

  /** The scrape a new request joins: the one in progress, or a recent one still being sent to another reader. */
  const joinable = (gzip: boolean): SharedScrape | undefined => {
    const scrape = gzip ? current.gzip : current.identity;
    return scrape !== undefined && scrape.head !== undefined && (!scrape.done || scrape.readers > 0) ? scrape : undefined;
  };

  /** Streams `scrape` to `res`, respecting backpressure. */
  const send = (scrape: SharedScrape, res: ServerResponse, head: boolean): void => {
    // Only called with a joinable scrape, so head is still there.
    let at: Chunk = scrape.head!;
    scrape.readers++;
    const pump = (): void => {
      if (res.destroyed) return;
      if (!res.headersSent) {
        if (closing) res.setHeader('connection', 'close');
        if (scrape.failure !== undefined && at.next === undefined) {
          res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' }).end(scrape.failure);
          return;
        }
        res.writeHead(200, scrape.gzip ? GZIP_HEADERS : PLAIN_HEADERS);
        // From here on a silent socket is the reader's doing again: the idle timeout is back.
        res.socket?.setTimeout(config.idleTimeoutMillis);
        if (head) {
          res.end();
          return;
        }
      }
      for (let next = at.next; next !== undefined; next = at.next) {
        at = next;
        if (!res.write(next.data)) {
          if (res.writableLength > config.maxBufferedBytes) {
            stats.droppedReaders++;
            res.destroy();
            return;
          }
          res.once('drain', pump);
          return;
        }
      }
      if (!scrape.done) scrape.whenMore(pump);
      else if (scrape.failure !== undefined) res.destroy(); // failed midway: a truncated body must not look complete
      else res.end();
    };
    res.once('close', () => {
      scrape.readers--;
      scrape.forget(pump);
    });
    // Headers go out with the first chunk (or the failure), so a failed collection can still say 503.
    if (at.next !== undefined || scrape.done) pump();
    else {
      // Until then nothing moves on the socket because the collection is slow (a busy or loaded
      // process), not the reader: the idle timeout must not drop the scraper for our delay.
      res.socket?.setTimeout(0);
      scrape.whenMore(pump);
    }
  };

  const runRoute = (handler: RouteHandler, req: IncomingMessage, res: ServerResponse): void => {
    const failed = (err: unknown): void => {
      if (routeErrors++ === 0) log.error(`the handler of ${req.url ?? ''} failed (logged once; later failures are only counted)`, err);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('Internal error\n');
      else res.destroy();
    };
    try {
      const result = handler(req, res);
      if (result && typeof result.then === 'function') result.then(undefined, failed);
    } catch (err) {
      failed(err);
    }
  };

  const server: Server = createServer(
    {
      headersTimeout: config.headersTimeoutMillis,
      requestTimeout: config.requestTimeoutMillis,
      keepAliveTimeout: config.keepAliveTimeoutMillis,
      // How often Node checks the header and request timeouts (its default, 30 s, would let a
      // slowloris socket live 30 s past a 5 s timeout).
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(config.headersTimeoutMillis / 2))),
    },
    (req, res) => {
      // While closing, a finished response leaves an idle keep-alive connection: close it.
      res.once('finish', () => {
        if (closing) server.closeIdleConnections();
      });
      if (closing) res.setHeader('connection', 'close');
      let pathname: string;
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      pathname = q < 0 ? url : url.slice(0, q);
      if (!pathname.startsWith('/')) {
        try {
          pathname = new URL(url).pathname; // absolute-form request target
        } catch {
          pathname = '';
        }
      }
      const handler = pathname === metricsPath ? undefined : routes.get(pathname);
      if (pathname !== metricsPath && handler === undefined) {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('Method not allowed\n');
        return;
      }
      if (handler) runRoute(handler, req, res);
      else {
        stats.scrapes++;
        const gzip = acceptsGzip(req.headers['accept-encoding']);
        send(joinable(gzip) ?? startScrape(gzip), res, req.method === 'HEAD');
      }
    },
  );
  server.maxConnections = config.maxConnections;
  // A socket on which nothing moves for this long (a reader that stopped reading) is destroyed;
  // idle keep-alive sockets come here too, after keepAliveTimeoutMillis.
  server.timeout = config.idleTimeoutMillis;
  server.on('timeout', (socket: Socket) => {
    stats.timedOut++;
    socket.destroy();
  });
  server.unref();
  // A scraper's keep-alive connection must not keep the process alive either (one scraping more
  // often than the keep-alive timeout would keep it up forever).
  server.on('connection', (socket: Socket) => {
    socket.unref();
    stats.connections++;
    socket.once('close', () => stats.connections--);
  });
  server.on('drop', () => stats.refusedConnections++);
  // Errors on a client socket (a malformed request, a header timeout) are Node's default: it
  // answers 400 / 408 / 431 and closes that socket; nothing reaches the agent.

  const ready = new Promise<MetricsEndpointStatus>((resolve) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const hint =
        error.code === 'EADDRINUSE'
          ? ` — port ${port} is in use: set prometheus.port (or OTEL_EXPORTER_PROMETHEUS_PORT) to a free port, 0 for any`
          : '';
      log.error(`metrics endpoint could not listen on ${host}:${port}${hint}; metrics are still recorded`, error);
      resolve({ error });
    });
    server.listen({ host, port }, () => {
      const addr = server.address() as AddressInfo;
      const shownHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
      const url = `http://${shownHost}:${addr.port}${metricsPath}`;
      log.debug(`metrics endpoint listening on ${url}`);
      resolve({ url });
    });
  });

  let closed: Promise<void> | undefined;
  return {
    ready,
    stats: () => ({ ...stats }),
    route: (path, handler) => {
      if (typeof path !== 'string' || !path.startsWith('/')) throw new TypeError(`a route path must start with "/"; got ${JSON.stringify(path)}`);
      if (typeof handler !== 'function') throw new TypeError(`the handler of route ${path} must be a function`);
      if (path === metricsPath) throw new TypeError(`${path} is the metrics endpoint itself; choose another path for the route`);
      routes.set(path, handler);
    },
    close: () =>
      (closed ??= new Promise<void>((resolve) => {
        closing = true;
        if (!server.listening) return resolve();
        const grace = setTimeout(() => server.closeAllConnections(), config.closeGraceMillis);
        grace.unref();
        server.close(() => {
          clearTimeout(grace);
          resolve();
        });
        server.closeIdleConnections();
      })),
  };
}
