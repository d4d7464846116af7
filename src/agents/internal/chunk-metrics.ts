import type { Attributes, Histogram, Meter } from '@opentelemetry/api';
import { limits } from '../../internal/limits';
import {
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  GEN_AI_OPERATION_CHAT,
  METRIC_GEN_AI_CLIENT_TIME_PER_OUTPUT_CHUNK,
} from '../../spans/semconv';
import { agentsMeter } from './meter';

/** Bucket boundaries the GenAI semantic conventions advise for time_per_output_chunk (seconds). */
export const TIME_PER_OUTPUT_CHUNK_BUCKETS = [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5];

const byMeter = new WeakMap<Meter, Histogram>();

function histogramFor(meter?: Meter): Histogram {
  const m = agentsMeter(meter);
  let h = byMeter.get(m);
  if (!h) {
    h = m.createHistogram(METRIC_GEN_AI_CLIENT_TIME_PER_OUTPUT_CHUNK, {
      unit: 's',
      description: 'Time between consecutive output chunks of a streamed GenAI response, recorded for each chunk after the first',
      advice: { explicitBucketBoundaries: TIME_PER_OUTPUT_CHUNK_BUCKETS },
    });
    byMeter.set(m, h);
  }
  return h;
}

/** What a chunk observation is labelled with: low-cardinality GenAI attributes only. */
export interface ChunkLabels {
  operationName?: string;
  providerName?: string;
  requestModel?: string;
}

/** The attribute set for the given labels (validated; built once per stream). */
export function chunkAttributes(labels: ChunkLabels | undefined): Attributes {
  const out: Attributes = { [ATTR_GEN_AI_OPERATION_NAME]: GEN_AI_OPERATION_CHAT };
  if (!labels) return out;
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim().slice(0, 128) : undefined);
  const op = str(labels.operationName);
  if (op) out[ATTR_GEN_AI_OPERATION_NAME] = op;
  const provider = str(labels.providerName);
  if (provider) out[ATTR_GEN_AI_PROVIDER_NAME] = provider;
  const model = str(labels.requestModel);
  if (model) out[ATTR_GEN_AI_REQUEST_MODEL] = model;
  return out;
}

/** Records one time-per-output-chunk observation (ms in, seconds out). Never throws. */
export function recordChunkInterval(ms: number, attributes: Attributes, meter?: Meter): void {
  if (limits.disabled || !(ms >= 0)) return;
  try {
    histogramFor(meter).record(ms / 1000, attributes);
  } catch {
    // a broken meter provider must not break the stream
  }
}
