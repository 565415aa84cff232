/**
 * What the observability umbrella needs to say about its upstream charts beyond what the upstream
 * lock derives from the charts themselves: what each is for, which of their values are free-form
 * maps (keyed by names the user chooses), and which real keys the platform must not set. The
 * pins are in ./pins.ts; key paths, digests and Services in the lock (./locked.ts).
 */
import type { ObservabilityChartName } from './pins.js';
import { joinPath, leafPaths, lockedChart, splitPath, type UpstreamLock } from './locked.js';

/** What each dependency is for, for the README and the schema. */
export const UPSTREAM_PURPOSE: Readonly<Record<ObservabilityChartName, string>> = {
  prometheus: "Metrics: Prometheus server, kube-state-metrics, node exporter, Alertmanager; evaluates the platform's alert rules.",
  grafana: "Dashboards: the platform's golden-signal and business dashboards, datasources for metrics, logs and traces.",
  loki: 'Logs: Loki in monolithic mode with a TSDB v13 schema on a persistent volume.',
  alloy: 'Log shipping: reads pod logs through the Kubernetes API and pushes them to Loki (replaces Promtail).',
  jaeger: 'Traces: Jaeger v2 receiving OTLP from the Istio proxies; Kiali queries it over gRPC.',
  'kiali-server': 'Mesh console: topology, traffic and Istio configuration, with links into Grafana and Jaeger.',
};

/**
 * Values below which any key is the user's (a map keyed by job, section or receiver name, or a
 * configuration file of the upstream application), so the lock's key paths do not constrain them.
 */
export const FREE_FORM: Readonly<Record<ObservabilityChartName, readonly string[]>> = {
  // scrapeConfigs is keyed by job name; serverFiles holds Prometheus's own configuration files.
  prometheus: ['scrapeConfigs', 'serverFiles', 'alertmanager.config', 'alertmanager.extraSecretMounts'],
  // grafana.ini is Grafana's configuration file, by section; datasources by file name.
  grafana: ['"grafana.ini"', 'datasources'],
  // Loki's configuration blocks mirror Loki's own configuration reference.
  loki: ['loki.schemaConfig', 'loki.limits_config', 'loki.compactor', 'loki.storage'],
  alloy: [],
  // userconfig is Jaeger's (OpenTelemetry collector) configuration file.
  jaeger: ['userconfig'],
  // Kiali's chart hands external_services to Kiali's configuration as it is.
  'kiali-server': ['deployment.discovery_selectors', 'external_services'],
};

/** Real upstream keys the platform's values must not set, with why. */
export const DISCOURAGED_KEYS: Readonly<Record<ObservabilityChartName, Readonly<Record<string, string>>>> = {
  prometheus: {
    extraScrapeConfigs: 'use the scrapeConfigs map, keyed by job name, so jobs merge across values files',
    'serverFiles."prometheus.yml".scrape_configs':
      'the default jobs are the scrapeConfigs map; this list is appended to it, so re-declaring a default job duplicates it',
  },
  grafana: {
    adminPassword: 'a plaintext password in values; use admin.existingSecret',
    adminUser: 'use admin.existingSecret with admin.userKey',
    plugins: 'grafana-piechart-panel is an Angular plugin, unsupported since Grafana 12',
    dashboards: 'the platform ships its dashboards as ConfigMaps for the sidecar',
  },
  loki: {},
  alloy: {},
  jaeger: {},
  'kiali-server': {},
};

/** Values keys whose value is a Kubernetes API object that the charts copy into their objects. */
const KUBERNETES_TYPED = new Set(['resources', 'securityContext', 'containerSecurityContext', 'podSecurityContext', 'affinity', 'nodeSelector', 'tolerations']);

const startsWith = (path: readonly string[], prefix: readonly string[]) =>
  prefix.length <= path.length && prefix.every((segment, index) => path[index] === segment);

/**
 * The paths below `values` (a dependency's block of the umbrella's values) that the pinned chart
 * does not have: neither a key path of its `values.yaml` (or of a subchart's, below its name), nor
 * below a leaf of one (an empty map or null default is open), nor below a free-form map, nor a
 * path its templates read. Empty when every key is real.
 */
export function unknownUpstreamKeys(name: ObservabilityChartName, values: Record<string, unknown>, lock?: UpstreamLock): string[] {
  const locked = lockedChart(name, lock);
  const known = locked.valuesPaths.map(splitPath);
  const free = FREE_FORM[name].map(splitPath);
  const read = locked.templatePaths.map(splitPath);
  return leafPaths(values)
    .filter((path) => path[0] !== 'global')
    .filter((path) => {
      // Below a Kubernetes API type the keys are that type's fields, which the strict model check
      // of the rendered objects judges (and resources are keyed by resource name).
      if (path.some((segment) => KUBERNETES_TYPED.has(segment))) return false;
      if (free.some((prefix) => startsWith(path, prefix))) return false;
      return ![...known, ...read].some((leaf) => startsWith(path, leaf) || startsWith(leaf, path));
    })
    .map(joinPath);
}

/**
 * A chart's full name for a release, as Helm's scaffolded `fullname` helper (which these charts
 * keep) computes it: the release name when it already contains the chart name, else
 * `<release>-<chart>`, truncated to 63 characters.
 */
export function helmFullname(release: string, chart: string): string {
  const name = release.includes(chart) ? release : `${release}-${chart}`;
  return name.slice(0, 63).replace(/-+$/, '');
}
