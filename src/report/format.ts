/**
 * Number formats, labels, category colours and terminal colours shared by the terminal text and
 * the HTML page. Colours are plain ANSI SGR codes: the SDK has no runtime dependency for them.
 */

/** Terminal styles: each wraps text in an SGR code (or returns it unchanged when colour is off). */
export interface Colors {
  bold(s: string): string;
  dim(s: string): string;
  italic(s: string): string;
  underline(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  blue(s: string): string;
  magenta(s: string): string;
  cyan(s: string): string;
  white(s: string): string;
  gray(s: string): string;
}

type ColorName = keyof Colors;

const SGR: Record<ColorName, [number, number]> = {
  bold: [1, 22],
  dim: [2, 22],
  italic: [3, 23],
  underline: [4, 24],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  blue: [34, 39],
  magenta: [35, 39],
  cyan: [36, 39],
  white: [37, 39],
  gray: [90, 39],
};

/** ANSI colours, or identity functions when `enabled` is false. Nested styles reopen after an inner close. */
export function ansiColors(enabled: boolean): Colors {
  const out = {} as Colors;
  for (const name of Object.keys(SGR) as ColorName[]) {
    const [open, close] = SGR[name];
    const o = `\u001b[${open}m`;
    const c = `\u001b[${close}m`;
    out[name] = enabled ? (s: string) => o + String(s).split(c).join(c + o) + c : (s: string) => String(s);
  }
  return out;
}

/** Whether to colour a stream: never with NO_COLOR (https://no-color.org), FORCE_COLOR wins, else a TTY. */
export function colorEnabled(stream: { isTTY?: boolean }): boolean {
  if (process.env.NO_COLOR) return false;
  if (process.env.FORCE_COLOR) return process.env.FORCE_COLOR !== '0';
  return Boolean(stream.isTTY);
}

/** One colour per breakdown category, the same in the terminal and in the HTML page. */
export const CATEGORY_STYLE: Record<string, { color: ColorName; hex: string; label: string }> = {
  llm_processing: { color: 'magenta', hex: '#b57bee', label: 'LLM processing' },
  tool_execution: { color: 'blue', hex: '#5b8def', label: 'Tool execution' },
  external_api: { color: 'cyan', hex: '#36c5d6', label: 'External API' },
  database_query: { color: 'yellow', hex: '#e8b339', label: 'Database query' },
  websocket_notification: { color: 'green', hex: '#4cc38a', label: 'WebSocket notify' },
  queue_wait: { color: 'red', hex: '#ef5f6b', label: 'Queue wait' },
  initialization: { color: 'white', hex: '#9aa5b8', label: 'Initialization' },
  overhead: { color: 'gray', hex: '#5d6678', label: 'Overhead' },
  uncategorized: { color: 'gray', hex: '#7d7d7d', label: 'Uncategorized' },
};

export function paint(c: Colors, category: string | undefined, text: string): string {
  const style = category ? CATEGORY_STYLE[category] : undefined;
  if (!style) return c.dim(text);
  return c[style.color](text);
}

/** 1234.5 → "1,235 ms"; 12.34 → "12.3 ms"; 0.42 → "0.42 ms"; ≥ 10 s → "12.3 s". */
export function ms(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '–';
  if (value >= 10_000) return `${(value / 1000).toFixed(1)} s`;
  if (value >= 100) return `${Math.round(value).toLocaleString('en-US')} ms`;
  if (value >= 10) return `${value.toFixed(1)} ms`;
  return `${value.toFixed(2)} ms`;
}

/** Seconds for run-level durations: "27.4 s". */
export function seconds(valueMs: number): string {
  return `${(valueMs / 1000).toFixed(1)} s`;
}

export function pct(value: number | undefined, digits = 1): string {
  if (value === undefined || !Number.isFinite(value)) return '–';
  return `${value.toFixed(digits)} %`;
}

/** A horizontal bar of `fraction` (0–1) in `width` cells, with eighth-block resolution. */
export function bar(fraction: number, width: number): string {
  const eighths = Math.round(Math.max(0, Math.min(1, fraction)) * width * 8);
  const full = Math.floor(eighths / 8);
  const rest = eighths % 8;
  return '█'.repeat(full) + (rest ? '▏▎▍▌▋▊▉'[rest - 1] : '');
}

/** `run-12-0042` → `#0042`; a long id (a UUID) → its first 8 characters. */
export function shortId(executionId: string): string {
  const run = executionId.replace(/^run-\d+-/, '#');
  if (run !== executionId) return run;
  return executionId.length > 12 ? executionId.slice(0, 8) : executionId;
}

export function categoryLabel(category: string): string {
  return CATEGORY_STYLE[category]?.label ?? category;
}

export const METRIC_LABELS: Readonly<Record<string, string>> = {
  time_to_first_token: 'Time to first token',
  total_execution: 'Total execution',
  queue_wait: 'Queue wait',
  database_query: 'Database query',
  external_api: 'External API',
  websocket_latency: 'WebSocket latency',
  initialization: 'Initialization',
  tool_execution: 'Tool execution',
  llm_processing: 'LLM processing',
};

/** Human name of a MetricType value. */
export function metricLabel(type: string): string {
  return METRIC_LABELS[type] ?? type;
}
