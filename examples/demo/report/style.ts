import pc from 'picocolors';

/** Colours are for terminals: never when NO_COLOR is set (https://no-color.org), never into a pipe. */
export function colorEnabled(stream: NodeJS.WriteStream): boolean {
  if (process.env.NO_COLOR) return false;
  if (process.env.FORCE_COLOR) return process.env.FORCE_COLOR !== '0';
  return Boolean(stream.isTTY);
}

export type Colors = ReturnType<typeof pc.createColors>;

export function colors(enabled: boolean): Colors {
  return pc.createColors(enabled);
}

// Durations are written as the SDK's report writes them.
export { ms, seconds } from '../../../src/report/format';
