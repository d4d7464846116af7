import type { Agent, ClientRequestArgs } from 'node:http';
import type { Duplex } from 'node:stream';

/** Error code of exports cut off by shutdown; the OTLP exporter does not retry it. */
const CLOSED_CODE = 'ERR_AGENT_TIMING_SHUT_DOWN';

function closedError(): Error {
  return Object.assign(new Error('agent-timing: telemetry was shut down; the span export was abandoned'), { code: CLOSED_CODE });
}

/** The HTTP agent of the OTLP exporter, made on first export, and a way to cut it off. */
export interface ExportAgent {
  /** For the exporter's `httpAgentOptions`. */
  readonly factory: (protocol: string) => Agent;
  /** Aborts requests in flight and fails later ones at once (not retried). */
  close(): void;
}

/**
 * A keep-alive agent for the OTLP exporter that shutdown can close. Without it, a backend that
 * accepts and never answers keeps a socket, the exporter's retry timer and the batch processor's
 * export timer (neither unref()'d by the SDK) alive until the export timeout, so the process
 * cannot exit for up to that long after shutdown() gave up. The module is require()d at first
 * export rather than imported: same laziness as the exporter's own dynamic import() (so an http
 * instrumentation can patch it first), and it also works inside test VMs and bundles.
 */
export function exportAgent(): ExportAgent {
  let agent: Agent | undefined;
  let closed = false;
  return {
    factory: (protocol: string) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = protocol === 'https:' ? (require('node:https') as typeof import('node:https')) : (require('node:http') as typeof import('node:http'));
      const a = new mod.Agent({ keepAlive: true });
      const create = a.createConnection.bind(a);
      a.createConnection = (options: ClientRequestArgs, callback?: (err: Error | null, stream: Duplex) => void) => {
        if (!closed) return create(options, callback);
        process.nextTick(() => callback?.(closedError(), undefined as unknown as Duplex));
        return undefined;
      };
      agent = a;
      return a;
    },
    close: () => {
      closed = true;
      if (!agent) return;
      for (const list of Object.values(agent.sockets)) for (const socket of list ?? []) socket.destroy(closedError());
      agent.destroy();
    },
  };
}
