import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import {
  LABEL_AGENT,
  LABEL_CATEGORY,
  LABEL_OUTCOME,
  METRIC_CPU_UTILIZATION,
  METRIC_EXECUTION_DURATION,
  METRIC_MEMORY_USAGE,
  METRIC_OPERATION_DURATION,
  METRIC_THREAD_POOL_USAGE,
  METRIC_PHASE_DURATION,
  METRIC_TTFT,
} from '../../src/spans/names';
import { prometheusLabelName } from '../../src/slo/rule-names';
import { CONFIG_DIR, DASHBOARDS_DIR, allRules, dashboardQueries, readYaml } from './paths';
import { promqlNames } from './promql-names';

/**
 * The Collector config, the compose file, prometheus.yml and the Grafana provisioning parsed with a
 * real YAML parser and checked against each other and against the SDK's defaults. (No Docker
 * engine here: this is how the stack is checked without running it.)
 */

const collector = readYaml(join(CONFIG_DIR, 'otel-collector.yaml'));
const compose = readYaml(join(CONFIG_DIR, 'docker-compose.yaml'));
const prometheus = readYaml(join(CONFIG_DIR, 'prometheus.yml'));
const datasources = readYaml(join(CONFIG_DIR, 'grafana/provisioning/datasources/datasources.yaml'));

/** OTLP's standard ports (the SDK's OTLP/HTTP exporter defaults to http://localhost:4318/v1/traces). */
const OTLP_GRPC_PORT = 4317;
const OTLP_HTTP_PORT = 4318;
/** The SDK's Prometheus endpoint port: the JS exporter's default, which startAgentTelemetry keeps. */
const SDK_METRICS_PORT = PrometheusExporter.DEFAULT_OPTIONS.port;

const portOf = (endpoint: string) => Number(/:(\d+)$/.exec(endpoint)?.[1]);
/** `host:port` pairs of every static scrape target of a job. */
const targetsOf = (job: string): string[] =>
  prometheus.scrape_configs.find((s: any) => s.job_name === job).static_configs.flatMap((c: any) => c.targets);
/** Host ports a compose service publishes, as container port → host port. */
const publishedPorts = (service: string): Map<number, number> =>
  new Map(
    (compose.services[service].ports ?? []).map((p: string) => {
      const [host, container] = String(p).split(':').map(Number);
      return [container, host];
    }),
  );
/** Compose bind mounts of a service: repo-relative source → container target. */
const bindMounts = (service: string): Array<{ source: string; target: string }> =>
  (compose.services[service].volumes ?? [])
    .map((v: string) => v.split(':'))
    .filter(([source]: string[]) => source.startsWith('.'))
    .map(([source, target]: string[]) => ({ source, target }));

