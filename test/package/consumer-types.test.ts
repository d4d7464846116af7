import { execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = join(__dirname, '../..');
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');

// A consumer of the built package: it must type-check with the library checks on
// (skipLibCheck: false) under every moduleResolution a TypeScript user may have.
const CONSUMER = `
import { EnhancedExecutionTimingCollector, MetricsAggregator, BreakdownSpanProcessor, OpenAIStreamInstrumentation,
  type AggregatedMetrics, type ClassificationRule } from 'agent-timing';
import { AgentTimingCallbackHandler, type AgentTimingCallbackHandlerOptions } from 'agent-timing/langchain';

const rules: ClassificationRule[] = [{ attribute: 'acme.kind', equals: 'model', category: 'llm_processing' }];
const processor = new BreakdownSpanProcessor({ classificationRules: rules });
const aggregator = new MetricsAggregator();
const c = new EnhancedExecutionTimingCollector({ agentName: 'consumer' });
const ttft: number = c.recordFirstToken(performance.now());
const stats: AggregatedMetrics | undefined = undefined;
const options: AgentTimingCallbackHandlerOptions = {};
const handler = new AgentTimingCallbackHandler(options);
export { processor, aggregator, ttft, stats, handler, OpenAIStreamInstrumentation };
`;

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'agent-timing-consumer-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(ROOT, join(dir, 'node_modules', 'agent-timing'), 'dir');
  writeFileSync(join(dir, 'consumer.ts'), CONSUMER);
  // (the .mts copy is an ES module: its imports resolve through the package's exports map)
  writeFileSync(join(dir, 'consumer.mts'), CONSUMER);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function tsc(file: string, module: string, moduleResolution: string): Promise<string> {
  const args = [TSC, '--noEmit', '--strict', '--skipLibCheck', 'false', '--target', 'es2022', '--lib', 'es2022,dom',
    '--module', module, '--moduleResolution', moduleResolution, '--types', 'node', '--typeRoots', join(ROOT, 'node_modules/@types'), file];
  try {
    await run(process.execPath, args, { cwd: dir, timeout: 230_000 });
    return '';
  } catch (err) {
    return String((err as { stdout?: string }).stdout ?? err);
  }
}

describe('the published declarations in a consumer with skipLibCheck: false', () => {
  // Two runs of tsc over the whole dependency tree (~9 s of CPU each): the CommonJS consumer with
  // node10 resolution (the subpath through typesVersions) and an ES-module one (through exports).
  it.each([
    ['consumer.ts', 'commonjs', 'node10'],
    ['consumer.mts', 'node16', 'node16'],
  ])('%s type-checks with module %s, moduleResolution %s', async (file, module, resolution) => {
    expect(await tsc(file, module, resolution)).toBe('');
  }, 240_000);
});
