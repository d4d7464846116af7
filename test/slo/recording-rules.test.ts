import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { generateRecordingRules } from '../../src/slo/recording-rules';
import { LEVELS, RECORDED_QUANTILES, RECORDING_WINDOWS, recordName } from '../../src/slo/rule-names';

const COMMITTED = join(__dirname, '..', '..', 'collector-config', 'rules', 'agent-timing.rules.yml');

describe('generateRecordingRules', () => {
  it('writes the committed collector-config/rules/agent-timing.rules.yml', () => {
    expect(generateRecordingRules()).toBe(readFileSync(COMMITTED, 'utf8'));
  });

  it('records p50/p95/p99 of the three histograms, throughput, errors and shares per window and level', () => {
    const rules: Array<{ record: string; labels?: { quantile?: string } }> = parse(generateRecordingRules()).groups.flatMap((g: any) => g.rules);
    const names = new Set(rules.map((r) => r.record));
    for (const w of RECORDING_WINDOWS) {
      for (const level of LEVELS) {
        for (const metric of ['agent_execution_duration_seconds', 'agent_time_to_first_token_seconds', 'agent_phase_duration_seconds']) {
          const quantiles = rules.filter((r) => r.record === recordName.quantile(level, metric, w)).map((r) => r.labels?.quantile);
          expect(quantiles).toEqual([...RECORDED_QUANTILES]);
        }
        expect(names).toContain(recordName.executionRate(level, w));
        expect(names).toContain(recordName.errorRatio(level, w));
        expect(names).toContain(recordName.categoryShare(level, w));
      }
    }
    expect(RECORDING_WINDOWS).toEqual(['1m', '5m', '1h']);
  });
});
