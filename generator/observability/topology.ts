/**
 * Every cross-reference of the observability stack, computed in one place from the release and
 * namespace names: Grafana's datasource URLs, Kiali's Prometheus/Grafana/tracing URLs, Alloy's
 * push URL, the OTLP endpoint Istio's tracing provider sends to, and the names of the objects the
 * observability-platform chart creates. The umbrella's values and the platform chart's helpers are
 * generated from it, so they cannot disagree.
 */
import { UPSTREAM_CHARTS, helmFullname } from './upstream.js';

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

/** Computes every in-cluster URL of the stack from the release and namespace names. */
export function observabilityTopology(input: TopologyInput): ObservabilityTopology {
  const domain = input.clusterDomain ?? 'cluster.local';
  const host = (service: string) => `${service}.${input.namespace}.svc.${domain}`;
  const service = <C extends keyof typeof UPSTREAM_CHARTS>(chart: C, role: keyof (typeof UPSTREAM_CHARTS)[C]['services']) => {
    const entry = (UPSTREAM_CHARTS[chart].services as Record<string, { name: (f: string) => string; ports: Record<string, number> }>)[role as string]!;
    return { name: entry.name(helmFullname(input.release, UPSTREAM_CHARTS[chart].chart)), ports: entry.ports };
  };
  const prometheus = service('prometheus', 'server');
  const grafana = service('grafana', 'http');
  const loki = service('loki', 'http');
  const jaeger = service('jaeger', 'all');
  const kiali = service('kiali-server', 'http');
  const lokiPort = loki.ports['http-metrics']!;
  return {
    prometheus: { service: prometheus.name, port: prometheus.ports.http!, url: `http://${host(prometheus.name)}:${prometheus.ports.http}` },
    grafana: { service: grafana.name, port: grafana.ports.service!, url: `http://${host(grafana.name)}:${grafana.ports.service}` },
    loki: {
      service: loki.name,
      port: lokiPort,
      url: `http://${host(loki.name)}:${lokiPort}`,
      pushUrl: `http://${host(loki.name)}:${lokiPort}/loki/api/v1/push`,
    },
    jaeger: {
      service: jaeger.name,
      host: host(jaeger.name),
      queryUrl: `http://${host(jaeger.name)}:${jaeger.ports['http-query']}`,
      grpcQueryUrl: `http://${host(jaeger.name)}:${jaeger.ports['grpc-query']}`,
      otlpGrpcPort: jaeger.ports['otlp-grpc']!,
      otlpHttpPort: jaeger.ports['otlp-http']!,
    },
    kiali: { service: kiali.name, port: kiali.ports.http! },
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
