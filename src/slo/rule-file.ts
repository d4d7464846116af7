import { Document } from 'yaml';

/** One entry of a Prometheus rule group. */
export interface RecordingRule {
  record: string;
  expr: string;
  labels?: Record<string, string>;
}

export interface AlertingRule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface RuleGroup {
  name: string;
  interval?: string;
  rules: Array<RecordingRule | AlertingRule>;
}

/** A Prometheus rule file as YAML, with `header` lines as a leading comment. */
export function renderRuleFile(header: readonly string[], groups: RuleGroup[]): string {
  // aliasDuplicateObjects false: repeated label objects are written out, not as YAML anchors.
  const doc = new Document({ groups }, { aliasDuplicateObjects: false });
  doc.commentBefore = header.map((line) => (line ? ` ${line}` : '')).join('\n');
  // lineWidth 0: never fold long PromQL expressions; multi-line ones become literal blocks.
  return doc.toString({ lineWidth: 0 });
}
