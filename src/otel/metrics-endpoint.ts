import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { componentLogger } from '../internal/diag';

const log = componentLogger('prometheus');

/** Outcome of starting the endpoint: its URL, or why it could not listen. */
export interface MetricsEndpointStatus {
  url?: string;
  error?: Error;
}

// [report hook] Extra GET routes beside /metrics (the live report page). Smallest possible hook,
// to be reconciled with the route registration of the scrape rewrite at merge.
/** Answers a request for a path it owns (returning true); false leaves it to the endpoint. */
export type ExtraRoute = (pathname: string, req: IncomingMessage, res: ServerResponse) => boolean;

export interface MetricsEndpoint {
  readonly ready: Promise<MetricsEndpointStatus>;
  close(): Promise<void>;
}

/**
 * Serves the Prometheus exporter on our own HTTP server rather than the exporter's, so that port
 * 0 (any free port) works, the bound address is known, and a port already in use becomes a logged,
 * reported outcome — the agent keeps running without the endpoint — instead of an exception.
 * The server and its connections are unref()'d: they never keep the process alive.
 */
export function serveMetrics(exporter: PrometheusExporter, host: string, port: number, endpoint: string, extraRoute?: ExtraRoute): MetricsEndpoint {
  const path = endpoint.startsWith('/') ? endpoint : `/${endpoint}`;
  const server: Server = createServer((req, res) => {
    let pathname: string | undefined;
    try {
      pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    } catch {
      pathname = undefined;
    }
    if (pathname === path && (req.method === 'GET' || req.method === 'HEAD')) {
      exporter.getMetricsRequestHandler(req, res);
    } else if (pathname !== undefined && extraRoute?.(pathname, req, res)) {
      // [report hook] answered by the extra route
    } else {
      res.statusCode = 404;
      res.end('Not found\n');
    }
  });
  server.unref();
  // A scraper's keep-alive connection must not keep the process alive either (one scraping more
  // often than the keep-alive timeout would keep it up forever).
  server.on('connection', (socket) => socket.unref());
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
      const url = `http://${shownHost}:${addr.port}${path}`;
      log.debug(`metrics endpoint listening on ${url}`);
      resolve({ url });
    });
  });
  return {
    ready,
    close: () =>
      new Promise<void>((resolve) => {
        if (!server.listening) return resolve();
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
