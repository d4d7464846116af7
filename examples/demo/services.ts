import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { startDatabase, type Database } from './database';

/**
 * The real things the demo agent talks to, all on loopback and all in this process: an HTTP
 * "upstream API" (search and pricing), a WebSocket notification hub, and Postgres (PGlite).
 */

/** Header with which the seeded scenario tells the upstream how slow to be (it plays a remote API). */
export const LATENCY_HEADER = 'x-simulated-latency-ms';

export interface Notifier {
  /** Sends a notification and resolves when the hub acknowledges it. */
  notify(event: string, runId: string, fanoutMs: number): Promise<void>;
}

export interface Services {
  /** Base URL of the HTTP upstream, e.g. http://127.0.0.1:41234 */
  apiUrl: string;
  /** URL of the WebSocket hub. */
  wsUrl: string;
  db: Database;
  notifier: Notifier;
  /** How long PGlite took to start and seed, ms. */
  databaseStartMs: number;
  stop(): Promise<void>;
}

function startUpstream(): Promise<Server> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://upstream');
    const delay = Math.min(5000, Math.max(0, Number(req.headers[LATENCY_HEADER]) || 0));
    const body =
      url.pathname === '/v1/search'
        ? { query: url.searchParams.get('q'), results: [{ title: 'Shipping times', score: 0.92 }, { title: 'Returns', score: 0.81 }] }
        : url.pathname === '/v1/pricing'
          ? { plan: url.searchParams.get('plan'), currency: 'EUR', perSeat: 39 }
          : undefined;
    setTimeout(() => {
      res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body ?? { error: 'not found' }));
    }, delay);
  });
  server.listen(0, '127.0.0.1');
  return once(server, 'listening').then(() => server);
}

async function startHub(): Promise<{ wss: WebSocketServer; url: string }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(wss, 'listening');
  wss.on('connection', (socket) => {
    socket.on('message', (data) => {
      const msg = JSON.parse(String(data)) as { id: number; fanoutMs: number };
      // The hub acknowledges once it has fanned the event out to the user's open sessions.
      setTimeout(() => socket.readyState === WebSocket.OPEN && socket.send(JSON.stringify({ ack: msg.id })), msg.fanoutMs);
    });
  });
  return { wss, url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}` };
}

async function connectNotifier(url: string): Promise<{ notifier: Notifier; socket: WebSocket }> {
  const socket = new WebSocket(url);
  await once(socket, 'open');
  const pending = new Map<number, () => void>();
  let nextId = 1;
  socket.on('message', (data) => {
    const { ack } = JSON.parse(String(data)) as { ack: number };
    pending.get(ack)?.();
    pending.delete(ack);
  });
  const notifier: Notifier = {
    notify(event, runId, fanoutMs) {
      const id = nextId++;
      return new Promise<void>((resolve, reject) => {
        pending.set(id, resolve);
        socket.send(JSON.stringify({ id, event, runId, fanoutMs }), (err) => err && reject(err));
      });
    },
  };
  return { notifier, socket };
}

/** Starts everything; PGlite (the slow part) starts first and the servers meanwhile. If one fails, the others are closed. */
export async function startServices(): Promise<Services> {
  const dbStart = performance.now();
  const dbReady = startDatabase().then((db) => ({ db, ms: performance.now() - dbStart }));
  const started = await Promise.allSettled([startUpstream(), startHub(), dbReady]);
  const [u, h, d] = started;
  if (u.status === 'rejected' || h.status === 'rejected' || d.status === 'rejected') {
    if (u.status === 'fulfilled') u.value.close();
    if (h.status === 'fulfilled') h.value.wss.close();
    if (d.status === 'fulfilled') await d.value.db.close();
    throw started.find((s): s is PromiseRejectedResult => s.status === 'rejected')!.reason;
  }
  const [upstream, hub, database] = [u.value, h.value, d.value];
  const { notifier, socket } = await connectNotifier(hub.url);
  return {
    apiUrl: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`,
    wsUrl: hub.url,
    db: database.db,
    notifier,
    databaseStartMs: database.ms,
    async stop() {
      socket.close();
      for (const client of hub.wss.clients) client.terminate();
      upstream.closeAllConnections();
      await Promise.all([
        new Promise<void>((resolve) => hub.wss.close(() => resolve())),
        new Promise<void>((resolve) => upstream.close(() => resolve())),
        database.db.close(),
      ]);
    },
  };
}
