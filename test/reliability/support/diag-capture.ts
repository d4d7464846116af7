import { DiagLogLevel, type DiagLogger } from '@opentelemetry/api';

export interface CapturedLog {
  level: 'error' | 'warn' | 'info' | 'debug' | 'verbose';
  message: string;
}

/**
 * A DiagLogger that keeps what it is given, for asserting on agent-timing's (and the SDK's) own
 * warnings. Install it with `diag.setLogger(capture.logger, { logLevel, suppressOverrideMessage: true })`.
 */
export function diagCapture(): { logger: DiagLogger; logs: CapturedLog[]; at(level: CapturedLog['level']): string[] } {
  const logs: CapturedLog[] = [];
  const keep =
    (level: CapturedLog['level']) =>
    (message: string, ...args: unknown[]): void => {
      const extra = args.map((a) => (a instanceof Error ? a.message : typeof a === 'string' ? a : '')).filter(Boolean);
      logs.push({ level, message: [message, ...extra].join(' ') });
    };
  return {
    logger: { error: keep('error'), warn: keep('warn'), info: keep('info'), debug: keep('debug'), verbose: keep('verbose') },
    logs,
    at: (level) => logs.filter((l) => l.level === level).map((l) => l.message),
  };
}

export const WARN = { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true } as const;
