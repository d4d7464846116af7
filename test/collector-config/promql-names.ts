/**
 * The metric names and label names a PromQL expression refers to — a small scanner, enough for
 * the expressions of our rules and dashboards (syntax itself is checked by promtool).
 */
const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'inf', 'nan', 'atan2']);
const LABEL_LIST_KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);
const IDENT_START = /[a-zA-Z_:]/;
const IDENT = /[a-zA-Z0-9_:]/;

export interface PromqlNames {
  metrics: Set<string>;
  labels: Set<string>;
}

export function promqlNames(expr: string): PromqlNames {
  const metrics = new Set<string>();
  const labels = new Set<string>();
  let inBraces = false;
  let i = 0;
  const skipSpaces = (j: number) => {
    while (j < expr.length && /\s/.test(expr[j])) j++;
    return j;
  };
  while (i < expr.length) {
    const c = expr[i];
    if (c === '"' || c === "'" || c === '`') {
      i++;
      while (i < expr.length && expr[i] !== c) i += expr[i] === '\\' ? 2 : 1;
      i++;
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(expr[i + 1] ?? ''))) {
      // numbers, 1e-9, 0x1F, durations such as 5m or 1h30m
      i++;
      while (i < expr.length && (/[0-9a-zA-Z.]/.test(expr[i]) || (/[+-]/.test(expr[i]) && /e/i.test(expr[i - 1])))) i++;
    } else if (IDENT_START.test(c)) {
      let j = i;
      while (j < expr.length && IDENT.test(expr[j])) j++;
      const word = expr.slice(i, j);
      const next = skipSpaces(j);
      if (inBraces) {
        labels.add(word);
      } else if (LABEL_LIST_KEYWORDS.has(word)) {
        if (expr[next] === '(') {
          const close = expr.indexOf(')', next);
          for (const label of expr.slice(next + 1, close).split(',')) if (label.trim()) labels.add(label.trim());
          j = close + 1;
        }
      } else if (expr[next] === '(' || KEYWORDS.has(word.toLowerCase()) || /^(by|without)\b/.test(expr.slice(next))) {
        // a function, an aggregation (`sum by (…) (…)`), or an operator keyword
      } else {
        metrics.add(word);
      }
      i = j;
    } else if (c === '{') {
      inBraces = true;
      i++;
    } else if (c === '}') {
      inBraces = false;
      i++;
    } else if (c === '[') {
      i = expr.indexOf(']', i) + 1;
    } else {
      i++;
    }
  }
  return { metrics, labels };
}
