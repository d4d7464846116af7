import fc from 'fast-check';
import { RecentMetricsBuffer } from '../../src/aggregation/recent-metrics-buffer';
import { METRIC_TYPES } from '../../src/aggregation/metric-type-index';

describe('RecentMetricsBuffer', () => {
  it('matches a keep-the-last-N model through growth, wrap-around and retention drops (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3000 }),
        fc.array(fc.oneof(fc.record({ t: fc.integer({ min: 0, max: 10_000 }) }), fc.record({ drop: fc.integer({ min: 0, max: 10_000 }) })), { maxLength: 4000 }),
        fc.integer({ min: 0, max: 10_000 }),
        (capacity, ops, from) => {
          const buffer = new RecentMetricsBuffer(capacity);
          let model: { t: number; seq: number }[] = [];
          ops.forEach((op, seq) => {
            if ('t' in op) {
              buffer.push(seq % METRIC_TYPES.length, seq, op.t, `e${seq}`, undefined, undefined);
              model.push({ t: op.t, seq });
              if (model.length > capacity) model.shift();
            } else {
              buffer.dropOlderThan(op.drop);
              // Only the arrival-order prefix older than the cutoff is dropped.
              let k = 0;
              while (k < model.length && model[k].t < op.drop) k++;
              model = model.slice(k);
            }
          });
          expect(buffer.length).toBe(model.length);
          const expected = model
            .filter((m) => m.t >= from)
            .sort((a, b) => a.t - b.t || a.seq - b.seq)
            .map((m) => m.seq);
          expect(buffer.exportSince(from).map((m) => m.value)).toEqual(expected);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('exports plain metrics with only the fields that were set', () => {
    const buffer = new RecentMetricsBuffer(10);
    buffer.push(0, 1.5, 100, undefined, undefined, undefined);
    buffer.push(1, 2, 200, 'e', 'agent', { k: 1 });
    expect(buffer.exportSince(0)).toEqual([
      { metricType: METRIC_TYPES[0], value: 1.5, timestamp: 100 },
      { metricType: METRIC_TYPES[1], value: 2, timestamp: 200, executionId: 'e', agentName: 'agent', metadata: { k: 1 } },
    ]);
  });

  it('allocates lazily: an idle buffer holds no columns', () => {
    const buffer = new RecentMetricsBuffer(10_000);
    expect(buffer.length).toBe(0);
    buffer.clear();
    expect(buffer.exportSince(0)).toEqual([]);
  });
});
