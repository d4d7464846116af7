import { metrics, type Meter } from '@opentelemetry/api';
import { SCOPE_NAME } from '../../spans/names';
import { VERSION } from '../../version';

let cached: { provider: unknown; meter: Meter } | undefined;

/**
 * The meter src/agents records with: the one given, else the global provider's `agent-timing`
 * meter, re-resolved when the registered provider changes (so instruments made before
 * startAgentTelemetry() registered its provider do not stay on the no-op one).
 */
export function agentsMeter(meter?: Meter): Meter {
  if (meter) return meter;
  const provider = metrics.getMeterProvider();
  if (!cached || cached.provider !== provider) cached = { provider, meter: provider.getMeter(SCOPE_NAME, VERSION) };
  return cached.meter;
}
