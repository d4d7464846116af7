/**
 * Telemetry disabled (OTEL_SDK_DISABLED=true): a phase against the true floor of timing anything
 * at all — two performance.now() calls and their difference stored into a preallocated array —
 * since the collector still computes exact breakdowns but makes no spans and records no
 * instruments. Both sides run the same number of operations per round; the collector side opens
 * its executions before the timed loop and completes them after it (untimed), so the figure is the
 * phase's cost alone (an execution's own cost is in the execution scenario).
 */
import { defineScenario, forEachChunk } from './harness';
import { sdk } from './support/otel-peers';

/**
 * Phases per round, as many as the phase scenario's (8 000): 100 executions open with 80 phases
 * each, a busy service's in-flight state. Every phase's record stays alive until its execution
 * completes (the breakdown needs it), so what a round keeps alive sets what the garbage collector
 * does in it: the previous 200 000 phases per round (40 executions × 5 000) kept ~40 MB alive per
 * round, and the profile showed 56 % of the round in the garbage collector growing and compacting
 * the old generation — the cost of a heap no service holds, against a floor that keeps nothing.
 */
const PER_EXECUTION = 80;
const EXECUTIONS = 100;
const OPS = PER_EXECUTION * EXECUTIONS;
const floorStore = new Float64Array(OPS);
let handle: { shutdown: () => Promise<void> } | undefined;
let collectors: InstanceType<typeof sdk.EnhancedExecutionTimingCollector>[] = [];

function floorLoop(from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const t0 = performance.now();
    floorStore[i] = performance.now() - t0;
  }
}
function disabledPhases(from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const c = collectors[(i / PER_EXECUTION) | 0];
    c.startPhase('tool_execution');
    c.stopPhase('tool_execution');
  }
}

export default defineScenario({
  name: 'disabled',
  description: 'one phase with OTEL_SDK_DISABLED=true vs the floor (two performance.now() into a preallocated array)',
  // Rounds of the two cases alternate, so load drifts on this shared machine hit them alike.
  interleave: true,
  rounds: 21,
  warmupRounds: 4,
  cases: [
    {
      name: 'floor: two performance.now(), difference into a preallocated Float64Array',
      peer: true,
      ops: OPS,
      run: () => forEachChunk(OPS, floorLoop),
    },
    {
      name: 'agent-timing phase, OTEL_SDK_DISABLED=true',
      ops: OPS,
      setup: () => {
        process.env.OTEL_SDK_DISABLED = 'true';
        handle = sdk.startAgentTelemetry();
      },
      beforeRound: () => {
        collectors = Array.from({ length: EXECUTIONS }, () => new sdk.EnhancedExecutionTimingCollector({ agentName: 'bench' }));
      },
      run: () => forEachChunk(OPS, disabledPhases),
      afterRound: () => {
        for (const c of collectors) c.complete();
        collectors = [];
      },
      teardown: async () => {
        delete process.env.OTEL_SDK_DISABLED;
        await handle?.shutdown();
      },
    },
  ],
});
