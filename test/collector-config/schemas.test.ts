import { join } from 'node:path';
import { CONFIG_DIR, readYaml } from './paths';

/**
 * The Collector, Jaeger, compose and Grafana files checked against the keys their projects document
 * (neither the Collector nor Jaeger installs here, so their own validation cannot run). Each schema
 * lists the keys we rely on, as documented for the pinned versions:
 * - Collector contrib 0.120.0: otlp receiver, memory_limiter and batch processors, otlp and prometheus
 *   exporters, spanmetrics connector, health_check extension, service telemetry readers
 *   (each component's README / config.go in opentelemetry-collector(-contrib)).
 * - Jaeger 2.5.0: jaeger_query, jaeger_storage (memory backend, prometheus metric backend with
 *   normalize_calls / normalize_duration), healthcheckv2, jaeger_storage_exporter (cmd/jaeger/config-spm.yaml).
 * - Compose specification: healthcheck and long-form depends_on conditions.
 * - Grafana provisioning: Prometheus exemplarTraceIdDestinations, Jaeger tracesToMetrics.
 * A key that is not listed fails the test: a typo would otherwise pass here and break the stack.
 */

type Schema = { [key: string]: Schema | true } | true;

/** `*` matches any key (a map of user-chosen names). */
function unknownKeys(value: unknown, schema: Schema, path: string): string[] {
  if (schema === true || value === null || typeof value !== 'object') return [];
  if (Array.isArray(value)) return value.flatMap((v, i) => unknownKeys(v, schema, `${path}[${i}]`));
  const out: string[] = [];
  for (const [key, child] of Object.entries(value)) {
    const s = schema[key] ?? schema['*'];
    if (s === undefined) out.push(`${path}.${key}`);
    else out.push(...unknownKeys(child, s, `${path}.${key}`));
  }
  return out;
}

const endpoint = { endpoint: true } as const;
const COLLECTOR: Schema = {
  extensions: { health_check: { endpoint: true, path: true } },
  receivers: { otlp: { protocols: { grpc: endpoint, http: { endpoint: true, cors: true } } } },
  processors: {
    memory_limiter: { check_interval: true, limit_mib: true, spike_limit_mib: true, limit_percentage: true, spike_limit_percentage: true },
    batch: { send_batch_size: true, send_batch_max_size: true, timeout: true },
  },
  connectors: {
    spanmetrics: {
      namespace: true,
      histogram: { unit: true, disable: true, explicit: { buckets: true }, exponential: { max_size: true } },
      dimensions: { name: true, default: true },
      exclude_dimensions: true,
      exemplars: { enabled: true, max_per_data_point: true },
      metrics_flush_interval: true,
      metrics_expiration: true,
      aggregation_temporality: true,
      dimensions_cache_size: true,
      resource_metrics_key_attributes: true,
    },
  },
  exporters: {
    'otlp/jaeger': { endpoint: true, tls: { insecure: true }, compression: true, headers: true },
    '*': {
      endpoint: true,
      namespace: true,
      const_labels: true,
      send_timestamps: true,
      metric_expiration: true,
      enable_open_metrics: true,
      add_metric_suffixes: true,
      translation_strategy: true,
      resource_to_telemetry_conversion: { enabled: true },
    },
  },
  service: {
    extensions: true,
    pipelines: { '*': { receivers: true, processors: true, exporters: true } },
    telemetry: { metrics: { level: true, readers: { pull: { exporter: { prometheus: { host: true, port: true } } } } }, logs: true },
  },
};

const JAEGER: Schema = {
  service: { extensions: true, pipelines: { '*': { receivers: true, processors: true, exporters: true } }, telemetry: true },
  extensions: {
    healthcheckv2: { use_v2: true, http: { endpoint: true, status: true, config: true } },
    jaeger_query: { storage: { traces: true, traces_archive: true, metrics: true }, base_path: true, ui: true, http: endpoint, grpc: endpoint },
    jaeger_storage: {
      backends: { '*': { memory: { max_traces: true } } },
      metric_backends: { '*': { prometheus: { endpoint: true, normalize_calls: true, normalize_duration: true, extra_query_params: true, query_timeout: true } } },
    },
  },
  receivers: { otlp: { protocols: { grpc: endpoint, http: endpoint } } },
  processors: { batch: true },
  exporters: { jaeger_storage_exporter: { trace_storage: true } },
};

