/**
 * Issue 13 item 1 — a /metrics endpoint that cannot hurt the agent: at 2 200 series (47 k lines,
 * ~9 MB) a scrape serializes in slices that yield, concurrent scrapes share one collection, slow
 * readers are bounded and dropped, connections are capped, slowloris sockets are closed by the
 * header timeout, and a scrape in flight during shutdown() ends cleanly. Real HTTP on 127.0.0.1:0.
 *
 * Event-loop delay is asserted against a generous bound: 400 ms, where the serializer before this
 * change blocked 650–1 100 ms on a quiet machine (and 3–4 s at the load below). Measured here with
 * eight test suites sharing the 2-core VM (load average ~19): 57–220 ms, most of it the process
 * waiting for a core, not our code; beside two busy loops at load average 25, 624–1 498 ms (issue
 * 13). So the bound is asserted on the CPU time the process used between two ticks of a 5 ms probe:
 * a stall our code causes is spent on the CPU, waiting for a core is not. The wall-clock delay is
 * still printed (docs/metrics-endpoint.md records it); the slicing itself is asserted on counts
 * (yields), which load cannot change.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Socket } from 'node:net';
import { EnhancedExecutionTimingCollector, startAgentTelemetry } from '../../src';
import { closedWithin, getRequest, holdCollections, memoryAfterGcMb, rawClient, startProducerScrapeServer, startScrapeServer, streamScrape, waitFor, type ScrapeServer } from './support/scrape-server';
import { histogramCount, histogramProblems, parsePrometheus } from './support/prometheus-text';

const AGENTS = 100;
const SERIES = AGENTS * 22; // 2 200
const DELAY_BOUND_MS = 400;

/**
 * Runs `during` while sampling event-loop delay; resolves with its result, the worst delay on the
 * wall clock, and the worst stall in CPU time: the most CPU the process used between two ticks of a
 * 5 ms interval (what the loop was busy with; time spent waiting for a core uses none).
 */
async function withLoopDelay<T>(during: () => Promise<T>): Promise<{ result: T; maxDelayMs: number; maxBusyMs: number }> {
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  let last = process.cpuUsage();
  let maxBusyMs = 0;
  const probe = setInterval(() => {
    const used = process.cpuUsage(last);
    last = process.cpuUsage();
    maxBusyMs = Math.max(maxBusyMs, (used.user + used.system) / 1000);
  }, 5);
  try {
    const result = await during();
    return { result, maxDelayMs: h.max / 1e6, maxBusyMs };
  } finally {
    clearInterval(probe);
    h.disable();
  }
}

async function scrape(url: string): Promise<string> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  return res.text();
}

describe('one scrape at 2 200 series', () => {
  let server: ScrapeServer;
  beforeAll(async () => {
    server = await startScrapeServer(AGENTS);
  });
  afterAll(() => server.close());

  it('answers the whole text while yielding to the event loop between slices', async () => {
    await scrape(server.url); // warm: the label cache is filled by the first scrape
    const before = server.endpoint.stats();
    const { result, maxDelayMs, maxBusyMs } = await withLoopDelay(() => streamScrape(server.url, true));
    const after = server.endpoint.stats();
    expect(result.status).toBe(200);
    const text = result.body!.toString('utf8');
    const samples = parsePrometheus(text);
    expect(samples.filter((s) => s.name.endsWith('_count'))).toHaveLength(SERIES);
    expect(histogramProblems(samples)).toEqual([]);
    expect(text.split('\n').length).toBeGreaterThan(45_000);
    // ~9 MB in slices of at most 256 KB: dozens of yields, never one long block.
    expect(after.yields - before.yields).toBeGreaterThanOrEqual(Math.floor(Buffer.byteLength(text) / (256 * 1024)));
    expect(maxBusyMs).toBeLessThan(DELAY_BOUND_MS);
    console.log(`scrape: ${SERIES} series, ${(Buffer.byteLength(text) / 1e6).toFixed(1)} MB, ${after.yields - before.yields} slices, event loop max delay ${maxDelayMs.toFixed(1)} ms (${maxBusyMs.toFixed(1)} ms of CPU)`);
  });
});

