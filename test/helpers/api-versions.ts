// The `--api-versions` sets tests pass to `helm template`, as a cluster with the CRDs installed
// would report them. Helm matches `group/version` and `group/version/Kind` as separate entries.

/** Expands `group/version` + kinds into both entry forms. */
export function apiVersionsOf(groupVersion: string, kinds: readonly string[]): string[] {
  return [groupVersion, ...kinds.map((kind) => `${groupVersion}/${kind}`)];
}

/** Istio's v1 APIs (networking, security, telemetry). */
export const ISTIO_API_VERSIONS: readonly string[] = [
  ...apiVersionsOf('networking.istio.io/v1', ['VirtualService', 'DestinationRule', 'Gateway', 'Sidecar', 'ServiceEntry']),
  ...apiVersionsOf('security.istio.io/v1', ['AuthorizationPolicy', 'PeerAuthentication', 'RequestAuthentication']),
  ...apiVersionsOf('telemetry.istio.io/v1', ['Telemetry']),
];

/** The Sail Operator's API. */
export const SAIL_API_VERSIONS: readonly string[] = apiVersionsOf('sailoperator.io/v1', ['Istio', 'IstioRevision', 'IstioRevisionTag', 'IstioCNI', 'ZTunnel']);

/** Kubernetes Gateway API (ambient waypoints). */
export const GATEWAY_API_VERSIONS: readonly string[] = apiVersionsOf('gateway.networking.k8s.io/v1', ['Gateway', 'HTTPRoute']);

/** Prometheus Operator's API. */
export const PROMETHEUS_OPERATOR_API_VERSIONS: readonly string[] = apiVersionsOf('monitoring.coreos.com/v1', [
  'PrometheusRule',
  'ServiceMonitor',
  'PodMonitor',
]);
