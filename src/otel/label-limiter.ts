import type { Attributes } from '@opentelemetry/api';
import { reportDrop } from '../internal/diag';
import { limits } from '../internal/limits';
import { LABEL_AGENT, LABEL_CATEGORY, LABEL_OUTCOME, OVERFLOW_LABEL_VALUE } from './names';

/**
 * Bounded, cached metric attribute sets. Only three labels ever reach a metric (agent name,
 * category, outcome), agent names are capped at limits.maxAgentNames distinct values (later ones
 * become `_other`, with one warning), and each attribute set is built once and reused, which also
 * keeps the record path free of allocations.
 */
const agents = new Map<string, Map<string, Attributes>>();

function agentLabel(agentName: string): string {
  if (agents.has(agentName)) return agentName;
  if (agents.size >= limits.maxAgentNames) {
    reportDrop(
      'agent-label-overflow',
      `more than ${limits.maxAgentNames} distinct agent names: further ones are labelled "${OVERFLOW_LABEL_VALUE}" ` +
        'in metrics (spans keep the real name); raise maxAgentNames if this is expected',
    );
    return OVERFLOW_LABEL_VALUE;
  }
  return agentName;
}

/** The attribute set for (agent, outcome[, category]); the same object every time. */
export function metricAttributes(agentName: string, outcome: string, category?: string): Attributes {
  const label = agentLabel(agentName);
  let sets = agents.get(label);
  if (!sets) {
    sets = new Map();
    agents.set(label, sets);
  }
  const key = category === undefined ? outcome : `${outcome}\u0000${category}`;
  let attrs = sets.get(key);
  if (!attrs) {
    attrs = { [LABEL_AGENT]: label, [LABEL_OUTCOME]: outcome };
    if (category !== undefined) attrs[LABEL_CATEGORY] = category;
    sets.set(key, attrs);
  }
  return attrs;
}

/** How many distinct agent label values are in use (including the overflow value). */
export function agentLabelCount(): number {
  return agents.size;
}

/** For tests and shutdown. */
export function resetLabels(): void {
  agents.clear();
}
