import { createHash } from 'node:crypto';
import { reportDrop } from './diag';

/** How phase metadata and user ids are protected before they reach a span. */
export interface RedactionOptions {
  /** Keys whose values are replaced. Default matches password, secret, token, authorization,
   *  api key, cookie, credential, private key and session (case-insensitive, any separator). */
  keys?: RegExp;
  /** What a redacted value becomes. Default `[REDACTED]`. */
  replacement?: string;
  /** Replaces the rule: called for every key; return the value to keep, or `undefined` to drop
   *  the key. An exception from the hook drops the key (and is counted), never escapes. */
  redact?: (key: string, value: unknown) => unknown;
  /** Put a SHA-256 hash (first 16 hex characters) of user ids on spans instead of the id. Default false. */
  hashUserIds?: boolean;
}

export const DEFAULT_REDACTED_KEYS =
  /pass(word|wd|phrase)?|secret|token|authori[sz]ation|(^|[-_ .])auth($|[-_ .])|api[-_ .]?key|cookie|credential|private[-_ .]?key|session/i;

const settings: Required<Omit<RedactionOptions, 'redact'>> & Pick<RedactionOptions, 'redact'> = {
  keys: DEFAULT_REDACTED_KEYS,
  replacement: '[REDACTED]',
  redact: undefined,
  hashUserIds: false,
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

/** Installs redaction options process-wide (startAgentTelemetry calls this). */
export function configureRedaction(options: RedactionOptions = {}): void {
  if (options.keys !== undefined && !(options.keys instanceof RegExp)) {
    throw new TypeError('agent-timing: redaction.keys must be a RegExp (for example /password|token/i)');
  }
  if (options.redact !== undefined && typeof options.redact !== 'function') {
    throw new TypeError('agent-timing: redaction.redact must be a function (key, value) => value | undefined');
  }
  settings.keys = options.keys ?? DEFAULT_REDACTED_KEYS;
  settings.replacement = options.replacement ?? '[REDACTED]';
  settings.redact = options.redact;
  settings.hashUserIds = options.hashUserIds ?? false;
  keyVerdicts.clear();
}

/** The value to keep for a metadata key, after redaction; `undefined` drops the key. */
export function redactValue(key: string, value: unknown): unknown {
  const hook = settings.redact;
  if (hook) {
    try {
      return hook(key, value);
    } catch {
      reportDrop('redaction-hook-threw', 'the redaction hook threw; the key was dropped');
      return undefined;
    }
  }
  return isRedactedKey(key) ? settings.replacement : value;
}

/** What a user id looks like on a span: as given, or hashed when hashUserIds is on. */
export function userIdForSpan(userId: string): string {
  if (!settings.hashUserIds) return userId;
  return createHash('sha256').update(userId).digest('hex').slice(0, 16);
}
