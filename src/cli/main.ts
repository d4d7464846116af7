#!/usr/bin/env node
/**
 * The `agent-timing` command. Dependency-free on purpose (argv through node:util parseArgs):
 *
 *   agent-timing slo-rules --config slo.json [--out rules.yml]
 *   agent-timing recording-rules [--out rules.yml]
 *   agent-timing report report.json [--html report.html]
 *
 * Exit codes: 0 done, 1 the config or a file could not be read/written or is invalid, 2 bad usage.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { reportCommand } from '../report/cli-report';
import { generateRecordingRules } from '../slo/recording-rules';
import { generateSloRules } from '../slo/slo-rules';
import { sloThresholdsMsOf, validateSloRulesConfig } from '../slo/slo-config';

const HELP = `Usage: agent-timing <command> [options]

Commands:
  slo-rules --config <slo.json> [--out <file>]
      Prometheus recording and multiwindow, multi-burn-rate alerting rules for your latency
      objectives (YAML, to stdout unless --out is given). slo.json:
        { "objectives": {
            "time_to_first_token": { "thresholdMs": 1000, "target": 99 },
            "database_query":      { "thresholdMs": 100,  "target": 99 },
            "total_execution":     { "thresholdMs": 5000, "target": 99.5 } },
          "alertLabels": { "team": "agents" } }
      Objective keys are MetricType values. Start the SDK with the same thresholds,
      startAgentTelemetry({ sloThresholdsMs }), so that each is an exact bucket boundary.

  recording-rules [--out <file>]
      The fleet-wide percentile, throughput, error-ratio and category-share rules.

  report <report.json> [--html <file>]
      Prints a saved report (the demo's --json, or the live page's /report.json) as
      terminal text, or writes it as one self-contained HTML page with --html.

Options:
  -c, --config <file>  SLO config (JSON)
  -o, --out <file>     write the rules to this file instead of stdout
      --html <file>    (report) write the HTML page to this file
  -h, --help           show this help

Exit codes: 0 done, 1 unreadable or invalid config / unwritable output, 2 bad usage.
`;

class UsageError extends Error {}

function output(text: string, out: string | undefined): void {
  if (out) writeFileSync(out, text);
  else process.stdout.write(text);
}

function run(argv: string[]): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        config: { type: 'string', short: 'c' },
        out: { type: 'string', short: 'o' },
        help: { type: 'boolean', short: 'h' },
        html: { type: 'string' },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const [command, ...extra] = positionals;
  if (command === undefined) throw new UsageError('missing command');
  if (command === 'report') {
    if (extra.length !== 1) throw new UsageError('report needs one saved report file: agent-timing report report.json [--html report.html]');
    return reportCommand(extra[0], values.html, process.stdout, process.stderr);
  }
  if (values.html !== undefined) throw new UsageError('--html is an option of the report command');
  if (extra.length > 0) throw new UsageError(`unexpected argument: ${extra[0]}`);

  if (command === 'slo-rules') {
    if (!values.config) throw new UsageError('slo-rules needs --config <slo.json>');
    let text: string;
    try {
      text = readFileSync(values.config, 'utf8');
    } catch (err) {
      process.stderr.write(`agent-timing: cannot read ${values.config}: ${(err as Error).message}\n`);
      return 1;
    }
    let rules: string;
    let thresholds: string;
    try {
      const config = validateSloRulesConfig(JSON.parse(text));
      rules = generateSloRules(config);
      thresholds = JSON.stringify(sloThresholdsMsOf(config));
    } catch (err) {
      process.stderr.write(`agent-timing: ${values.config}: ${(err as Error).message}\n`);
      return 1;
    }
    output(rules, values.out);
    if (values.out) {
      process.stderr.write(`agent-timing: wrote ${values.out}; start the SDK with startAgentTelemetry({ sloThresholdsMs: ${thresholds} })\n`);
    }
    return 0;
  }
  if (command === 'recording-rules') {
    if (values.config) throw new UsageError('recording-rules takes no --config');
    output(generateRecordingRules(), values.out);
    return 0;
  }
  throw new UsageError(`unknown command: ${command}`);
}

try {
  process.exitCode = run(process.argv.slice(2));
} catch (err) {
  if (err instanceof UsageError) {
    process.stderr.write(`agent-timing: ${err.message}\n\n${HELP}`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`agent-timing: ${(err as Error).message}\n`);
    process.exitCode = 1;
  }
}
