import { setTimeout as sleep } from 'node:timers/promises';
import type { Rng } from './rng';

/**
 * A local stand-in for a streaming LLM: tokens arrive after a time to first token (prompt
 * processing and queueing at the provider), then one by one (decoding). Both are log-normal, the
 * shape real provider latencies have: most calls close to the median, a long slow tail.
 */
export interface CompletionProfile {
  /** Median time to first token, ms. */
  ttftMedianMs: number;
  /** Log-normal shape of the time to first token (0.3 = modest tail, 0.8 = heavy). */
  ttftSigma: number;
  /** Median gap between tokens, ms. */
  interTokenMedianMs: number;
  interTokenSigma: number;
  minTokens: number;
  maxTokens: number;
}

/** A short planning call: which tools to use. */
export const PLANNING: CompletionProfile = {
  ttftMedianMs: 170,
  ttftSigma: 0.35,
  interTokenMedianMs: 13,
  interTokenSigma: 0.35,
  minTokens: 5,
  maxTokens: 10,
};

/** The final answer streamed back to the user. */
export const ANSWER: CompletionProfile = {
  ttftMedianMs: 130,
  ttftSigma: 0.35,
  interTokenMedianMs: 13,
  interTokenSigma: 0.35,
  minTokens: 12,
  maxTokens: 26,
};

/** One completion, decided up front from the seed: its text and when each token arrives. */
export interface CompletionPlan {
  ttftMs: number;
  /** Gap before each token after the first, ms. */
  gapsMs: number[];
  tokens: string[];
}

/** Samples a completion. `slowdown` multiplies the time to first token (a provider under load). */
export function planCompletion(rng: Rng, profile: CompletionProfile, text: string, slowdown = 1): CompletionPlan {
  const words = text.split(/(?<=\s)/);
  const count = rng.int(profile.minTokens, profile.maxTokens);
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) tokens.push(words[i % words.length]);
  const gapsMs: number[] = [];
  for (let i = 1; i < count; i++) gapsMs.push(rng.logNormal(profile.interTokenMedianMs, profile.interTokenSigma));
  return { ttftMs: rng.logNormal(profile.ttftMedianMs, profile.ttftSigma) * slowdown, gapsMs, tokens };
}

/** Plays a completion back in real time, as an async iterable of tokens (what SDK streams are). */
export async function* streamCompletion(plan: CompletionPlan): AsyncGenerator<string> {
  await sleep(plan.ttftMs);
  yield plan.tokens[0];
  for (let i = 1; i < plan.tokens.length; i++) {
    await sleep(plan.gapsMs[i - 1]);
    yield plan.tokens[i];
  }
}
