import { createServer } from 'node:net';
import { context } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';

/** True when nothing listens on host:port (checked by listening on it briefly). */
export function portIsFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

export interface ScrapeResult {
  status?: number;
  /** Sample lines of agent-timing's series (agent_*), as Prometheus would ingest them. */
  agentTimingSeries?: number;
  error?: string;
}

/** Fetches /metrics the way Prometheus does (untraced: the demo's own check is not agent work). */
export function scrapeMetrics(url: string): Promise<ScrapeResult> {
  return context.with(suppressTracing(context.active()), async () => {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
      const text = await res.text();
      const series = text.split('\n').filter((line) => line.startsWith('agent_')).length;
      return { status: res.status, agentTimingSeries: series };
    } catch (err) {
      return { error: err instanceof Error ? err.message : String(err) };
    }
  });
}

/**
 * Posts an empty OTLP/JSON trace request (valid, no spans): undefined when the receiver takes it,
 * else what went wrong. The exporter itself retries quietly for seconds, so ask up front.
 */
export function probeOtlp(tracesUrl: string): Promise<string | undefined> {
  return context.with(suppressTracing(context.active()), async () => {
    try {
      const res = await fetch(tracesUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"resourceSpans":[]}',
        signal: AbortSignal.timeout(2000),
      });
      return res.ok ? undefined : `the receiver answered ${res.status}`;
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code;
      return `nothing answers there${cause ? ` (${cause})` : ''}`;
    }
  });
}
