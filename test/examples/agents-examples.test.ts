import { execFile } from 'node:child_process';
import { join } from 'node:path';

/** Runs an example the way the README says (`tsx`), as a child process; resolves with its output. */
function runExample(name: string): Promise<{ stdout: string; stderr: string }> {
  const root = join(__dirname, '..', '..');
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', join('examples', `${name}.ts`)], { cwd: root, timeout: 45_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`examples/${name}.ts failed: ${err.message}\n${stderr}`));
      else resolve({ stdout, stderr });
    });
  });
}

const lines = (text: string, pattern: RegExp) => text.split('\n').filter((l) => pattern.test(l));

describe('agent examples run and print what they promise', () => {
  // Started together: each is a separate Node process, mostly waiting on tsx start-up.
  const runs = {
    supervisor: runExample('supervisor'),
    customAgent: runExample('custom-agent'),
    streaming: runExample('streaming'),
    langchain: runExample('langchain'),
  };
  // Attach handlers now so a failure in one is reported by its own test, not as unhandled.
  for (const p of Object.values(runs)) p.catch(() => undefined);

  it('examples/supervisor.ts: three runs, one failed, aggregated once each', async () => {
    const { stdout, stderr } = await runs.supervisor;
    expect(stderr).toBe('');
    expect(stdout).toMatch(/run for alice: success, total [\d.]+ ms \(tools [\d.]+ ms, LLM [\d.]+ ms/);
    expect(stdout).toMatch(/run for carol: error/);
    expect(stdout).toMatch(/TTFT [\d.]+ ms/);
    expect(stdout).toMatch(/aggregated: 3 runs, total p50 [\d.]+ ms, p95 [\d.]+ ms; TTFT mean [\d.]+ ms/);
    expect(stdout).toMatch(/resources: memory [\d.]+ MB, event-loop utilisation [\d.]+ %/);
  }, 60_000);

  it('examples/custom-agent.ts: every execute() is an execution, the guide style counts once per call', async () => {
    const { stdout, stderr } = await runs.customAgent;
    expect(stderr).toBe('');
    expect(lines(stdout, /^\[research_agent\] \w+ success: total [\d.]+ ms; phases: initialization [\d.]+, search [\d.]+, llm_processing [\d.]+$/)).toHaveLength(3);
    expect(lines(stdout, /^CustomAgent: execution completed in [\d.]+ms$/)).toHaveLength(2);
    expect(lines(stdout, /^\[CustomAgent\] \w+ success: total [\d.]+ ms; phases: initialization [\d.]+, processing [\d.]+$/)).toHaveLength(2);
    expect(lines(stdout, /^\[CustomAgent\]/)).toHaveLength(2);
    expect(stdout).toMatch(/\[third_party_agent\] \w+ success: total [\d.]+ ms; phases: tool_execution/);
    expect(stdout).toMatch(/answer to why\?/);
  }, 60_000);

  it('examples/streaming.ts: TTFT, phases ended on break, ReadableStream kept, time per chunk', async () => {
    const { stdout, stderr } = await runs.streaming;
    expect(stderr).toBe('');
    expect(stdout).toMatch(/answer: Streams are timed from the first pull to the end/);
    expect(stdout).toMatch(/full stream: TTFT [\d.]+ ms, llm_processing [\d.]+ ms, initialization [\d.]+ ms, total [\d.]+ ms, open phases: \[\]/);
    expect(stdout).toMatch(/early break: TTFT [\d.]+ ms, llm_processing [\d.]+ ms of [\d.]+ ms, open phases: \[\]/);
    expect(stdout).toMatch(/web stream: 5 chunks, still a ReadableStream: true/);
    expect(stdout).toMatch(/time per output chunk: 9 chunks after the first, mean [\d.]+ ms/);
  }, 60_000);

  it('examples/langchain.ts: one execution with tool and LLM phases and TTFT', async () => {
    const { stdout, stderr } = await runs.langchain;
    expect(stderr).toBe('');
    expect(stdout).toMatch(/answer: It is sunny, take sunglasses\./);
    expect(stdout).toMatch(/execution weather_agent \(success\): total [\d.]+ ms, TTFT [\d.]+ ms/);
    expect(stdout).toMatch(/tool_execution [\d.]+ ms, llm_processing [\d.]+ ms, overhead [\d.]+ ms, uncategorized 0\.0 ms/);
    for (const phase of ['get_weather', 'FakeListChatModel']) expect(stdout).toMatch(new RegExp(`phase ${phase}: [\\d.]+ ms`));
    // chain steps are framework time, not phases (chainPhases option)
    expect(stdout).not.toMatch(/phase pick_city/);
  }, 60_000);
});