describe('otel-collector.yaml', () => {
  const pipelines = Object.entries(collector.service.pipelines) as Array<[string, Record<string, string[]>]>;
  const kinds = ['receivers', 'processors', 'exporters'] as const;

  it.each(kinds)('defines every %s a pipeline uses and uses every one it defines (connectors count as both ends)', (kind) => {
    const connectors = Object.keys(collector.connectors ?? {});
    const used = new Set(pipelines.flatMap(([, p]) => p[kind] ?? []).filter((c) => !connectors.includes(c)));
    const defined = new Set(Object.keys(collector[kind] ?? {}));
    expect([...used].filter((c) => !defined.has(c))).toEqual([]);
    expect([...defined].filter((c) => !used.has(c))).toEqual([]);
  });

  it('uses each connector as the exporter of one pipeline and the receiver of another', () => {
    for (const connector of Object.keys(collector.connectors ?? {})) {
      expect(pipelines.filter(([, p]) => p.exporters.includes(connector)).length).toBeGreaterThan(0);
      expect(pipelines.filter(([, p]) => (p.receivers ?? []).includes(connector)).length).toBeGreaterThan(0);
    }
  });

  it('defines every extension the service enables and enables every one it defines', () => {
    expect(new Set(collector.service.extensions)).toEqual(new Set(Object.keys(collector.extensions)));
    expect(collector.extensions).toHaveProperty('health_check');
  });

  it('has trace, metric and span-metric pipelines, memory_limiter first and batch in each', () => {
    const byName = Object.fromEntries(pipelines);
    expect(Object.keys(byName).sort()).toEqual(['metrics', 'metrics/spanmetrics', 'traces']);
    for (const [, p] of pipelines) {
      expect(p.processors[0]).toBe('memory_limiter');
      expect(p.processors).toContain('batch');
    }
    expect(byName.traces.exporters).toEqual(['otlp/jaeger', 'spanmetrics']);
    expect(byName['metrics/spanmetrics']).toMatchObject({ receivers: ['spanmetrics'], exporters: ['prometheus/spanmetrics'] });
    expect(byName.metrics.exporters).toEqual(['prometheus']);
  });

  it('receives OTLP on the standard ports, on every interface of the container', () => {
    expect(collector.receivers.otlp.protocols.grpc.endpoint).toBe(`0.0.0.0:${OTLP_GRPC_PORT}`);
    expect(collector.receivers.otlp.protocols.http.endpoint).toBe(`0.0.0.0:${OTLP_HTTP_PORT}`);
  });

  it('exposes metrics under the SDK\'s own series names (no unit/type suffixes added)', () => {
    expect(collector.exporters.prometheus.add_metric_suffixes).toBe(false);
  });

  it('derives span metrics under the names Jaeger\'s Monitor tab reads (suffixes kept, OpenMetrics for exemplars)', () => {
    const exporter = collector.exporters['prometheus/spanmetrics'];
    expect(exporter.add_metric_suffixes ?? true).toBe(true);
    expect(exporter.enable_open_metrics).toBe(true);
    expect(collector.connectors.spanmetrics.namespace).toBe('traces.span.metrics');
    expect(collector.connectors.spanmetrics.exemplars.enabled).toBe(true);
    expect(targetsOf('spanmetrics')).toEqual([`otel-collector:${portOf(exporter.endpoint)}`]);
    expect(publishedPorts('otel-collector').get(portOf(exporter.endpoint))).toBeDefined();
    const jaegerConfig = readYaml(join(CONFIG_DIR, 'jaeger.yaml'));
    const backend = Object.values(jaegerConfig.extensions.jaeger_storage.metric_backends)[0] as any;
    expect(backend.prometheus).toMatchObject({ endpoint: 'http://prometheus:9090', normalize_calls: true, normalize_duration: true });
    expect(compose.services.prometheus.command).toContain('--enable-feature=exemplar-storage');
  });

  it('sends traces to the compose Jaeger service on its OTLP gRPC port', () => {
    const traceExporter = collector.exporters[Object.fromEntries(pipelines).traces.exporters[0]];
    expect(traceExporter.endpoint).toBe(`jaeger:${OTLP_GRPC_PORT}`);
    expect(compose.services).toHaveProperty('jaeger');
  });
});

describe('docker-compose.yaml', () => {
  const services = Object.entries(compose.services) as Array<[string, any]>;

  it('runs the Collector, Jaeger, Prometheus and Grafana', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['grafana', 'jaeger', 'otel-collector', 'prometheus']);
  });

  it.each(services)('%s pins its image to a version', (_name, service) => {
    expect(service.image).toMatch(/^[\w./-]+:v?\d+\.\d+\.\d+$/);
    expect(service.image).not.toMatch(/:latest$/);
  });

  it.each(services.filter(([, s]) => s.volumes))('%s mounts only files and directories that exist in the repo', (name) => {
    for (const { source } of bindMounts(name)) {
      expect(`${source}: ${existsSync(join(CONFIG_DIR, source))}`).toBe(`${source}: true`);
    }
  });

  it('gives the Collector the mounted config file', () => {
    const mount = bindMounts('otel-collector').find((m) => m.source === './otel-collector.yaml');
    expect(mount).toBeDefined();
    expect(compose.services['otel-collector'].command).toContain(`--config=${mount!.target}`);
  });

  it('publishes the Collector\'s OTLP ports where the SDK looks for them', () => {
    const ports = publishedPorts('otel-collector');
    expect(ports.get(OTLP_GRPC_PORT)).toBe(OTLP_GRPC_PORT);
    expect(ports.get(OTLP_HTTP_PORT)).toBe(OTLP_HTTP_PORT);
    expect(ports.get(portOf(collector.exporters.prometheus.endpoint))).toBeDefined();
    expect(ports.get(portOf(collector.extensions.health_check.endpoint))).toBeDefined();
  });

  it('gives Prometheus its config at --config.file, with the rule files where prometheus.yml expects them', () => {
    const service = compose.services.prometheus;
    const configPath = service.command.find((a: string) => a.startsWith('--config.file=')).split('=')[1];
    const mounts = bindMounts('prometheus');
    expect(mounts).toContainEqual({ source: './prometheus.yml', target: configPath });
    for (const ruleFile of prometheus.rule_files as string[]) {
      const inContainer = posix.join(posix.dirname(configPath), ruleFile);
      const mount = mounts.find((m) => inContainer.startsWith(`${m.target}/`) || inContainer === m.target);
      expect(`${ruleFile} mounted: ${mount !== undefined}`).toBe(`${ruleFile} mounted: true`);
      const inRepo = join(CONFIG_DIR, mount!.source, posix.relative(mount!.target, inContainer));
      expect(statSync(inRepo).isFile()).toBe(true);
    }
  });

  it('keeps data longer than the 30-day SLO period', () => {
    const retention = compose.services.prometheus.command.find((a: string) => a.startsWith('--storage.tsdb.retention.time='));
    expect(Number(/=(\d+)d$/.exec(retention)?.[1])).toBeGreaterThan(30);
  });

  it('lets Prometheus in a container reach processes on the host', () => {
    expect(compose.services.prometheus.extra_hosts).toContain('host.docker.internal:host-gateway');
  });
});

