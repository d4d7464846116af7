import { expectNear, expectTtft, runFixture } from './support';

/**
 * The Vercel AI SDK 6 (`ai`, experimental_telemetry) and 7 (`ai-v7` + @ai-sdk/otel) with their mock
 * models and simulateReadableStream, inside withExecution, with no glue: the breakdown's llm and
 * tool times and the TTFT against the truth the fixture measures with performance.now().
 * (test/integration/fixtures/ai-sdk.mjs; the first text comes ~300 ms into a stream, the tool takes 100 ms.)
 */
interface Result {
  text: string;
  ttftMs?: number;
  truthTtftMs: number;
  llmMs: number;
  truthLlmMs: number;
  toolMs: number;
  truthToolMs: number;
  uncategorizedMs: number;
  totalMs: number;
  spans: { name: string; op?: string }[];
}

function check(r: Result, withTool: boolean): void {
  expect(r.text).toBe('Hello from the model.');
  expectNear(r.llmMs, r.truthLlmMs, 'llm');
  if (withTool) {
    expect(r.truthToolMs).toBeGreaterThanOrEqual(99);
    expectNear(r.toolMs, r.truthToolMs, 'tool');
  } else expect(r.toolMs).toBe(0);
  expect(r.uncategorizedMs).toBeLessThan(0.15 * r.totalMs);
  expectTtft(r.ttftMs, r.truthTtftMs);
}

describe('Vercel AI SDK 6 (experimental_telemetry)', () => {
  it('streamText: the doStream span is LLM time and its first chunk the TTFT', async () => {
    const r = await runFixture<Result>('ai-sdk.mjs', ['v6', 'stream']);
    expect(r.spans.map((s) => s.name).sort()).toEqual(['ai.streamText', 'ai.streamText.doStream', 'invoke_agent ai_sdk_v6_stream']);
    check(r, false);
  });

  it('a tool loop: the tool keeps its time though ai.toolCall overlaps the open stream; TTFT skips the tool-call step', async () => {
    const r = await runFixture<Result>('ai-sdk.mjs', ['v6', 'tools']);
    expect(r.spans.filter((s) => s.name === 'ai.toolCall')).toHaveLength(1);
    check(r, true);
  });
});

describe('Vercel AI SDK 7 (@ai-sdk/otel OpenTelemetry integration)', () => {
  it('streamText: chat spans are LLM time, time_to_first_chunk the TTFT', async () => {
    const r = await runFixture<Result>('ai-sdk.mjs', ['v7', 'stream']);
    expect(r.spans.map((s) => s.op)).toEqual(expect.arrayContaining(['chat', 'agent_step', 'invoke_agent']));
    check(r, false);
  });

  it('a tool loop: execute_tool is tool time, the tool-call step gives no TTFT', async () => {
    const r = await runFixture<Result>('ai-sdk.mjs', ['v7', 'tools']);
    expect(r.spans.filter((s) => s.op === 'execute_tool')).toHaveLength(1);
    check(r, true);
  });
});
