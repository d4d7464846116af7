import { createHash } from 'node:crypto';
import { get } from 'node:http';
import { connect, type Socket } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { bucketPlan } from '../../../src/metrics/buckets';
import { ExecutionHistogramProducer } from '../../../src/metrics/histogram-producer';
import { METRICS_ENDPOINT_DEFAULTS } from '../../../src/setup/metrics-endpoint-config';
import { BREAKDOWN_CATEGORIES, CATEGORY_FIELD } from '../../../src/breakdown/categories';
import { TimingBreakdown } from '../../../src/breakdown/timing-breakdown';
import { serveMetrics, type MetricsEndpoint, type MetricsEndpointConfig } from '../../../src/setup/metrics-endpoint';

/** The agent's histogram buckets in seconds (as many as ours have: 47 k lines at 2 200 series). */
const BOUNDARIES = [0.005, 0.01, 0.02, 0.04, 0.08, 0.1, 0.16, 0.25, 0.32, 0.5, 0.64, 1, 1.28, 2.5, 5, 10, 20, 40];

class Reader extends MetricReader {
  protected onForceFlush = () => Promise.resolve();
  protected onShutdown = () => Promise.resolve();
}

export interface ScrapeServer {
  endpoint: MetricsEndpoint;
  url: string;
  reader: MetricReader;
  close(): Promise<void>;
}

/**
 * A real MeterProvider with our three histograms for `agents` agents (× 9 categories × 2 outcomes
 * for the phase histogram, × 2 outcomes for the execution and TTFT ones: 22 series per agent,
 * 2 200 at 100 agents) behind a real endpoint on 127.0.0.1:0 — the shape of the scrape.
 */
export async function startScrapeServer(agents: number, overrides: Partial<MetricsEndpointConfig> = {}): Promise<ScrapeServer> {
  const reader = new Reader();
  const provider = new MeterProvider({ resource: resourceFromAttributes({ 'service.name': 'scrape-test', 'host.name': 'vm' }), readers: [reader] });
  const meter = provider.getMeter('agent-timing', '0.1.0');
  const histogram = (name: string) => meter.createHistogram(name, { unit: 's', advice: { explicitBucketBoundaries: BOUNDARIES } });
  const execution = histogram('agent_execution_duration_seconds');
  const phase = histogram('agent_phase_duration_seconds');
  const ttft = histogram('agent_time_to_first_token_seconds');
  const categories = ['initialization', 'tool_execution', 'llm_processing', 'websocket_notification', 'database_query', 'external_api', 'queue_wait', 'overhead', 'other'];
  for (let a = 0; a < agents; a++) {
    for (const outcome of ['success', 'error']) {
      const base = { gen_ai_agent_name: `agent_${a}`, agent_timing_outcome: outcome };
      for (let k = 0; k < 3; k++) {
        execution.record(((a * 7 + k) % 50) / 10, base);
        ttft.record(((a * 3 + k) % 20) / 10, base);
        categories.forEach((c, i) => phase.record(((a + i * 5 + k) % 40) / 10, { ...base, agent_timing_category: c }));
      }
    }
  }
  return listen(reader, provider, overrides);
}

/** Serves `reader` (and agent-timing's histograms, when given) on a free loopback port. */
async function listen(reader: Reader, provider: MeterProvider, overrides: Partial<MetricsEndpointConfig>, producer?: ExecutionHistogramProducer): Promise<ScrapeServer> {
  const endpoint = serveMetrics(reader, { ...METRICS_ENDPOINT_DEFAULTS, host: '127.0.0.1', port: 0, ...overrides }, producer);
  const { url, error } = await endpoint.ready;
  if (!url) throw error ?? new Error('endpoint did not listen');
  return {
    endpoint,
    url,
    reader,
    close: async () => {
      await endpoint.close();
      await provider.shutdown();
    },
  };
}

