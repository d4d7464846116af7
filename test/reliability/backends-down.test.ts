/**
 * Promise 1 — backends down. With the OTLP endpoint refusing connections, accepting and never
 * answering, answering 500 / 503 (with and without Retry-After), or answering garbage (a body that
 * is not OTLP, bytes that are not HTTP): every execution completes with its breakdown and its
 * metrics, nothing reaches the process as an unhandled rejection or uncaught exception, the heap
 * stays bounded, shutdown() returns within its timeout, spans flow again once the endpoint works,
 * and the process exits by itself afterwards. Each mode runs in its own child process
 * (fixtures/backends-down.ts), which owns the broken backend on loopback.
 */
import { runFixture, type ChildRun } from './support/child';
import { inPool } from './support/pool';

interface BackendsDownResult {
  mode: string;
  executionsAtFirstScrape: number;
  executionsWhileDown: number;
  badBreakdowns: number;
  metricsWhileDown: number;
  metricsTotal: number;
  heapBefore: number;
  heapAfter: number;
  requestsWhileDown: number;
  arrived: boolean;
  recoveryMs: number;
  recoveredSpans: number;
  shutdownMs: number;
  shutdownTimeoutMs: number;
  unhandled: string[];
  diagErrors: number;
  diagWarnings: number;
}

const MODES = ['refuse', 'hang', '500', '503', '503-retry-after', 'garbage-body', 'garbage-protocol'] as const;
/** Growth allowed while 6 000 executions (~30 000 spans) meet a dead backend: the export queue
 *  holds at most 512 spans, so anything near this would be a leak. */
const HEAP_SLACK_BYTES = 8 * 1024 * 1024;
/**
 * Scheduling slack on top of shutdownTimeoutMillis (800 ms) on a loaded two-core machine, where
 * four of these children run at once: 'hang' and '503' legitimately run into the timeout and
 * 'refuse' nearly does (750–820 ms on an idle machine), so the slack is all the lateness a timer
 * of theirs may have. What the bound catches is a shutdown that waits for the hung backend's 30 s
 * export timeout; the other modes' exports give up after 1 s by themselves, which no slack above
 * 200 ms could tell apart.
 */
const SHUTDOWN_SLACK_MS = 1_200;
/**
 * Longest the child may take to exit after its last output. 'garbage-protocol' legitimately lingers
 * ~0.8 s (the SDK's own export retry timer, never longer than the 1 s export timeout, runs out);
 * what this catches is a socket or timer of ours holding the process for the hung backend's 30 s
 * (or for the 5 s keep-alive of a /metrics connection).
 */
const MAX_LINGER_MS = 3_000;

const runs = new Map<string, ChildRun<BackendsDownResult>>();

beforeAll(async () => {
  // Hang guards only: beside two busy loops at load average 17-25 on two cores a fixture had not
  // printed anything after 60 s (issue 13).
  const results = await inPool(MODES, 4, (mode) => runFixture<BackendsDownResult>('backends-down.ts', [mode], { timeoutMs: 240_000 }));
  MODES.forEach((mode, i) => runs.set(mode, results[i]));
  const table = results.map(({ result: r, lingerMs }) => ({
    mode: r.mode,
    executions: r.executionsWhileDown,
    heapMB: `${(r.heapBefore / 2 ** 20).toFixed(1)} → ${(r.heapAfter / 2 ** 20).toFixed(1)}`,
    requests: r.requestsWhileDown,
    recoveryMs: Math.round(r.recoveryMs),
    shutdownMs: Math.round(r.shutdownMs),
    exitAfterMs: Math.round(lingerMs),
    diagErrors: r.diagErrors,
  }));
  console.log(`backends down:\n${JSON.stringify(table, null, 1)}`);
}, 500_000);

describe.each(MODES)('OTLP backend %s', (mode) => {
  const r = (): BackendsDownResult => runs.get(mode)!.result;

  it('lets every execution complete with its breakdown and its metrics', () => {
    expect(r().executionsWhileDown).toBe(7_300);
    expect(r().badBreakdowns).toBe(0);
    // Histograms count every execution: scraped mid-run and again before shutdown.
    expect(r().metricsWhileDown).toBe(r().executionsAtFirstScrape);
    expect(r().metricsTotal).toBe(r().executionsWhileDown);
  });

  it('lets no rejection or exception reach the process', () => {
    expect(r().unhandled).toEqual([]);
  });

  it('keeps the heap bounded while exports fail', () => {
    expect(r().heapAfter - r().heapBefore).toBeLessThan(HEAP_SLACK_BYTES);
  });

  it('sends new spans once the endpoint works again', () => {
    expect(r().arrived).toBe(true);
    expect(r().recoveredSpans).toBeGreaterThan(0);
  });

  it('returns from shutdown() within shutdownTimeoutMillis, and the process then exits by itself', () => {
    expect(r().shutdownMs).toBeLessThan(r().shutdownTimeoutMs + SHUTDOWN_SLACK_MS);
    // The child printed its result last; nothing of ours (sockets, retry or export timers) kept it up.
    expect(runs.get(mode)!.lingerMs).toBeLessThan(MAX_LINGER_MS);
  });
});
