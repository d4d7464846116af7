// Validators for set-up options, shared by every public constructor and startAgentTelemetry. Bad
// configuration is the one thing that throws, at set-up, with a message naming the option and what
// it must be (hot paths never use these: they drop and count through diag instead).
import { describeForLog } from './sanitize';

/** Throws the set-up error for `option`: `agent-timing: {where}{option} must be {expected}, got {value}`. */
export type OptionFailure = (option: string, expected: string, got: unknown) => never;

/** How a rejected value is shown in the message. */
export const showJson = (v: unknown): string => JSON.stringify(v) ?? String(v);

/** An OptionFailure for one family of options (`where` prefixes the option's name). */
export function optionFailure(
  where: string,
  ErrorType: new (message: string) => Error = TypeError,
  show: (value: unknown) => string = describeForLog,
): OptionFailure {
  return (option, expected, got) => {
    throw new ErrorType(`agent-timing: ${where}${option} must be ${expected}, got ${show(got)}`);
  };
}

/** `value` if it is an integer ≥ 1, `fallback` if undefined; else fails. */
export function positiveInteger(option: string, value: unknown, fallback: number, fail: OptionFailure): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) fail(option, 'a positive integer', value);
  return value;
}

/** `value` if it is a finite number > 0, `fallback` if undefined; else fails. */
export function positiveNumber(option: string, value: unknown, fallback: number, fail: OptionFailure): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) fail(option, 'a positive number', value);
  return value;
}

/** `value` if it is a finite number ≥ `min`, `fallback` if undefined; else fails. */
export function numberAtLeast(option: string, value: unknown, min: number, fallback: number, fail: OptionFailure): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) fail(option, `a number ≥ ${min}`, value);
  return value;
}