describe('prometheus.yml', () => {
  it('scrapes the SDK endpoint on the SDK\'s default port', () => {
    expect(SDK_METRICS_PORT).toBe(9464);
    expect(targetsOf('agent-timing').map(portOf)).toEqual([SDK_METRICS_PORT]);
  });

  it('scrapes the Collector\'s Prometheus exporter and its own telemetry, keeping the Collector\'s job/instance', () => {
    const exporterPort = portOf(collector.exporters.prometheus.endpoint);
    const telemetryPort = collector.service.telemetry.metrics.readers[0].pull.exporter.prometheus.port;
    expect(targetsOf('otel-collector')).toEqual([`otel-collector:${exporterPort}`]);
    expect(prometheus.scrape_configs.find((s: any) => s.job_name === 'otel-collector').honor_labels).toBe(true);
    expect(targetsOf('otel-collector-internal')).toEqual([`otel-collector:${telemetryPort}`]);
  });

  it('scrapes compose services by their service names', () => {
    for (const job of prometheus.scrape_configs) {
      for (const target of job.static_configs.flatMap((c: any) => c.targets) as string[]) {
        const host = target.split(':')[0];
        expect(['localhost', 'host.docker.internal', ...Object.keys(compose.services)]).toContain(host);
      }
    }
  });
});

