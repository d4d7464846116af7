import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = join(__dirname, '../..');

/** The "Applications that already configure OpenTelemetry" snippet (docs/telemetry.md), as a user copies it. */
function readmeSnippet(): string {
  const readme = readFileSync(join(ROOT, 'docs', 'telemetry.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Applications that already configure OpenTelemetry'));
  const m = /```ts\n([\s\S]*?)```/.exec(section);
  if (!m) throw new Error('docs/telemetry.md: no ts block in the NodeSDK section');
  return m[1];
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

// Runs with the built package (`agent-timing` resolves to dist through the package's self-reference).
const DRIVER = `
import { EnhancedExecutionTimingCollector as __Collector } from 'agent-timing';
const __c = new __Collector({ agentName: 'readme_nodesdk' });
__c.startPhase('llm_processing');
await new Promise((r) => setTimeout(r, 30));
__c.stopPhase('llm_processing');
const __b = __c.complete();
const __metrics = await (await fetch('http://127.0.0.1:' + process.env.OTEL_EXPORTER_PROMETHEUS_PORT + '/metrics')).text();
const __t = performance.now();
await sdk.shutdown();
console.log(JSON.stringify({ llm: __b.llmProcessingMs, shutdownMs: performance.now() - __t, metrics: __metrics.includes('agent_execution_duration_seconds_count') }));
`;

describe("README's NodeSDK set-up", () => {
  it('runs as copied: metrics on the Prometheus reader, no OTLP fallback, a prompt shutdown', async () => {
    const dir = join(ROOT, 'dist', '.readme-snippet');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'nodesdk.mjs');
    writeFileSync(file, readmeSnippet() + DRIVER);
    const port = await freePort();
    const { stdout, stderr } = await run(process.execPath, [file], {
      cwd: ROOT,
      env: { ...process.env, OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1', OTEL_EXPORTER_PROMETHEUS_PORT: String(port), OTEL_LOG_LEVEL: 'warn' },
      timeout: 20_000,
    });
    expect(stderr).not.toMatch(/ECONNREFUSED|OTLP/);
    const out = JSON.parse(stdout.trim().split('\n').pop()!) as { llm: number; shutdownMs: number; metrics: boolean };
    expect(out.llm).toBeGreaterThanOrEqual(29);
    expect(out.metrics).toBe(true);
    // Informational: the OTLP fallback stalled shutdown by ~2.5 s; not asserted (a busy machine).
    console.log(`README NodeSDK snippet: shutdown took ${out.shutdownMs.toFixed(0)} ms`);
  });
});