/** Holds every collection of `reader` until the returned function is called (so scrapes surely overlap one). */
export function holdCollections(reader: MetricReader): () => void {
  const collect = reader.collect.bind(reader);
  let release: () => void = () => undefined;
  const gate = new Promise<void>((r) => (release = r));
  reader.collect = async (o) => {
    await gate;
    return collect(o);
  };
  return () => release();
}

/**
 * The endpoint as startAgentTelemetry wires it: agent-timing's own histograms (the dense default
 * buckets) in an ExecutionHistogramProducer that the endpoint snapshots and writes in slices, beside a
 * MeterProvider's reader (empty here). `agents` × 2 outcomes × (execution + every category + TTFT).
 */
export async function startProducerScrapeServer(agents: number, overrides: Partial<MetricsEndpointConfig> = {}): Promise<ScrapeServer & { producer: ExecutionHistogramProducer }> {
  const reader = new Reader();
  const provider = new MeterProvider({ resource: resourceFromAttributes({ 'service.name': 'scrape-test' }), readers: [reader] });
  const producer = new ExecutionHistogramProducer(bucketPlan());
  for (let a = 0; a < agents; a++) {
    for (const outcome of ['success', 'error'] as const) {
      const b = new TimingBreakdown();
      b.agentName = `agent_${a}`;
      BREAKDOWN_CATEGORIES.forEach((c, i) => (b[CATEGORY_FIELD[c]] = 1 + ((a * 13 + i * 7) % 5000)));
      b.totalMs = 60_000;
      b.ttftMs = 1 + ((a * 31) % 3000);
      b.completed = true;
      producer.recordExecution(b, outcome);
    }
  }
  return { ...(await listen(reader, provider, overrides, producer)), producer };
}

/** A raw TCP client: sends `request` and then does with the socket whatever the test wants. */
export function rawClient(url: string, request?: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => {
      if (request !== undefined) socket.write(request);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

export function getRequest(url: string): string {
  const { host, pathname } = new URL(url);
  return `GET ${pathname} HTTP/1.1\r\nHost: ${host}\r\n\r\n`;
}

/** Resolves when `socket` is closed (by either side), with whether it happened within `ms`. */
export function closedWithin(socket: Socket, ms: number): Promise<boolean> {
  if (socket.destroyed) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
    socket.once('error', () => undefined);
  });
}

/** Polls `condition` every 10 ms until it holds (true) or `ms` pass (false). */
export async function waitFor(condition: () => boolean, ms: number): Promise<boolean> {
  const end = performance.now() + ms;
  while (!condition()) {
    if (performance.now() > end) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
  return true;
}

/** A full garbage collection (jest runs without --expose-gc: the flag is set at run time). */
export function fullGc(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  for (let i = 0; i < 3; i++) gc();
}

/** Heap plus Buffers (a scrape's body lives outside the JS heap), after a full GC, in MB. */
export function memoryAfterGcMb(): number {
  fullGc();
  const m = process.memoryUsage();
  return (m.heapUsed + m.arrayBuffers) / (1 << 20);
}

export interface StreamedScrape {
  status: number;
  bytes: number;
  /** sha256 of the body. */
  hash: string;
  /** The body, when asked for. */
  body?: Buffer;
}

/**
 * One scrape on its own connection, the body hashed as it streams in and kept only on request:
 * a client that costs the test process little, so event-loop delay measures the server.
 */
export function streamScrape(url: string, keep = false, hashed = true): Promise<StreamedScrape> {
  return new Promise((resolve, reject) => {
    const req = get(url, { agent: false }, (res) => {
      const hash = createHash('sha256');
      const chunks: Buffer[] = [];
      let bytes = 0;
      res.on('data', (d: Buffer) => {
        bytes += d.length;
        if (hashed) hash.update(d);
        if (keep) chunks.push(d);
      });
      res.once('end', () => resolve({ status: res.statusCode ?? 0, bytes, hash: hash.digest('hex'), body: keep ? Buffer.concat(chunks) : undefined }));
      res.once('error', reject);
    });
    req.once('error', reject);
  });
}
