// The category of a new phase: from its metadata, else from its name, else from its metric type.
import { categoryFromName, categoryOfMetricType, type PhaseCategory } from '../breakdown/categories';
import type { MetricType } from '../types/metric-type';

/** Never throws: a metadata object whose `category` getter throws counts as having none. */
export function safeCategory(metadata: unknown, nameCategory: PhaseCategory | undefined, metricType: MetricType | undefined): PhaseCategory | undefined {
  let fromMetadata: PhaseCategory | undefined;
  if (metadata !== null && typeof metadata === 'object') {
    try {
      fromMetadata = categoryFromName((metadata as Record<string, unknown>).category);
    } catch {
      fromMetadata = undefined;
    }
  }
  return fromMetadata ?? nameCategory ?? categoryOfMetricType(metricType);
}
