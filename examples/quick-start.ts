// The guide's Quick Start in TypeScript. Run: npx tsx examples/quick-start.ts
// (Inside this repository the package is imported from ../src; in your project: from 'agent-timing'.)
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { EnhancedExecutionTimingCollector } from '../src';

async function main(): Promise<void> {
  const collector = new EnhancedExecutionTimingCollector({ executionId: randomUUID(), agentName: 'my_agent' });

  collector.startPhase('initialization');
  await sleep(20); // ... initialization code ...
  collector.stopPhase('initialization');

  collector.startPhase('tool_execution');
  await sleep(50); // ... tool execution code ...
  collector.stopPhase('tool_execution');

  collector.recordFirstToken();

  const breakdown = collector.getBreakdown();
  console.log(`Total execution: ${breakdown.totalMs.toFixed(1)}ms`);
  console.log(`Initialization: ${breakdown.initializationMs.toFixed(1)}ms, tools: ${breakdown.toolExecutionMs.toFixed(1)}ms`);
  console.log(`TTFT: ${breakdown.ttftMs?.toFixed(1)}ms`);
  console.log(`Efficiency: ${breakdown.calculateEfficiency().toFixed(1)}%`);
}

void main();
