import { MetricSeries } from '../../src/aggregation/metric-series';
import { SlotClock } from '../../src/aggregation/slot-clock';
import { HOUR, MINUTE, NOON, SECOND } from './support';

const SETTINGS = { relativeAccuracy: 0.01, maxBins: 1024 };

function setup(retentionSlots = 24) {
  const clock = new SlotClock(retentionSlots);
  clock.advance(NOON);
  return { clock, series: new MetricSeries(SETTINGS, 6, retentionSlots) };
}

describe('MetricSeries', () => {
  it('moves slots down a level as they age without losing or double-counting anything', () => {
    const { clock, series } = setup();
    for (let i = 0; i < 600; i++) series.add(i, NOON - i * 5 * SECOND, clock); // the last 50 minutes
    expect(series.liveSlots()[0]).toBe(60);
    for (let step = 0; step < 6 * 60; step++) {
      clock.advance(clock.nowMs + 10 * SECOND);
      series.rotate(clock);
      expect(series.countSince(-Infinity)).toBe(600);
    }
    // An hour later everything sits in the coarse slots of 11:00 and 12:00.
    expect(series.liveSlots()).toEqual([0, 0, 2]);
    const all = series.query(-Infinity, Infinity, clock);
    expect(all.stats.count).toBe(600);
    expect(all.stats.sum).toBe((599 * 600) / 2);
    expect(all.sketch?.count).toBe(600);
    expect(series.takeExpired()).toBe(0);
  });

  it('expires slots before retention and reports them once', () => {
    const { clock, series } = setup(2);
    series.add(1, NOON - HOUR, clock);
    series.add(2, NOON, clock);
    clock.advance(NOON + HOUR);
    series.rotate(clock);
    expect(series.takeExpired()).toBe(1);
    expect(series.takeExpired()).toBe(0);
    expect(series.countSince(-Infinity)).toBe(1);
  });

  it('queries [from, to) by slot start', () => {
    const { clock, series } = setup();
    series.add(1, NOON - 5 * MINUTE - 1, clock);
    series.add(2, NOON - 5 * MINUTE, clock);
    series.add(3, NOON, clock);
    expect(series.query(NOON - 5 * MINUTE, NOON, clock).stats.count).toBe(1);
    expect(series.query(NOON - 5 * MINUTE, Infinity, clock).stats.sum).toBe(5);
  });

  it('invalidates the cached merge when a closed slot changes', () => {
    const { clock, series } = setup();
    series.add(1, NOON - 30 * MINUTE, clock);
    expect(series.query(-Infinity, Infinity, clock).stats.count).toBe(1);
    series.add(1, NOON - 40 * MINUTE, clock); // late: a closed slot
    expect(series.query(-Infinity, Infinity, clock).stats.count).toBe(2);
    series.add(1, NOON, clock); // open slot: merged at query time, not cached
    expect(series.query(-Infinity, Infinity, clock).stats.count).toBe(3);
  });

  it('clear() frees everything and returns the count', () => {
    const { clock, series } = setup();
    series.add(1, NOON, clock);
    series.add(1, NOON - 2 * HOUR, clock);
    expect(series.clear()).toBe(2);
    expect(series.liveSlots()).toEqual([0, 0, 0]);
    expect(series.binCount()).toBe(0);
  });
});
