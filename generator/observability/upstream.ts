/**
 * The upstream charts the observability umbrella depends on, pinned exactly, with what this
 * project relies on about each pinned version: the values keys it may set (current keys), the
 * keys that older versions or stale guides use and the pinned version silently ignores or rejects
 * (stale keys), and the Services the chart creates for a release. Tests check the umbrella's
 * Chart.yaml and values files against this table offline, because the charts themselves cannot be
 * downloaded here. Facts checked against the upstream charts in 2026-08 (see issue 4).
 *
 * The value keys below were re-checked against the charts' own sources (stored copies, some older
 * than the pinned versions; each entry says which):
 * - prometheus: prometheus-community/helm-charts charts/prometheus/templates/deploy.yaml (server
 *   and config-reloader mounts, `extraVolumeDirs`); the stored Chart.yaml is 27.19.0.
 * - grafana: grafana-community/helm-charts charts/grafana/values.yaml (`admin.*`, `sidecar.dashboards.*`);
 *   the stored Chart.yaml is 11.1.0. Repository URL from that repository's README.
 * - loki: grafana-community/helm-charts charts/loki/values.yaml (`singleBinary.*`, `gateway.enabled`)
 *   and templates/_helpers.tpl (`loki.singleBinaryFullname`); the stored Chart.yaml is 8.2.0.
 *   `deploymentMode: Monolithic` is accepted beside `SingleBinary` by a newer `loki.deployment.isMonolithic`.
 * - alloy: grafana/alloy operations/helm/charts/alloy/values.yaml (chart 0.12.5; the chart is under
 *   a backward-compatibility policy since 1.0.0). Chart 1.11.0 pins Alloy v1.18.0 (grafana/alloy
 *   release helm-chart/1.11.0); 1.11.1 is published through grafana/helm-charts (release alloy-1.11.1).
 * - jaeger: jaegertracing/helm-charts charts/jaeger/templates/jaeger/jaeger-deploy.yaml and
 *   jaeger-user-config.yaml, jaeger-service.yaml (the Jaeger v2 layout).
 * - kiali-server: kiali/helm-charts kiali-server/values.yaml and ci/ (cluster_wide_access=false with
 *   discovery_selectors); external_services.tracing.* from kiali.io's Jaeger configuration page.
 */

/*
 * The promtool that tests the alert rules is not the pinned Prometheus. The pinned prometheus chart
 * runs Prometheus v3 (app `v3.14` below); the rule tests run Debian's promtool 2.42.0
 * (package `prometheus` 2.42.0+ds-5+deb12u1, bookworm; scripts/install-tools.mjs takes it from
 * apt, and another Debian release would bring another version). The Prometheus 3.0 changes
 * that touch rules, and where ours stand:
 *
 * - Range selectors are left-open in v3: `x[5m]` at T takes samples in (T-5m, T], 2.x took
 *   [T-5m, T]. With the tests' one-minute series, 2.42 sees 6 samples per 5m window, v3 sees 5.
 *   Every rate() in the rules is over a linearly growing counter in the tests, and rate()
 *   extrapolates to the window edges (the first sample is within 1.1 average intervals of the
 *   start), so the value is the same slope on both; the tests' `$value` assertions hold on both.
 *   Only the moment a condition first holds can move by one evaluation, and the tests leave a
 *   margin for it: not firing at `for`-1m, firing at `for`+6m and `for`+20m.
 * - `le` (classic histogram buckets) and `quantile` label values are normalised to float form on
 *   ingestion in v3 (`le="1"` is stored as `le="1.0"`, whatever the scrape protocol). HighLatency
 *   groups `by (le)` and hands the buckets to histogram_quantile(), which parses `le` as a number;
 *   no rule or dashboard query matches a literal `le` value, so the normalisation changes nothing.
 *   promtool's `input_series` bypass ingestion anyway, so no promtool version would show it.
 * - Regex matchers: `.` matches newlines in v3. The rules' only regex (`response_code=~"5.."`)
 *   applies to label values without newlines, so it selects the same series.
 * - Removed or renamed functions (`holt_winters` is `double_exponential_smoothing` behind a
 *   feature flag in v3): none is used. A rule using a function new in v3 would fail
 *   `promtool check rules` on 2.42, so such a rule would be noticed, not silently untested.
 *
 * Not covered by any test: evaluation differences between 2.42 and the pinned v3 beyond those
 * above. A v3 promtool (the upstream release archive) would remove the gap; it cannot be
 * downloaded on these machines.
 */

/** A Service an upstream chart creates, as a function of its full name. */
export interface UpstreamService {
  /** Service name for a chart full name (`<release>-<chart>` unless the release name contains the chart name). */
  readonly name: (fullname: string) => string;
  /** Port name → number. */
  readonly ports: Readonly<Record<string, number>>;
}

