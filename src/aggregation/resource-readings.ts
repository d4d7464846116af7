import { reportDrop } from '../internal/diag';

/**
 * The latest reading of each named resource gauge (cpuPercent, memoryMb, threadCount,
 * eventLoopUtilizationPercent, threadPoolPercent, …) for the performance summary. Only the newest
 * reading by timestamp is kept — a late reading never replaces a newer one — and the number of
 * names is capped, so a caller inventing names per request cannot grow it.
 */
export class ResourceReadings {
  private readonly latest = new Map<string, { value: number; timestamp: number }>();

  constructor(private readonly maxKeys: number) {}

  /** Records one reading; returns false (after reporting the drop) when it was unusable. */
  record(name: string, value: unknown, timestamp: number): boolean {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      reportDrop('aggregator-invalid-resource-value', `resource reading "${name}" must be a finite number ≥ 0; it was dropped`);
      return false;
    }
    const prev = this.latest.get(name);
    if (prev === undefined && this.latest.size >= this.maxKeys) {
      reportDrop(
        'aggregator-resource-key-limit',
        `more than ${this.maxKeys} resource names were recorded; "${name}" and later new names were dropped (raise maxResourceKeys)`,
      );
      return false;
    }
    if (prev === undefined || timestamp >= prev.timestamp) this.latest.set(name, { value, timestamp });
    return true;
  }

  /** Latest value per name, as a fresh plain object. */
  snapshot(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [name, r] of this.latest) out[name] = r.value;
    return out;
  }

  clear(): void {
    this.latest.clear();
  }
}
