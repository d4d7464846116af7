import { SpanKind } from '@opentelemetry/api';
import type { ClassificationRule } from '../../src/processor/classification';

/** The classification table as docs/frameworks.md shows it (one Markdown row per rule, in order). */
export function renderClassificationTable(rules: readonly ClassificationRule[]): string {
  const lines = ['| # | match | span kind | category | source |', '| --- | --- | --- | --- | --- |'];
  rules.forEach((r, i) => {
    const what = r.spanName ? 'span name' : `\`${r.attribute}\``;
    const values = r.equals === undefined ? [] : typeof r.equals === 'string' ? [r.equals] : r.equals;
    let match: string;
    if (values.length > 0) match = `${what} = ${values.map((v) => `\`${v}\``).join(' / ')}`;
    else if (r.prefix !== undefined && r.suffix !== undefined) match = `${what} starts with \`${r.prefix}\` and ends with \`${r.suffix}\``;
    else if (r.prefix !== undefined) match = `${what} starts with \`${r.prefix}\``;
    else if (r.suffix !== undefined) match = `${what} ends with \`${r.suffix}\``;
    else match = `${what} present`;
    const kind = r.spanKind === undefined ? 'any' : SpanKind[r.spanKind];
    lines.push(`| ${i + 1} | ${match} | ${kind} | ${r.category} | ${r.source ?? ''} |`);
  });
  return lines.join('\n');
}
