/** One sample line of the Prometheus text format. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Parses the Prometheus text exposition format (what /metrics serves); throws on a malformed line. */
export function parsePrometheus(text: string): Sample[] {
  const out: Sample[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = LINE.exec(line);
    if (!m) throw new Error(`malformed metrics line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(LABEL)) labels[l[1]] = l[2];
    const value = m[3] === '+Inf' ? Infinity : m[3] === '-Inf' ? -Infinity : Number(m[3]);
    if (Number.isNaN(value) && m[3] !== 'NaN') throw new Error(`malformed value: ${line}`);
    out.push({ name: m[1], labels, value });
  }
  return out;
}

/** The labels of a sample without `le`, as a stable key: identifies one histogram series. */
export function seriesKey(s: Sample): string {
  return Object.entries(s.labels)
    .filter(([k]) => k !== 'le')
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** Distinct series of a histogram (by its `_count` lines). */
export function histogramSeries(samples: Sample[], name: string): Sample[] {
  return samples.filter((s) => s.name === `${name}_count`);
}

/** Sum of a histogram's `_count` over series matching `where`. */
export function histogramCount(samples: Sample[], name: string, where: (labels: Record<string, string>) => boolean = () => true): number {
  return histogramSeries(samples, name)
    .filter((s) => where(s.labels))
    .reduce((a, s) => a + s.value, 0);
}

/**
 * Checks every histogram in a scrape is internally consistent: buckets never decrease with `le`,
 * the `+Inf` bucket equals `_count`, and `_sum` is finite and ≥ 0. Returns the problems found.
 */
export function histogramProblems(samples: Sample[]): string[] {
  const problems: string[] = [];
  const buckets = new Map<string, Array<{ le: number; v: number }>>();
  const counts = new Map<string, number>();
  for (const s of samples) {
    if (s.name.endsWith('_bucket')) {
      const key = `${s.name.slice(0, -7)}|${seriesKey(s)}`;
      const list = buckets.get(key) ?? [];
      list.push({ le: s.labels.le === '+Inf' ? Infinity : Number(s.labels.le), v: s.value });
      buckets.set(key, list);
    } else if (s.name.endsWith('_count')) {
      counts.set(`${s.name.slice(0, -6)}|${seriesKey(s)}`, s.value);
    } else if (s.name.endsWith('_sum') && !(Number.isFinite(s.value) && s.value >= 0)) {
      problems.push(`${s.name}{${seriesKey(s)}} = ${s.value}`);
    }
  }
  for (const [key, list] of buckets) {
    list.sort((a, b) => a.le - b.le);
    for (let i = 1; i < list.length; i++) if (list[i].v < list[i - 1].v) problems.push(`${key}: bucket le=${list[i].le} < le=${list[i - 1].le}`);
    const inf = list[list.length - 1];
    if (inf.le !== Infinity) problems.push(`${key}: no +Inf bucket`);
    else if (counts.get(key) !== inf.v) problems.push(`${key}: +Inf bucket ${inf.v} != _count ${counts.get(key)}`);
  }
  return problems;
}
