/**
 * A peer library: the same wrapped tool call traced by OpenInference (Arize's
 * @arizeai/openinference-core `traceTool`, the analogue of OpenLLMetry's `withTask`, whose own SDK
 * would bring a second OpenTelemetry line into this tree) and by agent-timing's
 * `collector.measure(name, undefined, fn)`. Both run the function inside an active span context
 * (AsyncLocalStorage, as startAgentTelemetry() registers it), on providers with a
 * BatchSpanProcessor into a null exporter; both sides' spans are children of an execution-level
 * span rotated every 1 000 calls. OpenInference is used as documented, defaults included: its span
 * gets `openinference.span.kind=TOOL`, the tool's output (here the number 21) as `output.value` and
 * `output.mime_type`, and an OK status; three attributes, as many as agent-timing's tool phase
 * (`execute_tool`); the uncategorized phase carries none.
 */
import { context } from '@opentelemetry/api';
import { traceTool } from '@arizeai/openinference-core';
import { defineScenario } from './harness';
import { BareRoot, bareTracer, forEachSpanChunk, RotatingCollector, startDefaultTelemetry } from './support/otel-peers';

const OPS = 200_000;
/** Calls per entry into the execution span's context on the peer side (see openInferenceTools). */
const BATCH = 100;
let shutdown: (() => Promise<void>) | undefined;
const bare = bareTracer();
// Rotated once per BATCH calls: every 10 ticks is every 1 000 calls, like the collectors below.
const peerRoot = new BareRoot(bare.tracer, 1_000 / BATCH);
const collectors = new RotatingCollector();

function lookUpWeather(): number {
  return 21;
}
const tracedLookUp = traceTool(lookUpWeather, { tracer: bare.tracer, name: 'weather' });

// One loop function per case: shared closures would make V8's type feedback polymorphic.
function openInferenceTools(from: number, to: number): void {
  // The execution span's context is entered once per BATCH calls, not per call: a context.with()
  // per call would charge the peer a second AsyncLocalStorage entry that agent-timing does not pay.
  for (let i = from; i < to; i += BATCH) {
    const n = Math.min(BATCH, to - i);
    context.with(peerRoot.tick(), () => {
      for (let k = 0; k < n; k++) tracedLookUp();
    });
  }
}
function measuredTools(from: number, to: number): void {
  for (let i = from; i < to; i++) collectors.at(i).measure('weather', undefined, lookUpWeather);
}
function measuredToolPhases(from: number, to: number): void {
  for (let i = from; i < to; i++) collectors.at(i).measure('tool_execution', undefined, lookUpWeather);
}

export default defineScenario({
  name: 'peer-library',
  description: 'a wrapped tool call: OpenInference traceTool() vs agent-timing measure()',
  rounds: 9,
  // Rounds of the cases alternate, so load drifts on this shared machine hit them alike.
  interleave: true,
  cases: [
    {
      name: 'OpenInference traceTool() (@arizeai/openinference-core) + BatchSpanProcessor',
      peer: true,
      ops: OPS,
      run: () => forEachSpanChunk(OPS, openInferenceTools),
    },
    {
      name: "agent-timing measure('weather', fn), no category (no attributes)",
      ops: OPS,
      // Registers the AsyncLocalStorage context manager both sides' active spans go through.
      setup: async () => {
        shutdown = (await startDefaultTelemetry()).shutdown;
      },
      run: () => forEachSpanChunk(OPS, measuredTools),
    },
    {
      name: "agent-timing measure('tool_execution', fn) (execute_tool, 3 attributes)",
      ops: OPS,
      run: () => forEachSpanChunk(OPS, measuredToolPhases),
      teardown: async () => {
        collectors.end();
        peerRoot.end();
        await shutdown?.();
        await bare.provider.shutdown();
      },
    },
  ],
});
