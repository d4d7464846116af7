// LangChain.js: one callback handler times a runnable sequence with a tool and a chat model — the
// root chain is an execution, the tool a tool_execution phase, the model llm_processing with TTFT
// at its first streamed token with visible text; the chain's own steps (pick_city, build_prompt)
// are framework time (overhead). Spans made inside the tool or the model (fetch, pg, an LLM
// client) would be children of their phase. Uses LangChain's fake chat model, so it runs offline.
// Run: npx tsx examples/langchain.ts
// (Inside this repository the package is imported from ../src; in your project: from 'agent-timing'
// and the handler from 'agent-timing/langchain'.)
import { setTimeout as sleep } from 'node:timers/promises';
import { RunnableLambda, RunnableSequence } from '@langchain/core/runnables';
import { tool } from '@langchain/core/tools';
import { FakeListChatModel } from '@langchain/core/utils/testing';
import { onExecutionComplete, type TimingBreakdown } from '../src';
import { AgentTimingCallbackHandler } from '../src/agents/langchain';

const weather = tool(
  async ({ city }: { city: string }) => {
    await sleep(40); // a slow API
    return `sunny in ${city}`;
  },
  {
    name: 'get_weather',
    description: 'Current weather for a city',
    schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
);

const model = new FakeListChatModel({ responses: ['It is sunny, take sunglasses.'], sleep: 4 });

const chain = RunnableSequence.from([
  RunnableLambda.from((question: string) => ({ city: question.includes('Paris') ? 'Paris' : 'Berlin' })).withConfig({ runName: 'pick_city' }),
  weather,
  RunnableLambda.from((report: string) => `Weather report: ${report}. Advise the user.`).withConfig({ runName: 'build_prompt' }),
  model,
]).withConfig({ runName: 'weather_agent' });

async function main(): Promise<void> {
  const done = new Promise<TimingBreakdown>((resolve) => onExecutionComplete((b) => resolve(b)));
  const handler = new AgentTimingCallbackHandler();

  let answer = '';
  for await (const chunk of await chain.stream('Weather in Paris?', { callbacks: [handler] })) answer += String(chunk.content);
  console.log(`answer: ${answer}`);

  const b = await done;
  console.log(`execution ${b.agentName} (${b.outcome}): total ${b.totalMs.toFixed(1)} ms, TTFT ${b.ttftMs!.toFixed(1)} ms`);
  console.log(`  tool_execution ${b.toolExecutionMs.toFixed(1)} ms, llm_processing ${b.llmProcessingMs.toFixed(1)} ms, overhead ${b.overheadMs.toFixed(1)} ms, uncategorized ${b.uncategorizedMs.toFixed(1)} ms`);
  for (const [name, ms] of Object.entries(b.phases)) console.log(`  phase ${name}: ${ms.toFixed(1)} ms`);
}

void main();
