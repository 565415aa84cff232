/**
 * Builds the umbrella's values for an environment from the topology (every cross-reference), the
 * sizing table and the Istio scrape jobs. Defaults and overlays are both derived from it, so an
 * overlay is exactly the difference an environment makes.
 */
import type { Environment, GlobalValues } from '../common/global.js';
import { globalDefaults, imagelessGlobal } from '../common/global.js';
import { SIZING } from './sizing.js';
import { ALERT_ROUTING } from './alerting.js';
import { alertmanagerConfig, alertmanagerSecretMounts } from './alertmanager.js';
import { COMPONENT_NAMES, type ObservabilityValues, type UpstreamBlock } from './schema.js';
import { DATASOURCES, DEFAULT_RELEASE, PLATFORM_OBJECTS, observabilityTopology, type ObservabilityTopology } from '../platform/topology.js';
import { istioScrapeJobs } from './scrape.js';
import { helmFullname } from '../platform/upstream.js';
import { overlays as platformOverlays } from '../observability-platform/overlays.js';

/** The Secret the Grafana admin credentials come from (created out of band; never in values). */
export const GRAFANA_ADMIN_SECRET = { name: 'grafana-admin', userKey: 'admin-user', passwordKey: 'admin-password' } as const;

/**
 * The Secret Kiali's login-token signing key comes from (created out of band, 32 characters). The
 * chart's default is a random key per render: every upgrade would log everyone out, and a GitOps
 * tool would show a permanent diff.
 */
export const KIALI_SIGNING_SECRET = { name: 'kiali-signing-key', key: 'signing-key' } as const;

/** The Prometheus chart's default rule files, kept, plus the platform's. */
const DEFAULT_RULE_FILES = ['/etc/config/recording_rules.yml', '/etc/config/alerting_rules.yml', '/etc/config/rules', '/etc/config/alerts'];

/** Alloy's pipeline: pod logs read through the Kubernetes API (no hostPath), pushed to Loki. */
export function alloyConfig(pushUrl: string): string {
  return [
    'discovery.kubernetes "pods" {',
    '  role = "pod"',
    '}',
    '',
    'discovery.relabel "pods" {',
    '  targets = discovery.kubernetes.pods.targets',
    '  rule {',
    '    source_labels = ["__meta_kubernetes_namespace"]',
    '    target_label  = "namespace"',
    '  }',
    '  rule {',
    '    source_labels = ["__meta_kubernetes_pod_name"]',
    '    target_label  = "pod"',
    '  }',
    '  rule {',
    '    source_labels = ["__meta_kubernetes_pod_container_name"]',
    '    target_label  = "container"',
    '  }',
    '  rule {',
    '    source_labels = ["__meta_kubernetes_pod_label_app"]',
    '    target_label  = "app"',
    '  }',
    '}',
    '',
    'loki.source.kubernetes "pods" {',
    '  targets    = discovery.relabel.pods.output',
    '  forward_to = [loki.write.default.receiver]',
    '}',
    '',
    'loki.write "default" {',
    '  endpoint {',
    `    url = "${pushUrl}"`,
    '  }',
    '}',
    '',
  ].join('\n');
}

/** The port Jaeger's own metrics are served on: the one the chart's scrape annotations name. */
export const JAEGER_METRICS_PORT = 8888;

/** Jaeger v2's configuration: OTLP and Zipkin in, in-memory storage, the query service on 16686/16685. */
export function jaegerUserConfig(maxTraces: number): Record<string, unknown> {
  return {
    service: {
      extensions: ['jaeger_storage', 'jaeger_query', 'healthcheckv2'],
      pipelines: { traces: { receivers: ['otlp', 'zipkin'], processors: ['batch'], exporters: ['jaeger_storage_exporter'] } },
      // The chart advertises port 8888 for scraping (pod annotations, Service port); the collector's
      // own metrics listen on localhost:8888 unless told otherwise, so nobody could scrape them.
      telemetry: { metrics: { readers: [{ pull: { exporter: { prometheus: { host: '0.0.0.0', port: JAEGER_METRICS_PORT } } } }] } },
    },
    extensions: {
      healthcheckv2: { use_v2: true, http: { endpoint: '0.0.0.0:13133' } },
      jaeger_query: { storage: { traces: 'main' }, http: { endpoint: '0.0.0.0:16686' }, grpc: { endpoint: '0.0.0.0:16685' } },
      jaeger_storage: { backends: { main: { memory: { max_traces: maxTraces } } } },
    },
    receivers: {
      otlp: { protocols: { grpc: { endpoint: '0.0.0.0:4317' }, http: { endpoint: '0.0.0.0:4318' } } },
      zipkin: { endpoint: '0.0.0.0:9411' },
    },
    processors: { batch: {} },
    exporters: { jaeger_storage_exporter: { trace_storage: 'main' } },
  };
}

