/**
 * How a histogram boundary appears as the `le` label value in Prometheus.
 *
 * The JS Prometheus exporter writes a boundary with `String(boundary)` ("0.1", "1", "5"), and
 * Prometheus 2 stores the text it scrapes as is. Prometheus 3 normalises `le` of classic histograms
 * on ingestion to Go's float formatting with a `.0` added to whole numbers ("1" becomes "1.0", see
 * its 3.0 migration guide); Prometheus 2 does the same when it scrapes protobuf. A rule that names
 * `le="1"` therefore stops matching on Prometheus 3, so the rules match every spelling a boundary
 * can have: `le="0.1"` when the spellings agree, `le=~"1|1\\.0"` when they differ.
 */

/** The `le` value the JS Prometheus exporter prints for a boundary (its `String(upperBound)`). */
export function exporterLeValue(boundarySeconds: number): string {
  return boundarySeconds === Infinity ? '+Inf' : String(boundarySeconds);
}

/**
 * The `le` value Prometheus 3 stores for a boundary: Go's `strconv.FormatFloat(v, 'g', -1, 64)`
 * (shortest digits, exponent form below 1e-4 and from 1e6 on, at least two exponent digits), with
 * `.0` appended when the result has neither a `.` nor an `e`.
 */
export function normalizedLeValue(boundarySeconds: number): string {
  if (boundarySeconds === Infinity) return '+Inf';
  const [mantissa, exponentText] = boundarySeconds.toExponential().split('e');
  const exponent = Number(exponentText);
  let text: string;
  if (exponent < -4 || exponent >= 6) {
    const digits = String(Math.abs(exponent)).padStart(2, '0');
    text = `${mantissa}e${exponent < 0 ? '-' : '+'}${digits}`;
  } else {
    // Same shortest digits, fixed notation: what JS prints in this range too.
    text = String(boundarySeconds);
  }
  return /[.e]/.test(text) ? text : `${text}.0`;
}

/** Every spelling of the boundary's `le` value a Prometheus server may hold, exporter's first. */
export function leValues(boundarySeconds: number): string[] {
  return [...new Set([exporterLeValue(boundarySeconds), normalizedLeValue(boundarySeconds)])];
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A PromQL string literal (double-quoted) holding `text`. */
function promqlString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** The PromQL label matcher selecting the bucket of `boundarySeconds`: `le="0.1"` or `le=~"1|1\\.0"`. */
export function leMatcher(boundarySeconds: number): string {
  const values = leValues(boundarySeconds);
  return values.length === 1
    ? `le=${promqlString(values[0])}`
    : `le=~${promqlString(values.map(escapeRegex).join('|'))}`;
}
