import { combineRuns } from '../../bench/combine';
import type { CaseResult, ScenarioResult } from '../../bench/harness';

function caseResult(name: string, medianNsPerOp: number, extra: Partial<CaseResult> = {}): CaseResult {
  return {
    scenario: 's',
    group: 'g',
    name,
    peer: false,
    timing: { medianNsPerOp, minNsPerOp: medianNsPerOp - 1, maxNsPerOp: medianNsPerOp + 1, opsPerSec: 1e9 / medianNsPerOp, rounds: 7, ops: 10 },
    figures: {},
    ratios: {},
    ...extra,
  };
}

const run = (peerNs: number, caseNs: number, ratio: number, heap: number): ScenarioResult => ({
  name: 's',
  description: 'd',
  cases: [caseResult('peer', peerNs, { peer: true }), caseResult('ours', caseNs, { ratios: { time: ratio }, figures: { heapBytes: heap } })],
});

describe('combineRuns (bench --processes)', () => {
  it('takes per case the median over processes of times, figures and ratios; min and max over all', () => {
    const c = combineRuns([run(100, 150, 0.7, 10), run(300, 330, 0.9, 30), run(110, 140, 0.8, 20)]);
    expect(c.processes).toBe(3);
    const [peer, ours] = c.cases;
    expect(peer.timing).toMatchObject({ medianNsPerOp: 110, minNsPerOp: 99, maxNsPerOp: 301 });
    expect(ours.timing?.medianNsPerOp).toBe(150);
    expect(ours.timing?.opsPerSec).toBeCloseTo(1e9 / 150);
    // The ratio is the median of each process's own (paired) ratio, not 110 / 150.
    expect(ours.ratios.time).toBe(0.8);
    expect(ours.figures.heapBytes).toBe(20);
    expect(peer.peer).toBe(true);
  });

  it('averages the two middle values for an even number of processes', () => {
    const c = combineRuns([run(100, 200, 0.5, 1), run(120, 220, 0.7, 3)]);
    expect(c.cases[1].ratios.time).toBeCloseTo(0.6);
    expect(c.cases[0].timing?.medianNsPerOp).toBe(110);
  });

  it('refuses runs that do not list the same cases', () => {
    const other: ScenarioResult = { ...run(1, 1, 1, 1), cases: [caseResult('peer', 1), caseResult('someone else', 1)] };
    expect(() => combineRuns([run(1, 1, 1, 1), other])).toThrow(/did not run the same cases/);
    expect(() => combineRuns([])).toThrow(/at least one run/);
  });
});