/** One pinned upstream chart. */
export interface UpstreamChart {
  /** Chart name in its repository; also the dependency name and values key in the umbrella. */
  readonly chart: string;
  /** Exact chart version. */
  readonly version: string;
  /** Chart repository URL. */
  readonly repository: string;
  /** Application version the chart version ships, for the README. */
  readonly appVersion: string;
  /** What it is for, for the README. */
  readonly purpose: string;
  /**
   * Values paths (dotted; a quoted segment may hold dots) the umbrella may set below the chart's key.
   * A path covers everything below it: `server.resources` allows `server.resources.limits.cpu`.
   */
  readonly currentKeys: readonly string[];
  /** Values paths that are stale for the pinned version, with why. */
  readonly staleKeys: Readonly<Record<string, string>>;
  /** Services the chart creates, by role. */
  readonly services: Readonly<Record<string, UpstreamService>>;
}

/** The pinned upstream charts, in dependency order. */
export const UPSTREAM_CHARTS = {
  prometheus: {
    chart: 'prometheus',
    version: '29.27.0',
    repository: 'https://prometheus-community.github.io/helm-charts',
    appVersion: 'v3.14',
    purpose: 'Metrics: Prometheus server, kube-state-metrics, node exporter; evaluates the platform\'s alert rules.',
    currentKeys: [
      'enabled',
      'alertmanager.enabled',
      'kube-state-metrics.enabled',
      'prometheus-node-exporter.enabled',
      'prometheus-pushgateway.enabled',
      'server.retention',
      'server.persistentVolume.enabled',
      'server.persistentVolume.size',
      'server.resources',
      'server.service.type',
      // Each entry is {name, mountPath, configMap, readOnly}; the server mounts it as volume `server-<name>`.
      'server.extraConfigmapMounts',
      // The config reloader needs the rules mounted too, and told to watch that directory
      // (it watches only /etc/config by default), or a rule change never reloads Prometheus.
      'configmapReload.prometheus.extraConfigmapMounts',
      'configmapReload.prometheus.extraVolumeDirs',
      'serverFiles."prometheus.yml".rule_files',
      'scrapeConfigs',
    ],
    staleKeys: {
      nodeExporter: 'renamed to prometheus-node-exporter (a subchart); the old key is silently ignored',
      pushgateway: 'renamed to prometheus-pushgateway (a subchart); the old key is silently ignored and the pushgateway stays on',
      'serverFiles."prometheus.yml".scrape_configs': 'since chart 28 the default jobs are the scrapeConfigs map; this list is appended to it, so re-declaring a default job duplicates it and Prometheus rejects the config',
      'scrapeConfigs.istio-telemetry': 'the Mixer telemetry job is obsolete since Istio 1.8',
      extraScrapeConfigs: 'use the scrapeConfigs map, keyed by job name, so jobs merge across values files',
    },
    services: {
      server: { name: (fullname) => `${fullname}-server`, ports: { http: 80 } },
    },
  },
  grafana: {
    chart: 'grafana',
    version: '12.11.1',
    repository: 'https://grafana-community.github.io/helm-charts',
    appVersion: '13.2',
    purpose: 'Dashboards: the platform\'s golden-signal and business dashboards, datasources for metrics, logs and traces.',
    currentKeys: [
      'enabled',
      'admin.existingSecret',
      'admin.userKey',
      'admin.passwordKey',
      'persistence.enabled',
      'persistence.size',
      'resources',
      'service.type',
      'datasources."datasources.yaml"',
      'sidecar.dashboards.enabled',
      'sidecar.dashboards.label',
      'sidecar.dashboards.labelValue',
      'sidecar.dashboards.searchNamespace',
      'sidecar.dashboards.folderAnnotation',
      'sidecar.dashboards.provider.foldersFromFilesStructure',
      '"grafana.ini"."auth.anonymous".enabled',
      '"grafana.ini".analytics.reporting_enabled',
      '"grafana.ini".analytics.check_for_updates',
    ],
    staleKeys: {
      adminPassword: 'a plaintext password in values; use admin.existingSecret',
      adminUser: 'use admin.existingSecret with admin.userKey',
      plugins: 'grafana-piechart-panel is an Angular plugin, unsupported since Grafana 12; the built-in pie chart replaces it',
      dashboards: 'a dashboard by gnetId without revision downloads revision 1; the platform ships its dashboards as ConfigMaps for the sidecar',
    },
    services: {
      http: { name: (fullname) => fullname, ports: { service: 80 } },
    },
  },
  loki: {
    chart: 'loki',
    version: '18.11.0',
    repository: 'https://grafana-community.github.io/helm-charts',
    appVersion: '3.7.6',
    purpose: 'Logs: Loki in monolithic mode with a TSDB v13 schema on a persistent volume.',
    currentKeys: [
      'enabled',
      'deploymentMode',
      'loki.auth_enabled',
      'loki.commonConfig.replication_factor',
      'loki.schemaConfig',
      'loki.storage.type',
      'loki.limits_config.retention_period',
      'loki.compactor.retention_enabled',
      'loki.compactor.delete_request_store',
      'singleBinary.replicas',
      // `singleBinary.persistence.enabled` defaults to true (10Gi): dev must switch it off explicitly.
      'singleBinary.persistence.enabled',
      'singleBinary.persistence.size',
      'singleBinary.resources',
      'gateway.enabled',
      'minio.enabled',
      'chunksCache.enabled',
      'resultsCache.enabled',
      'lokiCanary.enabled',
      'test.enabled',
    ],
    staleKeys: {
      'loki.schemaConfig.configs.boltdb-shipper': 'boltdb-shipper is replaced by tsdb with schema v13',
      'minio.enabled=true': 'the bundled MinIO is deprecated',
      promtail: 'Promtail is end of life (2026-03-02); pod logs ship with Alloy',
      'loki-stack': 'the loki-stack chart is deprecated and no longer buildable',
    },
    services: {
      http: { name: (fullname) => fullname, ports: { 'http-metrics': 3100 } },
    },
  },
  alloy: {
    chart: 'alloy',
    version: '1.11.1',
    repository: 'https://grafana.github.io/helm-charts',
    appVersion: 'v1.18',
    purpose: 'Log shipping: reads pod logs through the Kubernetes API and pushes them to Loki (replaces Promtail).',
    currentKeys: ['enabled', 'alloy.configMap.content', 'alloy.resources', 'controller.type'],
    staleKeys: {
      'config.clients': 'Promtail\'s client list; Alloy pushes with a loki.write component',
    },
    services: {},
  },
  jaeger: {
    chart: 'jaeger',
    version: '4.11.1',
    repository: 'https://jaegertracing.github.io/helm-charts',
    appVersion: 'v2',
    purpose: 'Traces: Jaeger v2 receiving OTLP from the Istio proxies; Kiali queries it over gRPC.',
    // The v2 Deployment renders only when `jaeger.enabled`; `userconfig` becomes the --config file.
    currentKeys: ['enabled', 'jaeger.enabled', 'jaeger.resources', 'userconfig'],
    staleKeys: {
      allInOne: 'Jaeger v1 layout; chart 4.x runs Jaeger v2 from the jaeger: block',
      'storage.type': 'ignored by chart 4.x (traces stay in memory); storage is configured in userconfig',
      provisionDataStore: 'Jaeger v1 layout',
      agent: 'the Jaeger agent is gone in v2; proxies send OTLP',
      collector: 'Jaeger v1 layout',
      query: 'Jaeger v1 layout',
    },
    services: {
      // One Service for everything.
      all: { name: (fullname) => fullname, ports: { 'http-query': 16686, 'grpc-query': 16685, 'otlp-grpc': 4317, 'otlp-http': 4318, zipkin: 9411 } },
    },
  },
  'kiali-server': {
    chart: 'kiali-server',
    version: '2.29.0',
    repository: 'https://kiali.org/helm-charts',
    appVersion: 'v2.29.0',
    purpose: 'Mesh console: topology, traffic and Istio configuration, with links into Grafana and Jaeger.',
    currentKeys: [
      'enabled',
      'auth.strategy',
      'deployment.cluster_wide_access',
      'deployment.discovery_selectors',
      'deployment.service_type',
      'deployment.resources',
      'external_services.prometheus.url',
      'external_services.grafana.enabled',
      'external_services.grafana.internal_url',
      'external_services.grafana.external_url',
      'external_services.tracing.enabled',
      'external_services.tracing.provider',
      'external_services.tracing.internal_url',
      'external_services.tracing.external_url',
      'external_services.tracing.use_grpc',
      'external_services.istio.root_namespace',
    ],
    staleKeys: {
      'deployment.accessible_namespaces': 'gone in Kiali 2; use deployment.cluster_wide_access and deployment.discovery_selectors',
      'external_services.grafana.in_cluster_url': 'renamed to external_services.grafana.internal_url',
      'external_services.tracing.in_cluster_url': 'renamed to external_services.tracing.internal_url',
      'external_services.grafana.url': 'split into internal_url and external_url',
      'external_services.tracing.url': 'split into internal_url and external_url',
      'deployment.ingress_enabled': 'dashboards are exposed through the mesh ingress, not a chart Ingress',
    },
    services: {
      http: { name: () => 'kiali', ports: { http: 20001 } },
    },
  },
} as const satisfies Record<string, UpstreamChart>;

/** The umbrella's upstream dependency names. */
export type UpstreamName = keyof typeof UPSTREAM_CHARTS;

/** The upstream dependency names, in order. */
export const UPSTREAM_NAMES = Object.keys(UPSTREAM_CHARTS) as UpstreamName[];

/**
 * A chart's full name for a release, as Helm's scaffolded `fullname` helper (which these charts
 * keep) computes it: the release name when it already contains the chart name, else
 * `<release>-<chart>`, truncated to 63 characters.
 */
export function helmFullname(release: string, chart: string): string {
  const name = release.includes(chart) ? release : `${release}-${chart}`;
  return name.slice(0, 63).replace(/-+$/, '');
}

/**
 * Splits a dotted values path into segments; a double-quoted segment may hold dots
 * (`serverFiles."prometheus.yml".rule_files`).
 */
export function splitPath(path: string): string[] {
  const segments: string[] = [];
  for (const match of path.matchAll(/"([^"]*)"|([^.]+)/g)) segments.push(match[1] ?? match[2]!);
  return segments;
}