describe('Grafana provisioning', () => {
  const dashboard = JSON.parse(readFileSync(join(DASHBOARDS_DIR, 'agent-timing.json'), 'utf8'));

  it('points the data sources at the compose services', () => {
    const byType = Object.fromEntries(datasources.datasources.map((d: any) => [d.type, d]));
    expect(byType.prometheus.url).toBe('http://prometheus:9090');
    expect(publishedPorts('prometheus').get(9090)).toBe(9090);
    expect(byType.jaeger.url).toBe('http://jaeger:16686');
    expect(publishedPorts('jaeger').get(16686)).toBe(16686);
  });

  it('loads dashboards from the directory compose mounts', () => {
    const provider = readYaml(join(CONFIG_DIR, 'grafana/provisioning/dashboards/dashboards.yaml')).providers[0];
    expect(bindMounts('grafana')).toContainEqual({ source: './grafana/dashboards', target: provider.options.path });
  });

  it('has a dashboard that imports anywhere: data sources through variables and __inputs, job/instance variables', () => {
    const used = new Set<string>();
    JSON.stringify(dashboard, (key, value) => {
      if (key === 'datasource' && value?.uid) used.add(value.uid);
      return value;
    });
    expect([...used].sort()).toEqual(['${datasource}']);
    const variables = Object.fromEntries(dashboard.templating.list.map((v: any) => [v.name, v]));
    expect(variables.datasource).toMatchObject({ type: 'datasource', query: 'prometheus' });
    expect(variables.tracing).toMatchObject({ type: 'datasource', query: 'jaeger' });
    expect(variables.job.query.query).toMatch(/label_values\(.*, job\)/);
    expect(variables.instance.query.query).toMatch(/label_values\(.*job=~"\$job".*, instance\)/);
    expect(dashboard.__inputs.map((i: any) => i.pluginId).sort()).toEqual(['jaeger', 'prometheus']);
    expect(JSON.stringify(dashboard)).not.toContain('agent-timing-prometheus');
    expect(JSON.stringify(dashboard)).not.toContain('agent-timing-jaeger');
    // Every provisioned data source type has its variable.
    for (const d of datasources.datasources) expect(dashboard.templating.list.some((v: any) => v.type === 'datasource' && v.query === d.type)).toBe(true);
  });

  it('links latency panels to traces: data links into Jaeger and exemplars on span metrics', () => {
    const latency = dashboard.panels.filter((p: any) => /p95|p99/.test(p.title) && p.type === 'timeseries');
    const linked = latency.filter((p: any) => (p.fieldConfig?.defaults?.links ?? []).some((l: any) => l.url.includes('${tracing}')));
    expect(linked.length).toBeGreaterThanOrEqual(3);
    expect(dashboard.panels.some((p: any) => (p.targets ?? []).some((t: any) => t.exemplar === true))).toBe(true);
  });

  it('describes what each query computes (no claim about the in-process aggregator)', () => {
    for (const p of dashboard.panels.filter((x: any) => x.type !== 'row')) {
      expect(`${p.title}: ${p.description ?? ''}`).not.toMatch(/in-process aggregator's/);
      expect((p.description ?? '').length).toBeGreaterThan(20);
    }
  });

  it('shows execution p95/p99, TTFT, the stacked breakdown, SLO compliance and burn rates, top bottlenecks', () => {
    const exprs = dashboardQueries().map((q) => q.expr).join('\n');
    expect(exprs).toMatch(/agent_execution_duration_seconds:quantile_rate5m\{[^}]*0\.95\|0\.99/);
    expect(exprs).toContain('agent_time_to_first_token_seconds:quantile_rate5m');
    expect(exprs).toContain('fleet:agent_phase_duration_seconds_sum:share_rate5m');
    expect(exprs).toContain('agent_timing_slo_compliance:ratio_30d');
    expect(exprs).toContain('agent_timing_slo_errors:ratio_rate1h');
    expect(exprs).toMatch(/topk\(\d+, fleet:agent_phase_duration_seconds_sum:share_rate1h\)/);
    const stacked = dashboard.panels.find((p: any) => /Breakdown by category/.test(p.title));
    expect(stacked.fieldConfig.defaults.custom.stacking.mode).toBe('normal');
  });

  it('queries only metric names and labels from src/spans/names.ts and the recording rules', () => {
    const histograms = [
      METRIC_EXECUTION_DURATION, METRIC_PHASE_DURATION, METRIC_TTFT, METRIC_OPERATION_DURATION,
      // GenAI conventions' histograms, as the JS exporter names them (dots become underscores)
      'gen_ai_invoke_agent_duration', 'gen_ai_execute_tool_duration', 'gen_ai_client_operation_time_to_first_chunk',
      'gen_ai_client_operation_time_per_output_chunk',
      // the Collector's spanmetrics connector
      'traces_span_metrics_duration_milliseconds',
    ];
    const recorded = allRules().flatMap((r) => (r.record ? [r.record] : []));
    const gauges = [METRIC_CPU_UTILIZATION, METRIC_MEMORY_USAGE, METRIC_THREAD_POOL_USAGE];
    const metrics = new Set([...histograms.flatMap((h) => ['_bucket', '_sum', '_count'].map((s) => h + s)), ...recorded, ...gauges, 'ALERTS']);
    const labels = new Set([
      ...[LABEL_AGENT, LABEL_CATEGORY, LABEL_OUTCOME].map(prometheusLabelName),
      // histogram and rule labels, Prometheus' own
      'le', 'quantile', 'slo', 'threshold_seconds', 'job', 'instance', 'alertname', 'alertstate', 'severity',
      // GenAI and span-metric labels
      'service_name', 'span_name',
    ]);
    const unknown: string[] = [];
    for (const { panel, expr } of dashboardQueries()) {
      const names = promqlNames(expr);
      for (const m of names.metrics) if (!metrics.has(m)) unknown.push(`${panel}: metric ${m}`);
      for (const l of names.labels) if (!labels.has(l)) unknown.push(`${panel}: label ${l}`);
    }
    expect(unknown).toEqual([]);
    expect(dashboardQueries().length).toBeGreaterThan(15);
  });
});

describe('rule files', () => {
  it('use only the SDK\'s histograms and recorded series', () => {
    const histograms = [METRIC_EXECUTION_DURATION, METRIC_PHASE_DURATION, METRIC_TTFT, METRIC_OPERATION_DURATION];
    const allowed = new Set([
      ...histograms.flatMap((h) => ['_bucket', '_sum', '_count'].map((s) => h + s)),
      ...allRules().flatMap((r) => (r.record ? [r.record] : [])),
    ]);
    const unknown = allRules().flatMap((r) => [...promqlNames(r.expr).metrics].filter((m) => !allowed.has(m)));
    expect(unknown).toEqual([]);
  });
});