const COMPOSE: Schema = {
  name: true,
  volumes: true,
  services: {
    '*': {
      image: true,
      command: true,
      environment: true,
      volumes: true,
      ports: true,
      extra_hosts: true,
      restart: true,
      healthcheck: { test: true, interval: true, timeout: true, retries: true, start_period: true },
      depends_on: { '*': { condition: true } },
    },
  },
};

const DATASOURCES: Schema = {
  apiVersion: true,
  datasources: {
    name: true,
    uid: true,
    type: true,
    access: true,
    url: true,
    isDefault: true,
    jsonData: {
      timeInterval: true,
      exemplarTraceIdDestinations: { name: true, datasourceUid: true, url: true },
      tracesToMetrics: {
        datasourceUid: true,
        spanStartTimeShift: true,
        spanEndTimeShift: true,
        tags: { key: true, value: true },
        queries: { name: true, query: true },
      },
      nodeGraph: { enabled: true },
    },
  },
};

const files: Array<[string, Schema]> = [
  ['otel-collector.yaml', COLLECTOR],
  ['jaeger.yaml', JAEGER],
  ['docker-compose.yaml', COMPOSE],
  ['grafana/provisioning/datasources/datasources.yaml', DATASOURCES],
];

describe('collector-config files against their documented schemas', () => {
  it.each(files)('%s uses only documented keys', (file, schema) => {
    expect(unknownKeys(readYaml(join(CONFIG_DIR, file)), schema, file)).toEqual([]);
  });

  it('would report a misspelt key (the check can fail)', () => {
    expect(unknownKeys({ connectors: { spanmetrics: { exemplar: { enabled: true } } } }, COLLECTOR, 'x')).toEqual(['x.connectors.spanmetrics.exemplar']);
  });

  it('starts the services in order, each dependency healthy where it can be probed', () => {
    const compose = readYaml(join(CONFIG_DIR, 'docker-compose.yaml'));
    const conditions = ['service_started', 'service_healthy', 'service_completed_successfully'];
    for (const [name, service] of Object.entries<any>(compose.services)) {
      for (const [dependency, { condition }] of Object.entries<any>(service.depends_on ?? {})) {
        expect(conditions).toContain(condition);
        if (condition === 'service_healthy') expect(`${dependency} has a healthcheck: ${Boolean(compose.services[dependency].healthcheck)}`).toBe(`${dependency} has a healthcheck: true`);
        expect(`${name} -> ${dependency}`).not.toBe(`${name} -> ${name}`);
      }
    }
    expect(compose.services['otel-collector'].depends_on.jaeger.condition).toBe('service_healthy');
    expect(compose.services.grafana.depends_on).toMatchObject({ prometheus: { condition: 'service_healthy' }, jaeger: { condition: 'service_healthy' } });
    // Jaeger's probe hits the healthcheckv2 endpoint its config opens.
    const jaeger = readYaml(join(CONFIG_DIR, 'jaeger.yaml'));
    const port = /:(\d+)$/.exec(jaeger.extensions.healthcheckv2.http.endpoint)![1];
    expect(compose.services.jaeger.healthcheck.test.join(' ')).toContain(`localhost:${port}/status`);
    expect(jaeger.service.extensions).toEqual(expect.arrayContaining(['jaeger_storage', 'jaeger_query', 'healthcheckv2']));
    expect(jaeger.extensions.jaeger_query.storage.metrics).toBe(Object.keys(jaeger.extensions.jaeger_storage.metric_backends)[0]);
    expect(jaeger.exporters.jaeger_storage_exporter.trace_storage).toBe(jaeger.extensions.jaeger_query.storage.traces);
  });
});
