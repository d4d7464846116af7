/**
 * Promise 6 — cardinality. 10 000 distinct phase names and 1 000 agent names (twice over, in a
 * clean child process: fixtures/cardinality.ts): the exported series stay under the configured
 * limits with an overflow value, the second thousand names cost no memory, and exactly one
 * warning says why. Phase names and metadata never become labels.
 */
import { runFixture } from './support/child';

interface Figures {
  bytes: number;
  seriesPerHistogram: Record<string, number>;
  agentValues: number;
  hasOther: boolean;
  hasSdkOverflow: boolean;
  phaseNamesInScrape: boolean;
  metaInScrape: boolean;
  labelNames: string[];
}

interface CardinalityResult {
  first: Figures;
  second: Figures;
  third: Figures;
  heapAfterFirst: number;
  heapAfterSecond: number;
  agentLabelValues: number;
  droppedAgentLabels: number;
  warningsAfterRounds: string[];
  phasesKept: number;
  sumOk: boolean;
  warningsAfterOneExecution: string[];
}

/** The views' aggregationCardinalityLimit (agentTimingViews default). */
const CARDINALITY_LIMIT = 2000;
const MAX_AGENT_NAMES = 100;

describe('cardinality: 10 000 phase names, 1 000 agent names', () => {
  let r: CardinalityResult;

  beforeAll(async () => {
    // Only a hang guard. The fixture needs ~18 s of CPU (12.9 user + 5.3 sys, measured alone at load
    // average 14); the full suite beside two busy loops ran at load average 16 on two cores, an
    // eighth of a core each, which is ~145 s: 90 s was crossed there (issue 13).
    r = (await runFixture<CardinalityResult>('cardinality.ts', [], { timeoutMs: 300_000 })).result;
    console.log(
      `cardinality: series per histogram ${JSON.stringify(r.second.seriesPerHistogram)}, ${r.second.agentValues} agent label values; ` +
        `heap ${(r.heapAfterFirst / 2 ** 20).toFixed(2)} MB after the first 1 000 agents / 10 000 phase names, ` +
        `${(r.heapAfterSecond / 2 ** 20).toFixed(2)} MB after the next; warnings: ${r.warningsAfterRounds.length}`,
    );
  }, 310_000);

  it('caps agent-name label values at maxAgentNames, folding the rest into "_other"', () => {
    for (const f of [r.first, r.second]) {
      expect(f.agentValues).toBe(MAX_AGENT_NAMES + 1);
      expect(f.hasOther).toBe(true);
      for (const n of Object.values(f.seriesPerHistogram)) expect(n).toBeLessThanOrEqual(CARDINALITY_LIMIT);
    }
    expect(r.agentLabelValues).toBe(MAX_AGENT_NAMES + 1);
    expect(r.droppedAgentLabels).toBeGreaterThan(0);
  });

  it('keeps phase names and metadata out of labels: only agent, category and outcome', () => {
    for (const f of [r.first, r.second, r.third]) {
      expect(f.phaseNamesInScrape).toBe(false);
      expect(f.metaInScrape).toBe(false);
      for (const label of f.labelNames) {
        expect(['gen_ai_agent_name', 'agent_timing_category', 'agent_timing_outcome', 'otel_scope_name', 'otel_scope_version', 'otel_metric_overflow']).toContain(label);
      }
    }
  });

  it('costs no memory for new names once the limit is reached', () => {
    // The bound on cardinality is asserted by counts (agentLabelValues above, scrape bytes below);
    // the heap figure only catches a gross leak. Its noise between two GC'd readings reached
    // 5.7 MB on a loaded machine (issue 13), so the margin is 12 MB: a leak of ~1.5 KB per
    // execution (10 000 in the round) would still cross it.
    expect(r.heapAfterSecond - r.heapAfterFirst).toBeLessThan(12 * 1024 * 1024);
    expect(r.second.bytes).toBeLessThan(r.first.bytes * 1.01);
  });

  it('says why in exactly one warning', () => {
    expect(r.warningsAfterRounds).toHaveLength(1);
    expect(r.warningsAfterRounds[0]).toMatch(/more than 100 distinct agent names.*"_other".*maxAgentNames/);
  });

  it('bounds the phases of one execution with 10 000 names, with one more warning of its own', () => {
    expect(r.phasesKept).toBe(1000);
    expect(r.sumOk).toBe(true);
    expect(r.warningsAfterOneExecution).toHaveLength(2);
    expect(r.warningsAfterOneExecution[1]).toMatch(/more than 1000 phase names/);
  });

  it("falls back on the SDK's own cardinality limit (overflow series) when maxAgentNames is raised past it", () => {
    for (const n of Object.values(r.third.seriesPerHistogram)) expect(n).toBeLessThanOrEqual(CARDINALITY_LIMIT);
    expect(r.third.hasSdkOverflow).toBe(true);
  });
});
