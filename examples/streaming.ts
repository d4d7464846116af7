// Streaming TTFT: instrumentStream() times a streamed LLM response inside an execution — TTFT at
// the first chunk, an llm_processing phase that ends exactly once (even on break), and the time
// between chunks. The "LLM" is a local async generator, so this runs offline.
// Run: npx tsx examples/streaming.ts
// (Inside this repository the package is imported from ../src; in your project: from 'agent-timing'.)
import { setTimeout as sleep } from 'node:timers/promises';
import { MeterProvider, MetricReader, type HistogramMetricData } from '@opentelemetry/sdk-metrics';
import { instrumentStream, phase, withExecution } from '../src';

/** Stands in for `await openai.chat.completions.create({ stream: true, … })`: any AsyncIterable works. */
async function* fakeLlm(answer: string, firstTokenMs: number, perTokenMs: number): AsyncGenerator<{ delta: string }> {
  await sleep(firstTokenMs);
  for (const word of answer.split(' ')) {
    yield { delta: `${word} ` };
    await sleep(perTokenMs);
  }
}

/** Stands in for a `fetch()` response body: a web ReadableStream. */
function toReadableStream<T>(source: AsyncIterator<T>): ReadableStream<T> {
  return new ReadableStream<T>({
    async pull(controller) {
      const { done, value } = await source.next();
      if (done) controller.close();
      else controller.enqueue(value);
    },
  });
}

/** A metric reader we can collect from, to print the time-per-chunk histogram. */
class PrintReader extends MetricReader {
  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

async function main(): Promise<void> {
  const reader = new PrintReader();
  const meter = new MeterProvider({ readers: [reader] }).getMeter('example');

  // 1. Read to the end.
  const full = await withExecution('chat_agent', async (collector) => {
    await phase('initialization', () => sleep(15));
    let text = '';
    for await (const chunk of instrumentStream(fakeLlm('Streams are timed from the first pull to the end', 60, 8), { meter, providerName: 'fake' })) {
      text += chunk.delta;
    }
    console.log(`answer: ${text.trim()}`);
    return collector.complete({ success: true });
  });
  console.log(
    `full stream: TTFT ${full.ttftMs!.toFixed(1)} ms, llm_processing ${full.llmProcessingMs.toFixed(1)} ms, ` +
      `initialization ${full.initializationMs.toFixed(1)} ms, total ${full.totalMs.toFixed(1)} ms, open phases: ${JSON.stringify(full.openPhases)}`,
  );

  // 2. Stop after three chunks: the phase still ends, once, at the break.
  const early = await withExecution('chat_agent', async (collector) => {
    let n = 0;
    for await (const chunk of instrumentStream(fakeLlm('one two three four five six seven eight', 30, 20))) {
      void chunk;
      if (++n === 3) break;
    }
    await sleep(30); // after the break: not LLM time
    return collector.complete({ success: true });
  });
  console.log(
    `early break: TTFT ${early.ttftMs!.toFixed(1)} ms, llm_processing ${early.llmProcessingMs.toFixed(1)} ms of ${early.totalMs.toFixed(1)} ms, ` +
      `open phases: ${JSON.stringify(early.openPhases)}`,
  );

  // 3. A web ReadableStream (e.g. a fetch() body) stays a ReadableStream.
  const web = await withExecution('web_agent', async (collector) => {
    const body = toReadableStream(fakeLlm('bytes from a web stream', 25, 5));
    const timed = instrumentStream(body);
    const chunks: unknown[] = [];
    for await (const chunk of timed as unknown as AsyncIterable<unknown>) chunks.push(chunk);
    console.log(`web stream: ${chunks.length} chunks, still a ReadableStream: ${timed instanceof ReadableStream}`);
    return collector.complete({ success: true });
  });
  console.log(`web stream: TTFT ${web.ttftMs!.toFixed(1)} ms, llm_processing ${web.llmProcessingMs.toFixed(1)} ms`);

  const { resourceMetrics } = await reader.collect();
  const metric = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.descriptor.name === 'gen_ai.client.operation.time_per_output_chunk') as
    | HistogramMetricData
    | undefined;
  const point = metric?.dataPoints[0];
  if (point) {
    console.log(`time per output chunk: ${point.value.count} chunks after the first, mean ${(((point.value.sum ?? 0) / point.value.count) * 1000).toFixed(1)} ms`);
  }
}

void main();
