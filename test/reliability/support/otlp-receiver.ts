import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** An exported span as the OTLP/HTTP JSON encoding carries it (the fields our tests read). */
export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes?: Array<{ key: string; value: Record<string, unknown> }>;
  events?: Array<{ name: string; attributes?: Array<{ key: string; value: Record<string, unknown> }> }>;
}

/** How the receiver answers: as a working backend, or as one of the broken ones. */
export type ReceiverMode = 'ok' | 'hang' | '500' | '503' | '503-retry-after' | 'garbage-body' | 'garbage-protocol';

export interface OtlpReceiver {
  readonly url: string;
  readonly port: number;
  /** Spans received while answering 'ok'. */
  readonly spans: OtlpSpan[];
  /** Raw request bodies received while answering 'ok', when started with keepBodies (leak checks). */
  readonly bodies: string[];
  requests: number;
  mode: ReceiverMode;
  /** Stops listening (connections refused from now on) and drops open connections. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  restart(): Promise<void>;
  /** Drops every open connection (a backend restart): hung requests fail on the client. */
  dropConnections(): void;
  /** Stops keeping the process alive (for children that must exit by themselves). */
  unref(): void;
}

function attributeValue(v: Record<string, unknown>): unknown {
  return Object.values(v)[0];
}

/** Attribute of an OTLP JSON span (or event) by key. */
export function otlpAttr(s: { attributes?: Array<{ key: string; value: Record<string, unknown> }> }, key: string): unknown {
  const a = s.attributes?.find((x) => x.key === key);
  return a ? attributeValue(a.value) : undefined;
}

/**
 * A loopback OTLP/HTTP (JSON) trace receiver whose behaviour can be switched while it runs:
 * answering normally, never answering, answering 500/503 (with or without Retry-After), or
 * answering garbage (a body that is not OTLP, or bytes that are not HTTP at all).
 */
export async function startOtlpReceiver(mode: ReceiverMode = 'ok', options: { keepBodies?: boolean } = {}): Promise<OtlpReceiver> {
  const sockets = new Set<Socket>();
  let refd = true;
  // Only an answering ('ok') backend keeps what it receives, so a broken one holds no memory of
  // its own that could be mistaken for the SDK's.
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const m = receiver.mode;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      if (m === 'ok') chunks.push(c);
    });
    req.on('end', () => {
      receiver.requests++;
      if (m === 'garbage-protocol') return void req.socket.destroy();
      if (m === 'hang') return; // accept, read, never answer
      if (m === '500') return void res.writeHead(500).end('internal error');
      if (m === '503') return void res.writeHead(503).end('unavailable');
      if (m === '503-retry-after') return void res.writeHead(503, { 'retry-after': '1' }).end('unavailable');
      if (m === 'garbage-body') return void res.writeHead(200, { 'content-type': 'application/json' }).end('\u0000{{not json]]\u00ff');
      const text = Buffer.concat(chunks).toString('utf8');
      if (options.keepBodies) receiver.bodies.push(text);
      try {
        const body = JSON.parse(text) as { resourceSpans?: Array<{ scopeSpans?: Array<{ spans?: OtlpSpan[] }> }> };
        for (const rs of body.resourceSpans ?? []) for (const ss of rs.scopeSpans ?? []) receiver.spans.push(...(ss.spans ?? []));
      } catch {
        // not JSON: counted as a request only
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  };
  let server: Server;
  const listen = (p: number): Promise<void> => {
    server = createServer(handler);
    server.on('connection', (socket: Socket) => {
      if (receiver.mode === 'garbage-protocol') {
        socket.end('\u0016\u0003\u0001 this is not HTTP \r\n\r\n\u0000\u00ff');
        return;
      }
      sockets.add(socket);
      if (!refd) socket.unref();
      socket.on('close', () => sockets.delete(socket));
    });
    return new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(p, '127.0.0.1', () => resolve());
    });
  };
  await listen(0);
  const actualPort = (server!.address() as AddressInfo).port;
  const receiver: OtlpReceiver = {
    url: `http://127.0.0.1:${actualPort}/v1/traces`,
    port: actualPort,
    spans: [],
    bodies: [],
    requests: 0,
    mode,
    dropConnections: () => {
      for (const s of sockets) s.destroy();
      sockets.clear();
    },
    stop: () =>
      new Promise<void>((resolve) => {
        receiver.dropConnections();
        server.close(() => resolve());
      }),
    restart: () => listen(actualPort),
    unref: () => {
      refd = false;
      server.unref();
      for (const s of sockets) s.unref();
    },
  };
  return receiver;
}

/** Waits until `check()` is true, polling every 10 ms; false after `timeoutMs` (the shared helper). */
export { waitFor } from '../../support/wait-for';
