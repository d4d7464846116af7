/**
 * One /metrics scrape with 100 agents × 9 categories × 2 outcomes recorded: the time the endpoint
 * takes to answer over loopback HTTP, and the size of the answer.
 */
import { defineScenario } from './harness';
import { sdk } from './support/otel-peers';

let url = '';
let handle: { shutdown: () => Promise<void> } | undefined;
let lastBytes = 0;
const OPS = 20;

export default defineScenario({
  name: 'scrape',
  description: '/metrics scrape with 100 agents × 9 categories',
  cases: [
    {
      name: 'scrape /metrics (100 agents × 9 categories)',
      ops: OPS,
      setup: async () => {
        const t = sdk.startAgentTelemetry({ prometheus: { host: '127.0.0.1', port: 0 }, otlp: false, aggregator: false });
        handle = t;
        url = (await t.metricsEndpoint).url!;
        for (let a = 0; a < 100; a++) {
          for (const success of [true, false]) {
            const c = new sdk.EnhancedExecutionTimingCollector({ agentName: `agent_${a}` });
            for (const p of ['initialization', 'tool_execution', 'llm_processing', 'websocket_notification', 'database_query', 'external_api', 'queue_wait', 'step']) {
              c.startPhase(p);
              const end = performance.now() + 0.05;
              while (performance.now() < end);
              c.stopPhase(p);
            }
            c.recordFirstToken();
            c.complete({ success });
          }
        }
      },
      run: async () => {
        for (let i = 0; i < OPS; i++) lastBytes = (await (await fetch(url)).arrayBuffer()).byteLength;
      },
      measure: () => ({ responseBytes: lastBytes }),
      teardown: () => handle?.shutdown(),
    },
  ],
});
