import { createHash } from 'node:crypto';
import { reportDrop } from './diag';

/** How metadata, user ids, exception messages and diag messages are protected before they leave the process. */
export interface RedactionOptions {
  /** Keys whose values are replaced, at any depth of nested metadata. Default matches password, secret,
   *  token, authorization, api key, cookie, credential, private key and session (case-insensitive, any separator). */
  keys?: RegExp;
  /** Parts of string values that are replaced whatever their key, in metadata, exception messages
   *  and diag messages. Default DEFAULT_SECRET_VALUE_PATTERNS (bearer and basic credentials,
   *  `sk-…` style API keys, the password in `scheme://user:password@host` URLs and DSNs, GitHub,
   *  Slack, AWS access and JWT tokens). `[]` turns value matching off. */
  values?: readonly RegExp[];
  /** What a redacted value (or part of a string) becomes. Default `[REDACTED]`. */
  replacement?: string;
  /** Replaces the key rule: called for every key at every depth; return the value to keep, or
   *  `undefined` to drop the key. An exception from the hook drops the key (and is counted), never
   *  escapes. String values it returns still pass through the `values` patterns. */
  redact?: (key: string, value: unknown) => unknown;
  /** Put a SHA-256 hash (first 16 hex characters) of user ids on spans instead of the id. Default false. */
  hashUserIds?: boolean;
  /** Also apply the `values` patterns to exception messages and stacks recorded on spans. Default true. */
  exceptionMessages?: boolean;
}

export const DEFAULT_REDACTED_KEYS =
  /pass(word|wd|phrase)?|secret|token|authori[sz]ation|(^|[-_ .])auth($|[-_ .])|api[-_ .]?key|cookie|credential|private[-_ .]?key|session/i;

/**
 * Value shapes that are credentials whatever key holds them. Each match is replaced (not the whole
 * string), so `postgres://app:[REDACTED]@db:5432/orders` keeps what helps debugging.
 */