describe('agent-timing’s own histograms at ~2 200 series (dense buckets), from the producer’s scrapeView()', () => {
  it('are serialized in slices of at most sliceSeries series, one slice per sliceSeries at least, and the text is whole', async () => {
    const sliceSeries = 16;
    const server = await startProducerScrapeServer(69, { sliceSeries });
    try {
      const before = server.endpoint.stats();
      const result = await streamScrape(server.url, true);
      const after = server.endpoint.stats();
      expect(result.status).toBe(200);
      const samples = parsePrometheus(result.body!.toString('utf8'));
      const series = samples.filter((s) => s.name.endsWith('_count')).length;
      expect(series).toBeGreaterThanOrEqual(69 * 2 * 11); // execution + 9 categories + TTFT, × 2 outcomes (+ operations when recorded)
      expect(histogramProblems(samples)).toEqual([]);
      expect(after.series - before.series).toBe(series);
      expect(after.maxSliceSeries).toBeLessThanOrEqual(sliceSeries);
      expect(after.yields - before.yields).toBeGreaterThanOrEqual(Math.ceil(series / sliceSeries));
      expect(after.collections - before.collections).toBe(1);
      const execution = server.producer.scrapeView().histograms.find((h) => h.descriptor.name === 'agent_execution_duration_seconds')!;
      const total = execution.series.reduce((n, s) => n + s.count, 0);
      expect(histogramCount(samples, 'agent_execution_duration_seconds')).toBe(total);
      console.log(`scrape: ${series} producer series, ${(result.bytes / 1e6).toFixed(1)} MB in ${after.yields - before.yields} slices (≤ ${sliceSeries} series each)`);
    } finally {
      await server.close();
    }
  });

  it('20 concurrent scrapes share one collection and one body', async () => {
    const server = await startProducerScrapeServer(69);
    try {
      const first = parsePrometheus((await streamScrape(server.url, true)).body!.toString('utf8'));
      const seriesPerBody = first.filter((s) => s.name.endsWith('_count')).length;
      const release = holdCollections(server.reader);
      const before = server.endpoint.stats();
      const all = Promise.all(Array.from({ length: 20 }, (_, i) => streamScrape(server.url, false, i < 2)));
      expect(await waitFor(() => server.endpoint.stats().scrapes - before.scrapes === 20, 20_000)).toBe(true);
      release();
      const bodies = await all;
      const after = server.endpoint.stats();
      expect(after.collections - before.collections).toBe(1);
      expect(bodies[1].hash).toBe(bodies[0].hash);
      for (const b of bodies) expect({ status: b.status, bytes: b.bytes }).toEqual({ status: 200, bytes: bodies[0].bytes });
      // One serialization: the series were written once, not once per scrape.
      expect(after.series - before.series).toBe(seriesPerBody);
    } finally {
      await server.close();
    }
  });
});