/**
 * A container security context that meets the `restricted` Pod Security Standard; merged over each
 * upstream chart's own (which sets the user where the image needs one).
 */
export function restrictedContainer(user?: number): Record<string, unknown> {
  return {
    runAsNonRoot: true,
    ...(user === undefined ? {} : { runAsUser: user, runAsGroup: user }),
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/**
 * Where the node exporter runs: it needs the host's network, PID namespace and file systems, which
 * the `restricted` profile of the observability namespace forbids, so it gets a namespace of its
 * own (labelled `privileged`; created before the install, see the README).
 */
export const NODE_EXPORTER_NAMESPACE = 'observability-node-exporter';

/**
 * The upstream charts name their objects after the release (`<release>-<chart>`). The umbrella
 * pins every name to the one the lock recorded for release {@link DEFAULT_RELEASE}, so its
 * cross-references hold under any release name (Argo CD names releases after applications).
 */
export function fixedName(chart: string): string {
  return helmFullname(DEFAULT_RELEASE, chart);
}

/** The release and namespaces the values are computed for. */
export interface BuildInput {
  readonly environment: Environment;
  readonly global: GlobalValues;
  readonly release: string;
}

/** The topology of the default release in the default namespaces. */
export function defaultTopology(global: GlobalValues = globalDefaults): ObservabilityTopology {
  return observabilityTopology({
    release: DEFAULT_RELEASE,
    namespace: global.namespaces.observability,
    istioNamespace: global.namespaces.istio,
    clusterDomain: global.clusterDomain,
  });
}

/** The complete umbrella values of one environment. */
export function buildValues(input: BuildInput): ObservabilityValues {
  const { environment, global } = input;
  const sizing = SIZING[environment];
  const topology = observabilityTopology({
    release: input.release,
    namespace: global.namespaces.observability,
    istioNamespace: global.namespaces.istio,
    clusterDomain: global.clusterDomain,
  });
  const rulesMount = { name: 'restaurant-rules', mountPath: PLATFORM_OBJECTS.rulesMountPath, configMap: PLATFORM_OBJECTS.rulesConfigMap, readOnly: true };
  const persistent = sizing.volumes !== undefined;
  const dev = environment === 'dev';

  const prometheus: UpstreamBlock = {
    fullnameOverride: fixedName('prometheus'),
    alertmanager: {
      enabled: !dev,
      fullnameOverride: fixedName('alertmanager'),
      securityContext: restrictedContainer(),
      // The chart's default config has one receiver that sends nowhere: no alert would be delivered.
      config: alertmanagerConfig(ALERT_ROUTING),
      extraSecretMounts: alertmanagerSecretMounts(ALERT_ROUTING),
    },
    // Without the secrets collector kube-state-metrics needs no right to read every Secret.
    'kube-state-metrics': { enabled: true, fullnameOverride: fixedName('kube-state-metrics'), collectorsExclude: ['secrets'] },
    // The node exporter needs host namespaces (privileged Pod Security); dev clusters skip it.
    'prometheus-node-exporter': {
      enabled: !dev,
      fullnameOverride: fixedName('prometheus-node-exporter'),
      namespaceOverride: NODE_EXPORTER_NAMESPACE,
      // It needs the host's namespaces and file systems, but no capabilities and no syscalls beyond the default profile.
      containerSecurityContext: {
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
        readOnlyRootFilesystem: true,
      },
    },
    'prometheus-pushgateway': { enabled: false },
    server: {
      fullnameOverride: topology.prometheus.service,
      containerSecurityContext: restrictedContainer(),
      retention: sizing.retention,
      persistentVolume: persistent ? { enabled: true, size: sizing.volumes!.prometheus } : { enabled: false },
      resources: sizing.prometheus,
      service: { type: 'ClusterIP' },
      extraConfigmapMounts: [rulesMount],
    },
    // The reloader watches only /etc/config unless told otherwise; without the extra directory a
    // changed rule ConfigMap would never reload Prometheus.
    configmapReload: {
      prometheus: { containerSecurityContext: restrictedContainer(), extraConfigmapMounts: [rulesMount], extraVolumeDirs: [PLATFORM_OBJECTS.rulesMountPath] },
    },
    serverFiles: { 'prometheus.yml': { rule_files: [...DEFAULT_RULE_FILES, `${PLATFORM_OBJECTS.rulesMountPath}/${PLATFORM_OBJECTS.rulesFileKey}`] } },
    scrapeConfigs: {
      ...istioScrapeJobs(global.namespaces.istio),
      // Both probe targets through exporters the stack does not run (pushgateway off, no blackbox
      // exporter): their targets would only ever be down.
      'prometheus-pushgateway': { enabled: false },
      'kubernetes-services': { enabled: false },
    },
  };

  const grafana: UpstreamBlock = {
    fullnameOverride: topology.grafana.service,
    admin: { existingSecret: GRAFANA_ADMIN_SECRET.name, userKey: GRAFANA_ADMIN_SECRET.userKey, passwordKey: GRAFANA_ADMIN_SECRET.passwordKey },
    persistence: persistent ? { enabled: true, size: sizing.volumes!.grafana } : { enabled: false },
    // The init container chowns the volume as root; the pod's fsGroup already gives Grafana its files.
    initChownData: { enabled: false },
    resources: sizing.grafana,
    service: { type: 'ClusterIP' },
    // A Role in its own namespace: the dashboard sidecar only searches there, and a ClusterRole
    // would let Grafana read every Secret in the cluster.
    rbac: { namespaced: true },
    // A ReadWriteOnce volume cannot be mounted by the new pod while the old one holds it.
    deploymentStrategy: { type: persistent ? 'Recreate' : 'RollingUpdate' },
    'grafana.ini': { 'auth.anonymous': { enabled: false }, analytics: { reporting_enabled: false, check_for_updates: false } },
    datasources: {
      'datasources.yaml': {
        apiVersion: 1,
        datasources: [
          {
            name: DATASOURCES.prometheus.name,
            type: DATASOURCES.prometheus.type,
            uid: DATASOURCES.prometheus.uid,
            access: 'proxy',
            url: topology.prometheus.url,
            isDefault: true,
          },
          { name: DATASOURCES.loki.name, type: DATASOURCES.loki.type, uid: DATASOURCES.loki.uid, access: 'proxy', url: topology.loki.url },
          { name: DATASOURCES.jaeger.name, type: DATASOURCES.jaeger.type, uid: DATASOURCES.jaeger.uid, access: 'proxy', url: topology.jaeger.queryUrl },
        ],
      },
    },
    sidecar: {
      dashboards: {
        enabled: true,
        label: PLATFORM_OBJECTS.dashboardLabel.key,
        labelValue: PLATFORM_OBJECTS.dashboardLabel.value,
        searchNamespace: global.namespaces.observability,
        folderAnnotation: PLATFORM_OBJECTS.folderAnnotation,
        provider: { foldersFromFilesStructure: true },
      },
    },
  };

  const loki: UpstreamBlock = {
    fullnameOverride: topology.loki.service,
    deploymentMode: 'Monolithic',
    loki: {
      auth_enabled: false,
      commonConfig: { replication_factor: 1 },
      schemaConfig: {
        configs: [{ from: '2026-01-01', store: 'tsdb', object_store: 'filesystem', schema: 'v13', index: { prefix: 'loki_index_', period: '24h' } }],
      },
      storage: { type: 'filesystem' },
      limits_config: { retention_period: sizing.logRetention },
      compactor: { retention_enabled: true, delete_request_store: 'filesystem' },
    },
    singleBinary: {
      replicas: 1,
      // The chart's default is a 10Gi claim; dev has no volumes, so say so.
      persistence: persistent ? { enabled: true, size: sizing.volumes!.loki } : { enabled: false },
      resources: sizing.loki,
    },
    // Loki's own validation refuses a monolithic deployment while the simple-scalable targets keep
    // their default 3 replicas each.
    read: { replicas: 0 },
    write: { replicas: 0 },
    backend: { replicas: 0 },
    gateway: { enabled: false },
    minio: { enabled: false },
    chunksCache: { enabled: false },
    resultsCache: { enabled: false },
    lokiCanary: { enabled: false },
    // The rules sidecar is unused (alerts are Prometheus's); it needs a ClusterRole reading every Secret.
    sidecar: { rules: { enabled: false } },
    test: { enabled: false },
  };

  const alloy: UpstreamBlock = {
    fullnameOverride: fixedName('alloy'),
    // One instance reads every pod's log through the API; a DaemonSet would read each log once per node.
    controller: { type: 'deployment' },
    // Only what discovery.kubernetes (pods) and loki.source.kubernetes (pods, their logs) need; the
    // chart's default rules also read every ConfigMap and Secret in the cluster.
    rbac: { rules: [{ apiGroups: [''], resources: ['pods', 'pods/log', 'namespaces'], verbs: ['get', 'list', 'watch'] }] },
    // Alloy's image user (473); the chart runs it with no security context at all.
    alloy: { configMap: { content: alloyConfig(topology.loki.pushUrl) }, resources: sizing.alloy, securityContext: restrictedContainer(473) },
  };

  const jaeger: UpstreamBlock = {
    fullnameOverride: topology.jaeger.service,
    // Jaeger's image user (10001).
    jaeger: { enabled: true, resources: sizing.jaeger, securityContext: restrictedContainer(10001) },
    userconfig: jaegerUserConfig(sizing.maxTraces),
  };

  const kiali: UpstreamBlock = {
    auth: { strategy: dev ? 'anonymous' : 'token' },
    // Mounted from the Secret by the chart (its `secret:<name>:<key>` form), the same on every render.
    login_token: { signing_key: `secret:${KIALI_SIGNING_SECRET.name}:${KIALI_SIGNING_SECRET.key}` },
    // Remote-cluster secrets are found by a `lookup` of every Secret in the namespace; one cluster needs none.
    clustering: { autodetect_secrets: { enabled: false } },
    deployment: {
      // Namespace-scoped access needs the chart's `lookup` of namespaces, which returns nothing under
      // `helm template` (Argo CD, CI): Kiali would see only its own namespace. Cluster-wide read
      // access (Kiali's viewer role, no Secrets) with the discovery selectors below scopes what it
      // shows the same way under install and template.
      cluster_wide_access: true,
      discovery_selectors: {
        default: [
          {
            matchExpressions: [
              {
                key: 'kubernetes.io/metadata.name',
                operator: 'In',
                values: [global.namespaces.app, global.namespaces.istio, global.namespaces.ingress, global.namespaces.observability],
              },
            ],
          },
        ],
      },
      service_type: 'ClusterIP',
      // Anonymous access (dev) would otherwise come with Kiali's write role.
      view_only_mode: dev,
      resources: sizing.kiali,
    },
    external_services: {
      prometheus: { url: topology.prometheus.url },
      grafana: { enabled: true, internal_url: topology.grafana.url, external_url: `https://grafana.${global.domain}` },
      tracing: {
        enabled: true,
        provider: 'jaeger',
        use_grpc: true,
        internal_url: topology.jaeger.grpcQueryUrl,
        external_url: `https://jaeger.${global.domain}`,
      },
      istio: { root_namespace: global.namespaces.istio },
    },
  };

  const { global: _platformGlobal, ...platformOverlay } = platformOverlays[environment];
  return {
    global: imagelessGlobal(global),
    components: Object.fromEntries(COMPONENT_NAMES.map((name) => [name, { enabled: true }])) as ObservabilityValues['components'],
    prometheus,
    grafana,
    loki,
    alloy,
    jaeger,
    'kiali-server': kiali,
    // The umbrella's Prometheus is the prometheus chart, which reads rule files, not PrometheusRule objects.
    'observability-platform': { ...platformOverlay, monitoring: { mode: 'files' } } as UpstreamBlock,
  };
}
