/**
 * The price of async context: an `await` with no AsyncLocalStorage store active against the same
 * `await` inside a store (what measure(fn), runInContext, withExecution, phase and BaseAgent set
 * up, and what any OpenTelemetry context manager does for every traced request). On Node 20 the
 * promise hooks that carry the store make every await inside it slower; the imperative
 * startPhase/stopPhase API never enters a store.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { defineScenario } from './harness';

const OPS = 200_000;
const als = new AsyncLocalStorage<{ id: number }>();

async function plainAwaits(): Promise<void> {
  for (let i = 0; i < OPS; i++) await i;
}
async function awaitsInStore(): Promise<void> {
  await als.run({ id: 1 }, async () => {
    for (let i = 0; i < OPS; i++) await i;
  });
}

export default defineScenario({
  name: 'async-context',
  description: 'one await, outside vs inside an AsyncLocalStorage store',
  cases: [
    { name: 'await, no store active', peer: true, ops: OPS, run: plainAwaits },
    { name: 'await inside AsyncLocalStorage.run()', ops: OPS, run: awaitsInStore },
  ],
});
