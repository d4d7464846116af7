// The guide's "Adding to Custom Agents" in TypeScript: BaseAgent instruments every execute(),
// concurrent calls included. Also the guide's own style (the agent makes its own collector), and
// instrumentAgent() for an agent that does not extend BaseAgent.
// Run: npx tsx examples/custom-agent.ts
// (Inside this repository the package is imported from ../src; in your project: from 'agent-timing'.)
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  BaseAgent,
  EnhancedExecutionTimingCollector,
  instrumentAgent,
  onExecutionComplete,
  phase,
  type ExecutionContext,
  type TimingBreakdown,
} from '../src';

// Print every execution that completes in this process.
onExecutionComplete((b: TimingBreakdown) => {
  const phases = Object.entries(b.phases)
    .map(([name, ms]) => `${name} ${ms.toFixed(1)}`)
    .join(', ');
  console.log(`[${b.agentName}] ${b.executionId.slice(0, 8)} ${b.outcome}: total ${b.totalMs.toFixed(1)} ms; phases: ${phases || '(none)'}`);
});

/** No timing code beyond naming phases: every execute() call is an execution. */
class ResearchAgent extends BaseAgent {
  constructor() {
    super({ name: 'research_agent' });
  }

  async execute(context: ExecutionContext): Promise<string> {
    await phase('initialization', () => sleep(10));
    const hits = await phase('search', () => sleep(20).then(() => 3), { category: 'external_api' });
    this.timingCollector!.recordFirstToken(); // this call's collector, even with calls running concurrently
    await phase('llm_processing', () => sleep(25));
    return `${context.runId.slice(0, 8)}: ${hits} sources`;
  }
}

/** The guide's example as written: it makes and stores its own collector. */
class CustomAgent extends BaseAgent {
  constructor() {
    super();
    this.timingCollector = undefined;
  }

  async execute(context: ExecutionContext): Promise<unknown> {
    // Initialize timing for this execution
    this.timingCollector = new EnhancedExecutionTimingCollector({ executionId: context.runId, agentName: this.name });
    // Track initialization
    this.timingCollector.startPhase('initialization');
    await this.initialize();
    this.timingCollector.stopPhase('initialization');
    // Track main execution
    this.timingCollector.startPhase('processing');
    const result = await this.process();
    this.timingCollector.stopPhase('processing');
    // Get performance metrics
    const breakdown = this.timingCollector.getBreakdown();
    console.log(`CustomAgent: execution completed in ${breakdown.totalMs.toFixed(1)}ms`);
    return result;
  }

  private initialize(): Promise<void> {
    return sleep(10);
  }

  private process(): Promise<string> {
    return sleep(15).then(() => 'processed');
  }
}

async function main(): Promise<void> {
  const research = new ResearchAgent();
  const results = await Promise.all([1, 2, 3].map(() => research.execute({ runId: randomUUID(), agentName: 'research_agent', userId: 'u1' })));
  console.log(`research results: ${results.join(' | ')}`);

  const custom = new CustomAgent();
  await Promise.all([custom.execute({ runId: randomUUID(), agentName: 'custom' }), custom.execute({ runId: randomUUID(), agentName: 'custom' })]);

  // An agent object from elsewhere: instrumented in place.
  const thirdParty = instrumentAgent(
    {
      async run(question: string): Promise<string> {
        await phase('tool_execution', () => sleep(12));
        return `answer to ${question}`;
      },
    },
    { name: 'third_party_agent' },
  );
  console.log(await thirdParty.run('why?'));
}

void main();
