/**
 * Every cross-reference of the observability stack, computed in one place from the release and
 * namespace names: Grafana's datasource URLs, Kiali's Prometheus/Grafana/tracing URLs, Alloy's
 * push URL, the OTLP endpoint Istio's tracing provider sends to, and the names of the objects the
 * observability-platform chart creates. The umbrella's values and the platform chart's helpers are
 * generated from it, so they cannot disagree.
 */
import { lockedChart } from './locked.js';
import type { ObservabilityChartName } from './pins.js';

/**
 * The Service of a pinned chart that serves a named port, as the upstream lock recorded it from a
 * real render of the umbrella (release {@link DEFAULT_RELEASE}); headless Services are skipped.
 * @throws naming the fix when the lock has no such Service.
 */
export function lockedService(chart: ObservabilityChartName, portName: string, nameSuffix = ''): { name: string; port: number } {
  const services = lockedChart(chart).services?.prod ?? [];
  for (const service of services) {
    if (service.name.endsWith('-headless') || !service.name.endsWith(nameSuffix)) continue;
    const port = service.ports.find((entry) => entry.name === portName);
    if (port) return { name: service.name, port: port.port };
  }
  throw new Error(
    `the upstream lock records no Service of ${chart} with a port named ${portName}${nameSuffix ? ` and a name ending in ${nameSuffix}` : ''}: run \`chartkit upstream sync\``,
  );
}

/** Istio's metrics ports (Istio facts the scrape configuration depends on). */
export const ISTIO_METRICS = {
  /** istiod's monitoring port and its Service port name. */
  istiod: { service: 'istiod', portName: 'http-monitoring', port: 15014, path: '/metrics' },
  /** The sidecar's merged metrics (application + Envoy) endpoint. */
  merged: { port: 15020, path: '/stats/prometheus' },
  /** Envoy's own metrics, on the istio-proxy container port named `http-envoy-prom`. */
  envoy: { portName: 'http-envoy-prom', port: 15090, path: '/stats/prometheus' },
} as const;

/** The datasources Grafana is provisioned with; every dashboard panel uses one of these uids. */
export const DATASOURCES = {
  prometheus: { uid: 'prometheus', name: 'Prometheus', type: 'prometheus' },
  loki: { uid: 'loki', name: 'Loki', type: 'loki' },
  jaeger: { uid: 'jaeger', name: 'Jaeger', type: 'jaeger' },
} as const;

/** Names of the objects the observability-platform chart creates (release-independent, so any umbrella can include it). */
export const PLATFORM_OBJECTS = {
  /** ConfigMap with the rule file, mounted into the Prometheus server in `files` mode. */
  rulesConfigMap: 'restaurant-alert-rules',
  /** The rule file's key in that ConfigMap. */
  rulesFileKey: 'restaurant-alerts.yaml',
  /** PrometheusRule in `operator` mode. */
  prometheusRule: 'restaurant-alerts',
  /** Where the Prometheus server mounts the rules ConfigMap (beside /etc/config, not inside that configMap volume). */
  rulesMountPath: '/etc/restaurant-rules',
  /** Dashboard ConfigMaps are named `<prefix><dashboard>`. */
  dashboardPrefix: 'restaurant-dashboard-',
  /** Label and value the Grafana sidecar selects dashboard ConfigMaps by. */
  dashboardLabel: { key: 'grafana_dashboard', value: '1' },
  /** Annotation that names the Grafana folder of a dashboard. */
  folderAnnotation: 'grafana_folder',
  /** ServiceMonitor of istiod and PodMonitor of the proxies in `operator` mode. */
  istiodServiceMonitor: 'istiod',
  proxiesPodMonitor: 'istio-proxies',
} as const;

/** Inputs of {@link observabilityTopology}. */
export interface TopologyInput {
  /** Release name of the observability umbrella. @default "observability" */
  readonly release: string;
  /** Namespace the umbrella is installed into (`global.namespaces.observability`). */
  readonly namespace: string;
  /** `global.namespaces.istio`. */
  readonly istioNamespace: string;
  /** Cluster DNS domain. @default "cluster.local" */
  readonly clusterDomain?: string;
}

