/**
 * Telemetry disabled (OTEL_SDK_DISABLED=true): a phase must cost at most 2× the floor of timing
 * anything at all (two performance.now() and a record), since the collector still computes exact
 * breakdowns but makes no spans and records no instruments.
 */
import { defineScenario, yieldToEventLoop } from './harness';
import { sdk } from './support/otel-peers';

const OPS = 1_000_000;
const MASK = 0xffff;
const floorStore: number[] = [];
let handle: { shutdown: () => Promise<void> } | undefined;
let collector: InstanceType<typeof sdk.EnhancedExecutionTimingCollector> | undefined;

export default defineScenario({
  name: 'disabled',
  description: 'one phase with OTEL_SDK_DISABLED=true vs the two-timestamp floor',
  // Rounds of the two cases alternate, so load drifts on this shared machine hit them alike.
  interleave: true,
  rounds: 9,
  cases: [
    {
      name: 'floor: two performance.now() + a record',
      peer: true,
      ops: OPS,
      beforeRound: () => {
        floorStore.length = 0;
      },
      run: async () => {
        for (let i = 0; i < OPS; i++) {
          const t0 = performance.now();
          floorStore.push(performance.now() - t0);
          if ((i & MASK) === 0) await yieldToEventLoop();
        }
      },
    },
    {
      name: 'agent-timing phase, OTEL_SDK_DISABLED=true',
      ops: OPS,
      setup: () => {
        process.env.OTEL_SDK_DISABLED = 'true';
        handle = sdk.startAgentTelemetry();
      },
      run: async () => {
        for (let i = 0; i < OPS; i++) {
          if (!collector || i % 1000 === 0) {
            collector?.complete();
            collector = new sdk.EnhancedExecutionTimingCollector({ agentName: 'bench' });
          }
          collector.startPhase('tool_execution');
          collector.stopPhase('tool_execution');
          if ((i & MASK) === 0) await yieldToEventLoop();
        }
      },
      teardown: async () => {
        collector?.complete();
        collector = undefined;
        delete process.env.OTEL_SDK_DISABLED;
        await handle?.shutdown();
      },
    },
  ],
});
