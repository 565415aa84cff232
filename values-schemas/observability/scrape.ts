/**
 * Scrape configuration of istiod and the Istio proxies for a Prometheus that reads plain scrape
 * jobs (the prometheus chart's `scrapeConfigs` map, `files` mode). In `operator` mode the
 * observability-platform chart renders a ServiceMonitor and a PodMonitor instead.
 *
 * Why `kubernetes-pods` is restated here: with Istio's metrics merging, the sidecar injector
 * rewrites a meshed pod's `prometheus.io/*` annotations to the merged endpoint (15020
 * `/stats/prometheus`: application + Envoy metrics), and istiod's pods carry scrape annotations
 * too. The chart's default annotation job would therefore scrape meshed pods and istiod a second
 * time beside the dedicated jobs, doubling every `istio_*` series. The restated job is the same
 * annotation convention minus those pods.
 */
import { ISTIO_METRICS } from '../platform/topology.js';

/** A Prometheus scrape job as the prometheus chart's `scrapeConfigs` map holds it (the key is the job name). */
export interface ScrapeJob {
  readonly enabled: boolean;
  readonly [field: string]: unknown;
}

const podIdentity = [
  { source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace', action: 'replace' },
  { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod', action: 'replace' },
];

/** `sidecar.istio.io/status` is set by the injector on every pod that got a proxy (sidecars and gateways). */
const MESHED = '__meta_kubernetes_pod_annotationpresent_sidecar_istio_io_status';

/** The scrape jobs for istiod, the proxies, and the annotation job without them; keyed by job name. */
export function istioScrapeJobs(istioNamespace: string): Record<string, ScrapeJob> {
  return {
    istiod: {
      enabled: true,
      kubernetes_sd_configs: [{ role: 'endpoints', namespaces: { names: [istioNamespace] } }],
      relabel_configs: [
        {
          source_labels: ['__meta_kubernetes_service_name', '__meta_kubernetes_endpoint_port_name'],
          // `istiod`, or `istiod-<revision>` under the Sail Operator's RevisionBased updates (prod).
          regex: `${ISTIO_METRICS.istiod.service}(-[a-z0-9-]+)?;${ISTIO_METRICS.istiod.portName}`,
          action: 'keep',
        },
        ...podIdentity,
      ],
    },
    'istio-proxies': {
      enabled: true,
      metrics_path: ISTIO_METRICS.merged.path,
      kubernetes_sd_configs: [{ role: 'pod' }],
      relabel_configs: [
        { source_labels: [MESHED], regex: 'true', action: 'keep' },
        // One target per pod: the proxy's Envoy port, then moved to the merged endpoint.
        { source_labels: ['__meta_kubernetes_pod_container_port_name'], regex: ISTIO_METRICS.envoy.portName, action: 'keep' },
        { source_labels: ['__meta_kubernetes_pod_phase'], regex: 'Pending|Succeeded|Failed|Completed', action: 'drop' },
        {
          source_labels: ['__meta_kubernetes_pod_ip'],
          regex: '(.+)',
          replacement: `$1:${ISTIO_METRICS.merged.port}`,
          target_label: '__address__',
          action: 'replace',
        },
        ...podIdentity,
        { regex: '__meta_kubernetes_pod_label_(app|version)', action: 'labelmap' },
      ],
    },
    'kubernetes-pods': {
      enabled: true,
      honor_labels: true,
      kubernetes_sd_configs: [{ role: 'pod' }],
      relabel_configs: [
        { source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_scrape'], regex: 'true', action: 'keep' },
        // The chart's kubernetes-pods-slow job takes these.
        { source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_scrape_slow'], regex: 'true', action: 'drop' },
        // Meshed pods and istiod have their own jobs above.
        { source_labels: [MESHED], regex: 'true', action: 'drop' },
        { source_labels: ['__meta_kubernetes_namespace', '__meta_kubernetes_pod_label_app'], regex: `${istioNamespace};istiod`, action: 'drop' },
        { source_labels: ['__meta_kubernetes_pod_phase'], regex: 'Pending|Succeeded|Failed|Completed', action: 'drop' },
        { source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_scheme'], regex: '(https?)', target_label: '__scheme__', action: 'replace' },
        { source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_path'], regex: '(.+)', target_label: '__metrics_path__', action: 'replace' },
        {
          source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_port', '__meta_kubernetes_pod_ip'],
          regex: '(\\d+);(([A-Fa-f0-9]{1,4}::?){1,7}[A-Fa-f0-9]{1,4})',
          replacement: '[$2]:$1',
          target_label: '__address__',
          action: 'replace',
        },
        {
          source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_port', '__meta_kubernetes_pod_ip'],
          regex: '(\\d+);((([0-9]+?)(\\.|$)){4})',
          replacement: '$2:$1',
          target_label: '__address__',
          action: 'replace',
        },
        { regex: '__meta_kubernetes_pod_annotation_prometheus_io_param_(.+)', replacement: '__param_$1', action: 'labelmap' },
        { regex: '__meta_kubernetes_pod_label_(.+)', action: 'labelmap' },
        ...podIdentity,
        { source_labels: ['__meta_kubernetes_pod_node_name'], target_label: 'node', action: 'replace' },
      ],
    },
  };
}