/** Where each component is reachable inside the cluster. */
export interface ObservabilityTopology {
  readonly prometheus: { readonly service: string; readonly port: number; readonly url: string };
  readonly grafana: { readonly service: string; readonly port: number; readonly url: string };
  readonly loki: { readonly service: string; readonly port: number; readonly url: string; readonly pushUrl: string };
  readonly jaeger: {
    readonly service: string;
    readonly host: string;
    readonly queryUrl: string;
    readonly grpcQueryUrl: string;
    readonly otlpGrpcPort: number;
    readonly otlpHttpPort: number;
  };
  readonly kiali: { readonly service: string; readonly port: number };
}

/**
 * Computes every in-cluster URL of the stack from the namespace names and the Services the
 * upstream lock recorded. The Service names are those of release {@link DEFAULT_RELEASE}; the
 * umbrella refuses to render as another release, so they cannot silently point elsewhere.
 */
export function observabilityTopology(input: TopologyInput): ObservabilityTopology {
  if (input.release !== DEFAULT_RELEASE) throw new Error(`the observability topology is computed for release ${DEFAULT_RELEASE}, not ${input.release}`);
  const domain = input.clusterDomain ?? 'cluster.local';
  const host = (service: string) => `${service}.${input.namespace}.svc.${domain}`;
  // Every consumer of these URLs (Grafana, Kiali, Alloy) runs in the umbrella's namespace, so the
  // short Service name resolves whatever that namespace is; Istio, outside it, gets the full host.
  const url = (service: { name: string; port: number }) => `http://${service.name}:${service.port}`;
  const prometheus = lockedService('prometheus', 'http', '-server');
  const grafana = lockedService('grafana', 'service');
  const loki = lockedService('loki', 'http-metrics');
  const jaegerQuery = lockedService('jaeger', 'http-query');
  const jaegerGrpcQuery = lockedService('jaeger', 'grpc-query');
  const otlpGrpc = lockedService('jaeger', 'otlp-grpc');
  const otlpHttp = lockedService('jaeger', 'otlp-http');
  const kiali = lockedService('kiali-server', 'http');
  return {
    prometheus: { service: prometheus.name, port: prometheus.port, url: url(prometheus) },
    grafana: { service: grafana.name, port: grafana.port, url: url(grafana) },
    loki: { service: loki.name, port: loki.port, url: url(loki), pushUrl: `${url(loki)}/loki/api/v1/push` },
    jaeger: {
      service: otlpGrpc.name,
      host: host(otlpGrpc.name),
      queryUrl: url(jaegerQuery),
      grpcQueryUrl: url(jaegerGrpcQuery),
      otlpGrpcPort: otlpGrpc.port,
      otlpHttpPort: otlpHttp.port,
    },
    kiali: { service: kiali.name, port: kiali.port },
  };
}

/**
 * Name of the OpenTelemetry tracing provider in Istio's `meshConfig.extensionProviders`; the
 * istio-mesh chart's `Telemetry` selects the provider by this name.
 */
export const ISTIO_TRACING_PROVIDER = 'otel';

/**
 * The tracing extension provider Istio's mesh config needs (`meshConfig.extensionProviders[]`),
 * pointing at Jaeger's OTLP gRPC receiver. The istio-mesh chart's defaults (`tracing.*`) are
 * derived from the same topology (see {@link istioMeshTracingValues}), and its tests compare the
 * rendered provider with this one, so the mesh cannot send spans to a Service nobody creates.
 */
export function istioTracingProvider(topology: ObservabilityTopology): { name: string; opentelemetry: { service: string; port: number } } {
  return { name: ISTIO_TRACING_PROVIDER, opentelemetry: { service: topology.jaeger.host, port: topology.jaeger.otlpGrpcPort } };
}

/**
 * The istio-mesh chart's `tracing` values for a topology: the Jaeger Service's short name (the
 * chart qualifies it with `global.namespaces.observability`, so a changed namespace is followed)
 * and its OTLP gRPC port.
 */
export function istioMeshTracingValues(topology: ObservabilityTopology): { provider: string; service: string; port: number } {
  return { provider: ISTIO_TRACING_PROVIDER, service: topology.jaeger.service, port: topology.jaeger.otlpGrpcPort };
}

/** The release name the umbrella's values are computed for. */
export const DEFAULT_RELEASE = 'observability';
