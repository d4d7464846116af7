import type { Attributes } from '@opentelemetry/api';
import { reportDrop } from '../internal/diag';
import { limits } from '../internal/limits';
import { BREAKDOWN_CATEGORIES } from '../breakdown/categories';
import { LABEL_AGENT, LABEL_CATEGORY, LABEL_OUTCOME, OVERFLOW_LABEL_VALUE } from '../spans/names';

export type Outcome = 'success' | 'error';

/** The attribute sets one (agent, outcome) records with: built once, then reused for every record. */
export interface LabelSets {
  /** { agent, outcome }: the execution and TTFT histograms. */
  readonly base: Attributes;
  /** { agent, outcome, category } by index into BREAKDOWN_CATEGORIES: the phase histogram. */
  readonly byCategory: readonly Attributes[];
}

/**
 * Bounded, cached metric attribute sets. Only three labels ever reach a metric (agent name,
 * category, outcome), agent names are capped at limits.maxAgentNames distinct values (later ones
 * become `_other`, with one warning), and each attribute set is built once and reused, so the record
 * path neither allocates nor builds keys.
 */
const agents = new Map<string, { success: LabelSets; error: LabelSets }>();

function labelSets(agent: string, outcome: Outcome): LabelSets {
  return {
    base: Object.freeze({ [LABEL_AGENT]: agent, [LABEL_OUTCOME]: outcome }),
    byCategory: BREAKDOWN_CATEGORIES.map((c) => Object.freeze({ [LABEL_AGENT]: agent, [LABEL_OUTCOME]: outcome, [LABEL_CATEGORY]: c })),
  };
}

/** The label sets of an agent name and outcome (`_other` once the agent-name budget is spent). */
export function labelsFor(agentName: string, outcome: Outcome): LabelSets {
  let entry = agents.get(agentName);
  if (!entry) {
    let label = agentName;
    if (agents.size >= limits.maxAgentNames) {
      reportDrop(
        'agent-label-overflow',
        `more than ${limits.maxAgentNames} distinct agent names: further ones are labelled "${OVERFLOW_LABEL_VALUE}" ` +
          'in metrics (spans keep the real name); raise maxAgentNames if this is expected',
      );
      label = OVERFLOW_LABEL_VALUE;
      entry = agents.get(label);
    }
    if (!entry) {
      entry = { success: labelSets(label, 'success'), error: labelSets(label, 'error') };
      agents.set(label, entry);
    }
  }
  return outcome === 'error' ? entry.error : entry.success;
}

/** How many distinct agent label values are in use (including the overflow value). */
export function agentLabelCount(): number {
  return agents.size;
}

/** For tests and shutdown. */
export function resetLabels(): void {
  agents.clear();
}