describe('gzip', () => {
  it('compresses for scrapers that accept it (Prometheus does): the same text, a fraction of the bytes, one collection per encoding', async () => {
    const server = await startProducerScrapeServer(69);
    try {
      const { get } = await import('node:http');
      const { gunzipSync } = await import('node:zlib');
      const fetchRaw = (encoding: string | undefined) =>
        new Promise<{ status: number; encoding: string | undefined; vary: string | undefined; body: Buffer }>((resolve, reject) => {
          get(server.url, { agent: false, headers: encoding === undefined ? {} : { 'accept-encoding': encoding } }, (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (d: Buffer) => chunks.push(d));
            res.once('end', () => resolve({ status: res.statusCode ?? 0, encoding: res.headers['content-encoding'], vary: res.headers.vary, body: Buffer.concat(chunks) }));
          }).once('error', reject);
        });
      const before = server.endpoint.stats();
      const [zipped, plain, refused] = await Promise.all([fetchRaw('gzip, deflate'), fetchRaw(undefined), fetchRaw('gzip;q=0, identity')]);
      expect(server.endpoint.stats().collections - before.collections).toBeLessThanOrEqual(2);
      expect(zipped.status).toBe(200);
      expect(zipped.encoding).toBe('gzip');
      expect(zipped.vary).toBe('accept-encoding');
      expect(plain.encoding).toBeUndefined();
      expect(refused.encoding).toBeUndefined();
      const text = gunzipSync(zipped.body).toString('utf8');
      expect(text).toBe(plain.body.toString('utf8'));
      expect(refused.body.toString('utf8')).toBe(text);
      expect(histogramProblems(parsePrometheus(text))).toEqual([]);
      expect(zipped.body.length * 10).toBeLessThan(plain.body.length);
      console.log(`scrape: gzip ${(zipped.body.length / 1e6).toFixed(2)} MB for ${(plain.body.length / 1e6).toFixed(1)} MB of text`);
    } finally {
      await server.close();
    }
  });
});

describe('20 concurrent scrapes', () => {
  it('share one collection and one body, and still do not block the event loop', async () => {
    const server = await startScrapeServer(AGENTS);
    try {
      await scrape(server.url);
      // Hold the collection until all 20 requests have arrived, so they surely overlap it.
      const release = holdCollections(server.reader);
      const before = server.endpoint.stats();
      const { result: bodies, maxDelayMs, maxBusyMs } = await withLoopDelay(async () => {
        // Two clients hash what they get (to compare bodies), the others only count bytes: the
        // clients share this process, and the delay measured should be the server's.
        const all = Promise.all(Array.from({ length: 20 }, (_, i) => streamScrape(server.url, false, i < 2)));
        expect(await waitFor(() => server.endpoint.stats().scrapes - before.scrapes === 20, 20_000)).toBe(true);
        release();
        return all;
      });
      expect(server.endpoint.stats().collections - before.collections).toBe(1);
      expect(bodies[1]).toEqual(bodies[0]);
      for (const b of bodies) expect({ status: b.status, bytes: b.bytes }).toEqual({ status: 200, bytes: bodies[0].bytes });
      expect(bodies[0].bytes).toBeGreaterThan(5e6);
      expect(maxBusyMs).toBeLessThan(DELAY_BOUND_MS);
      console.log(`scrape: 20 concurrent scrapes, 1 collection, event loop max delay ${maxDelayMs.toFixed(1)} ms (${maxBusyMs.toFixed(1)} ms of CPU)`);
    } finally {
      await server.close();
    }
  });
});

