import { expectNear, expectTtft, runFixture } from './support';

/**
 * `openai` 6 + @opentelemetry/instrumentation-openai, set up as the NodeSDK section of docs/telemetry.md
 * shows (plus the OpenAI instrumentation), streaming from a loopback SSE server whose first
 * content delta follows an empty role chunk by ~300 ms (test/integration/fixtures/openai-stream.mjs).
 */
interface Result {
  ttftMs?: number;
  truthTtftMs: number;
  llmMs: number;
  truthLlmMs: number;
  uncategorizedMs: number;
  externalApiMs: number;
  totalMs: number;
  foreignSpanCount: number;
}

describe('openai + @opentelemetry/instrumentation-openai, streaming', () => {
  it('gives LLM time and a TTFT at the first content delta with no wrapper in user code', async () => {
    const r = await runFixture<Result>('openai-stream.mjs');
    expect(r.foreignSpanCount).toBeGreaterThanOrEqual(1);
    expect(r.truthTtftMs).toBeGreaterThanOrEqual(299);
    expectNear(r.llmMs, r.truthLlmMs, 'llm');
    expect(r.externalApiMs).toBeLessThan(25); // the HTTP under the chat span is the LLM call's transport
    expect(r.uncategorizedMs).toBeLessThan(0.15 * r.totalMs);
    expectTtft(r.ttftMs, r.truthTtftMs);
  });
});