export const DEFAULT_SECRET_VALUE_PATTERNS: readonly RegExp[] = Object.freeze([
  // Authorization header values: a bearer token, or basic credentials (base64 of user:password,
  // told from an English word by a digit, '+', '/', '=' or a capital after the first letter).
  /\b[Bb]earer\s+[A-Za-z0-9._~+/=-]{8,}/g,
  /\bBasic\s+(?=[A-Za-z0-9+/]*[0-9+/=]|[A-Za-z][a-z0-9+/]*[A-Z])[A-Za-z0-9+/]{8,}={0,2}/g,
  // OpenAI/Anthropic-style keys (sk-…, sk-proj-…, sk-ant-…), and rk-/pk- variants.
  /\b(?:sk|rk|pk)-[A-Za-z0-9_-]{6,}/g,
  // The password of userinfo in a URL or DSN: scheme://user:PASSWORD@host
  /(?<=[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s:/?#@]*:)[^\s/?#@]+(?=@)/g,
  // GitHub, Slack, AWS access key ids, Google API keys.
  /\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|xox[abposr]-[A-Za-z0-9-]{10,}|AKIA[0-9A-Z]{16}|AIza[0-9A-Za-z_-]{35})/g,
  // JSON Web Tokens.
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
]);

interface Settings {
  keys: RegExp;
  /** The value patterns, global; one alternation (one scan per string) when their flags agree. */
  values: RegExp[];
  replacement: string;
  redact: ((key: string, value: unknown) => unknown) | undefined;
  hashUserIds: boolean;
  exceptionMessages: boolean;
}

/** Global copies of the patterns, merged into one alternation when their flags (other than g) agree. */
function compile(patterns: readonly RegExp[]): RegExp[] {
  if (patterns.length === 0) return [];
  const flagsOf = (p: RegExp) => p.flags.replace(/[gy]/g, '');
  const flags = flagsOf(patterns[0]);
  if (patterns.every((p) => flagsOf(p) === flags)) {
    return [new RegExp(patterns.map((p) => `(?:${p.source})`).join('|'), `${flags}g`)];
  }
  return patterns.map((p) => new RegExp(p.source, `${flagsOf(p)}g`));
}

const DEFAULT_VALUES = compile(DEFAULT_SECRET_VALUE_PATTERNS);

const settings: Settings = {
  keys: DEFAULT_REDACTED_KEYS,
  values: DEFAULT_VALUES,
  replacement: '[REDACTED]',
  redact: undefined,
  hashUserIds: false,
  exceptionMessages: true,
};

/** Whether each metadata key seen is one to redact: keys repeat (the same few per phase), and a
 *  Map lookup is several times cheaper than the pattern. Bounded; cleared when the rule changes. */
const keyVerdicts = new Map<string, boolean>();
const MAX_KEY_VERDICTS = 1024;

function isRedactedKey(key: string): boolean {
  let verdict = keyVerdicts.get(key);
  if (verdict === undefined) {
    settings.keys.lastIndex = 0;
    verdict = settings.keys.test(key);
    if (keyVerdicts.size < MAX_KEY_VERDICTS) keyVerdicts.set(key, verdict);
  }
  return verdict;
}

/** Installs redaction options process-wide (startAgentTelemetry calls this; no argument restores the defaults). */
export function configureRedaction(options: RedactionOptions = {}): void {
  if (options === null || typeof options !== 'object') {
    throw new TypeError('agent-timing: redaction must be an object such as { keys: /password|token/i }');
  }
  if (options.keys !== undefined && !(options.keys instanceof RegExp)) {
    throw new TypeError('agent-timing: redaction.keys must be a RegExp (for example /password|token/i)');
  }
  if (options.values !== undefined && (!Array.isArray(options.values) || !options.values.every((p) => p instanceof RegExp))) {
    throw new TypeError('agent-timing: redaction.values must be an array of RegExp (for example [/sk-[A-Za-z0-9]+/g]), or [] for none');
  }
  if (options.replacement !== undefined && typeof options.replacement !== 'string') {
    throw new TypeError("agent-timing: redaction.replacement must be a string (for example '[REDACTED]')");
  }
  if (options.redact !== undefined && typeof options.redact !== 'function') {
    throw new TypeError('agent-timing: redaction.redact must be a function (key, value) => value | undefined');
  }
  settings.keys = options.keys ?? DEFAULT_REDACTED_KEYS;
  settings.values = options.values === undefined ? DEFAULT_VALUES : compile(options.values);
  settings.replacement = options.replacement ?? '[REDACTED]';
  settings.redact = options.redact;
  settings.hashUserIds = options.hashUserIds ?? false;
  settings.exceptionMessages = options.exceptionMessages ?? true;
  keyVerdicts.clear();
}

/** The replacement text of redacted values. */
export function redactionReplacement(): string {
  return settings.replacement;
}

/**
 * A string with every credential-shaped part replaced (the `values` patterns). Cheap when nothing
 * matches: one scan of the string. Callers bound the string's length first.
 */
export function redactText(s: string): string {
  if (s.length < 8) return s;
  const patterns = settings.values;
  let out = s;
  for (let i = 0; i < patterns.length; i++) {
    const pattern = patterns[i];
    pattern.lastIndex = 0;
    if (!pattern.test(out)) continue;
    pattern.lastIndex = 0;
    out = out.replace(pattern, settings.replacement);
  }
  return out;
}

/** An exception message or stack as it may be recorded on a span. */
export function redactExceptionText(s: string): string {
  return settings.exceptionMessages ? redactText(s) : s;
}

/**
 * The value to keep for a metadata key, after the key rule (or the hook); `undefined` drops the
 * key. Strings kept are also scrubbed of credential-shaped parts. Nested objects are walked by the
 * caller (src/internal/sanitize.ts), which calls this for every key at every depth.
 */
export function redactValue(key: string, value: unknown): unknown {
  const hook = settings.redact;
  let kept: unknown;
  if (hook) {
    try {
      kept = hook(key, value);
    } catch {
      reportDrop('redaction-hook-threw', 'the redaction hook threw; the key was dropped');
      return undefined;
    }
  } else {
    kept = isRedactedKey(key) ? settings.replacement : value;
  }
  return typeof kept === 'string' ? redactText(kept) : kept;
}

/** What a user id looks like on a span: as given, or hashed when hashUserIds is on. */
export function userIdForSpan(userId: string): string {
  if (!settings.hashUserIds) return userId;
  return createHash('sha256').update(userId).digest('hex').slice(0, 16);
}

/** A user id hashed as on spans (for places that must never show it in clear, such as reports). */
export function hashUserId(userId: string): string {
  return createHash('sha256').update(userId).digest('hex').slice(0, 16);
}