describe('slow readers', () => {
  it('are not dropped while the collection is the slow side (a loaded process): the idle timeout waits for the first byte', async () => {
    const server = await startScrapeServer(2, { idleTimeoutMillis: 200 });
    try {
      const release = holdCollections(server.reader);
      const before = server.endpoint.stats();
      const body = scrape(server.url);
      await waitFor(() => server.endpoint.stats().collections > before.collections, 5_000);
      await new Promise((r) => setTimeout(r, 800)); // four idle timeouts with no byte to send
      release();
      expect(await body).toContain('agent_execution_duration_seconds_bucket');
      expect(server.endpoint.stats().timedOut - before.timedOut).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('hold one shared body while connected, are dropped after idleTimeoutMillis, and the memory comes back', async () => {
    const server = await startScrapeServer(AGENTS, { idleTimeoutMillis: 1500 });
    const sockets: Socket[] = [];
    try {
      await scrape(server.url);
      await new Promise((r) => setTimeout(r, 1200)); // past shareMillis: that body is no longer held
      const base = memoryAfterGcMb();
      const before = server.endpoint.stats();
      const { maxDelayMs, maxBusyMs } = await withLoopDelay(async () => {
        // Ten clients that send GET and never read, one after another.
        for (let i = 0; i < 10; i++) {
          const s = await rawClient(server.url, getRequest(server.url));
          s.pause();
          sockets.push(s);
          await new Promise((r) => setTimeout(r, 20));
        }
        await waitFor(() => server.endpoint.stats().scrapes - before.scrapes === 10, 10_000);
        await new Promise((r) => setTimeout(r, 300));
      });
      const held = memoryAfterGcMb() - base;
      const stats = server.endpoint.stats();
      // They arrived within shareMillis of each other while the first was still being sent: one body.
      expect(stats.collections - before.collections).toBeLessThanOrEqual(2);
      expect(held).toBeLessThan(40); // one ~9 MB body (two at most), not one per reader (~95 MB)
      // The server drops them (a paused client only notices once it reads again).
      expect(await waitFor(() => server.endpoint.stats().connections === 0, 15_000)).toBe(true);
      expect(server.endpoint.stats().timedOut - before.timedOut).toBeGreaterThanOrEqual(10);
      for (const s of sockets) s.resume().on('data', () => undefined);
      const closed = await Promise.all(sockets.map((s) => closedWithin(s, 10_000)));
      expect(closed.every(Boolean)).toBe(true);
      const released = memoryAfterGcMb() - base;
      expect(released).toBeLessThan(10);
      expect(maxBusyMs).toBeLessThan(DELAY_BOUND_MS);
      console.log(`scrape: 10 stalled readers held ${held.toFixed(1)} MB (heap + Buffers after GC), ${released.toFixed(1)} MB after they were dropped; event loop max delay ${maxDelayMs.toFixed(1)} ms (${maxBusyMs.toFixed(1)} ms of CPU)`);
    } finally {
      for (const s of sockets) s.destroy();
      await server.close();
    }
  });
});

describe('connection limits', () => {
  it('caps open connections: the ones past maxConnections are closed at once and the endpoint keeps serving', async () => {
    const server = await startScrapeServer(1, { maxConnections: 4 });
    const sockets: Socket[] = [];
    try {
      for (let i = 0; i < 12; i++) sockets.push(await rawClient(server.url));
      const closed = await Promise.all(sockets.map((s) => closedWithin(s, 3000)));
      expect(closed.filter(Boolean).length).toBeGreaterThanOrEqual(8);
      expect(server.endpoint.stats().connections).toBeLessThanOrEqual(4);
      expect(server.endpoint.stats().refusedConnections).toBeGreaterThanOrEqual(8);
      for (const s of sockets) s.destroy();
      expect(await waitFor(() => server.endpoint.stats().connections === 0, 5000)).toBe(true);
      expect(await scrape(server.url)).toContain('agent_phase_duration_seconds_bucket');
    } finally {
      for (const s of sockets) s.destroy();
      await server.close();
    }
  });

  it('closes slowloris sockets (headers never finished) after headersTimeoutMillis', async () => {
    const server = await startScrapeServer(1, { headersTimeoutMillis: 400, maxConnections: 200 });
    const sockets: Socket[] = [];
    try {
      for (let i = 0; i < 100; i++) {
        const s = await rawClient(server.url, 'GET /metrics HTTP/1.1\r\nHost: x\r\nX-Slow: ');
        s.on('data', () => undefined);
        sockets.push(s);
      }
      // Keep trickling header bytes: only the header deadline can end them.
      const trickle = setInterval(() => {
        for (const s of sockets) if (!s.destroyed) s.write('a');
      }, 100);
      try {
        const closed = await Promise.all(sockets.map((s) => closedWithin(s, 10_000)));
        expect(closed.every(Boolean)).toBe(true);
      } finally {
        clearInterval(trickle);
      }
      expect(await waitFor(() => server.endpoint.stats().connections === 0, 5000)).toBe(true);
      expect(await scrape(server.url)).toContain('agent_phase_duration_seconds_bucket');
    } finally {
      for (const s of sockets) s.destroy();
      await server.close();
    }
  });
});

describe('shutdown() with a scrape in flight', () => {
  it('resolves, and the scrape ends with a complete body or a closed connection, never a hang', async () => {
    const telemetry = startAgentTelemetry({ prometheus: { host: '127.0.0.1', port: 0 }, otlp: false, aggregator: false, instrumentations: [] });
    let socket: Socket | undefined;
    try {
      const { url } = await telemetry.metricsEndpoint;
      for (let a = 0; a < 100; a++) {
        for (const success of [true, false]) {
          const c = new EnhancedExecutionTimingCollector({ agentName: `shutdown_${a}` });
          for (const p of ['initialization', 'tool_execution', 'llm_processing', 'database_query', 'external_api', 'queue_wait', 'step']) {
            c.startPhase(p);
            c.stopPhase(p);
          }
          c.recordFirstToken();
          c.complete({ success });
        }
      }
      socket = await rawClient(url!, getRequest(url!));
      const received: Buffer[] = [];
      let bytes = 0;
      const ended = new Promise<void>((resolve) => {
        socket!.on('data', (d: Buffer) => {
          received.push(d);
          bytes += d.length;
        });
        socket!.once('close', () => resolve());
        socket!.once('error', () => undefined);
      });
      // Read slowly: the response is surely in flight when shutdown() starts.
      await waitFor(() => bytes > 0, 10_000);
      socket.pause();
      const t0 = performance.now();
      const shut = telemetry.shutdown();
      setTimeout(() => socket!.resume(), 200);
      await shut;
      const shutdownMs = performance.now() - t0;
      await ended;
      const raw = Buffer.concat(received).toString('latin1');
      expect(raw.startsWith('HTTP/1.1 200')).toBe(true);
      // Chunked transfer: a complete body ends with the last chunk; a cut one does not (the client can tell).
      const complete = raw.endsWith('0\r\n\r\n');
      if (complete) expect(raw).toContain('agent_time_to_first_token_seconds_bucket');
      expect(shutdownMs).toBeLessThan(10_000);
      console.log(`scrape: shutdown() with a scrape in flight took ${shutdownMs.toFixed(0)} ms; the body was ${complete ? 'complete' : 'cut (connection closed)'}`);
    } finally {
      socket?.destroy();
      await telemetry.shutdown();
    }
  });
});

describe('extra routes', () => {
  it('serve GET and HEAD beside /metrics; a throwing handler answers 500; other paths 404 and other methods 405', async () => {
    const server = await startScrapeServer(1);
    try {
      server.endpoint.route('/report', (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>report</h1>');
      });
      server.endpoint.route('/broken', () => {
        throw new Error('handler bug');
      });
      server.endpoint.route('/broken-async', () => Promise.reject(new Error('async handler bug')));
      const base = new URL(server.url);
      const at = (path: string) => new URL(path, base).toString();
      expect(await (await fetch(at('/report?x=1'))).text()).toBe('<h1>report</h1>');
      expect((await fetch(at('/report'), { method: 'HEAD' })).status).toBe(200);
      expect((await fetch(at('/broken'))).status).toBe(500);
      expect((await fetch(at('/broken-async'))).status).toBe(500);
      expect((await fetch(at('/nothing'))).status).toBe(404);
      const post = await fetch(server.url, { method: 'POST', body: 'x' });
      expect(post.status).toBe(405);
      expect(post.headers.get('allow')).toBe('GET, HEAD');
      const head = await fetch(server.url, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(await head.text()).toBe('');
      expect(() => server.endpoint.route('/metrics', () => undefined)).toThrow(/metrics endpoint itself/);
      expect(() => server.endpoint.route('report', () => undefined)).toThrow(/must start with "\/"/);
      // The scrape still works after all that.
      expect(await scrape(server.url)).toContain('agent_phase_duration_seconds_bucket');
    } finally {
      await server.close();
    }
  });
});
