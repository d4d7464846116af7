import { diag, type DiagLogger } from '@opentelemetry/api';
import { monotonicNow } from './clock';
import { redactText } from './redaction';

/**
 * agent-timing logs only through OpenTelemetry's `diag`, prefixed `agent-timing/<component>`.
 * Turn it on with `diag.setLogger(new DiagConsoleLogger(), DiagLogLevel.DEBUG)` or
 * `OTEL_LOG_LEVEL=debug` when using startAgentTelemetry.
 *
 * Every line goes through a limiter first (see docs/reliability.md, "Diag policy"):
 * - **rate**: per kind of event (component, level and the message with its numbers and quoted
 *   parts blanked out) the first 5 lines of each interval (default 60 s) are logged; later ones in
 *   the interval are only counted, and one summary line with the count follows when it ends
 *   (error, warn and info; debug and verbose lines, which a user turns on to see everything, are
 *   bounded and redacted but not rate-limited);
 * - **size**: a message is cut to 1 024 characters and each argument is reduced to a short string
 *   (an error to `Name: message`, anything else to its type), so a 5 MB name never becomes a 5 MB line;
 * - **redaction**: credential-shaped parts of messages and arguments are replaced with the
 *   redaction replacement (the `values` rule of RedactionOptions).
 */
const MAX_MESSAGE_CHARS = 1_024;
/** Distinct kinds tracked; beyond this, kinds share one state per component and level. */
const MAX_KINDS = 512;
const DEFAULT_INTERVAL_MS = 60_000;
/** Lines of one kind logged per interval before the rest are only counted. */
const BURST = 5;

type Level = 'error' | 'warn' | 'info' | 'debug' | 'verbose';

interface KindState {
  readonly logger: DiagLogger;
  readonly level: Level;
  readonly sample: string;
  /** When the current interval began (monotonic ms); -Infinity when none is open. */
  since: number;
  /** Lines logged in the current interval. */
  logged: number;
  suppressed: number;
}

const kinds = new Map<string, KindState>();
let intervalMs = DEFAULT_INTERVAL_MS;
let summaryTimer: NodeJS.Timeout | undefined;
let suppressedEver = 0;

/** Numbers, quoted parts and long hex/ids vary between events of one kind: blanked out for the key. */
const VARYING = /"[^"]*"|'[^']*'|`[^`]*`|[0-9a-f]{8,}(?:-[0-9a-f]{4,})*|\d+(?:\.\d+)?/gi;

function kindKey(component: string, level: Level, message: string): string {
  const head = message.length > 200 ? message.slice(0, 200) : message;
  return `${component}|${level}|${head.replace(VARYING, '#').slice(0, 100)}`;
}

function boundedText(s: string, max = MAX_MESSAGE_CHARS): string {
  return redactText(s.length > max ? `${s.slice(0, max)}… (${s.length - max} more characters)` : s);
}

/** An argument reduced to a short, redacted string; never calls a hostile toString. */
function boundedArg(arg: unknown): string {
  try {
    if (arg instanceof Error) {
      const name: unknown = arg.name;
      const message: unknown = arg.message;
      return boundedText(`${typeof name === 'string' ? name : 'Error'}: ${typeof message === 'string' ? message : `(${typeof message})`}`, 512);
    }
    switch (typeof arg) {
      case 'string':
        return boundedText(arg, 256);
      case 'number':
      case 'boolean':
      case 'bigint':
        return String(arg);
      default:
        return arg === null ? 'null' : `(${typeof arg})`;
    }
  } catch {
    return '(unreadable)';
  }
}

function emit(logger: DiagLogger, level: Level, message: string, args: unknown[]): void {
  try {
    logger[level](boundedText(message), ...args.slice(0, 4).map(boundedArg));
  } catch {
    // A user's diag logger that throws must not reach the agent.
  }
}

function flushSummaries(): void {
  summaryTimer = undefined;
  const now = monotonicNow();
  for (const state of kinds.values()) {
    if (state.suppressed > 0) {
      emit(state.logger, state.level, `${state.suppressed} more like "${state.sample}" in the last ${Math.round((now - state.since) / 1000)} s (rate-limited)`, []);
      state.suppressed = 0;
    }
    state.since = -Infinity;
  }
}

function scheduleSummary(): void {
  if (summaryTimer) return;
  summaryTimer = setTimeout(flushSummaries, intervalMs);
  summaryTimer.unref();
}

function limited(component: string, logger: DiagLogger, level: Level, message: unknown, args: unknown[]): void {
  const text = typeof message === 'string' ? message : boundedArg(message);
  if (level === 'debug' || level === 'verbose') {
    emit(logger, level, text, args);
    return;
  }
  let key = kindKey(component, level, text);
  let state = kinds.get(key);
  if (!state) {
    if (kinds.size >= MAX_KINDS) key = `${component}|${level}|*`;
    state = kinds.get(key);
    if (!state) {
      state = { logger, level, sample: boundedText(text, 120), since: -Infinity, logged: 0, suppressed: 0 };
      kinds.set(key, state);
    }
  }
  const now = monotonicNow();
  if (now - state.since >= intervalMs) {
    state.since = now;
    state.logged = 0;
  }
  if (state.logged < BURST) {
    state.logged++;
    emit(logger, level, text, args);
    return;
  }
  state.suppressed++;
  suppressedEver++;
  scheduleSummary();
}

/** A rate-limited, truncating, redacting logger for one component (see the policy above). */
export function componentLogger(component: string): DiagLogger {
  const logger = diag.createComponentLogger({ namespace: `agent-timing/${component}` });
  return {
    error: (message: unknown, ...args: unknown[]) => limited(component, logger, 'error', message, args),
    warn: (message: unknown, ...args: unknown[]) => limited(component, logger, 'warn', message, args),
    info: (message: unknown, ...args: unknown[]) => limited(component, logger, 'info', message, args),
    debug: (message: unknown, ...args: unknown[]) => limited(component, logger, 'debug', message, args),
    verbose: (message: unknown, ...args: unknown[]) => limited(component, logger, 'verbose', message, args),
  } as DiagLogger;
}

/** Logs the pending summaries now (shutdown calls this, so counts are not lost with the process). */
export function flushDiagSummaries(): void {
  if (summaryTimer) clearTimeout(summaryTimer);
  flushSummaries();
}

/** How many diag lines were suppressed by the rate limit so far. */
export function suppressedDiagCount(): number {
  return suppressedEver;
}

/** For tests: the rate-limit interval in ms (default 60 000), forgetting every kind's state. */
export function setDiagInterval(ms = DEFAULT_INTERVAL_MS): void {
  intervalMs = ms;
  resetDiagLimiter();
}

/** For tests: forget every kind's state (no summaries are logged). */
export function resetDiagLimiter(): void {
  if (summaryTimer) clearTimeout(summaryTimer);
  summaryTimer = undefined;
  kinds.clear();
  suppressedEver = 0;
}

const log = componentLogger('drops');

/**
 * Counts of things the SDK dropped or repaired instead of throwing, by kind. Hot paths never throw
 * on bad input: they call `reportDrop`, which logs the first occurrence of each kind once and
 * counts every occurrence, so a misbehaving caller costs one log line, not a log flood.
 */
const counts = new Map<string, number>();
/** Distinct drop kinds counted; kinds are fixed strings in our code, this only guards against a bug. */
const MAX_DROP_KINDS = 1_024;

/** Records one dropped input of the given kind; logs only the first of each kind. */
export function reportDrop(kind: string, detail: string): void {
  const seen = counts.get(kind);
  if (seen === undefined && counts.size >= MAX_DROP_KINDS) return;
  const n = (seen ?? 0) + 1;
  counts.set(kind, n);
  if (n === 1) {
    log.warn(`${detail} (kind "${kind}"; this is logged once, later ones are only counted: see getAgentTimingHealth())`);
  }
}

/** Adds `n` to a counter without logging (for counts that are reported in bulk elsewhere). */
export function addToCount(kind: string, n: number): void {
  const seen = counts.get(kind);
  if (seen === undefined && counts.size >= MAX_DROP_KINDS) return;
  counts.set(kind, (seen ?? 0) + n);
}

/** How many inputs of each kind were dropped or repaired so far in this process. */
export function getDropCounts(): Record<string, number> {
  return Object.fromEntries(counts);
}

/** For tests: forget the counts so each test sees its own. */
export function resetDropCounts(): void {
  counts.clear();
}
