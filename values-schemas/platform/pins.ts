/**
 * The upstream artifacts the project is built against, pinned exactly: the six observability
 * charts the umbrella depends on, Istio's own charts (what the Sail Operator renders) and the CRD
 * sets the charts' custom resources are checked against. These are the choices; everything the
 * project relies on about them (content digests, values key paths, the Services they render) is
 * derived from the artifacts themselves by `chartkit upstream sync` into `upstream-lock.json`.
 */

/** A pinned upstream chart. */
export interface ChartPin {
  readonly kind: 'chart';
  /** Chart name in its repository; for the umbrella's dependencies also the values key. */
  readonly name: string;
  /** Exact chart version. */
  readonly version: string;
  /** Chart repository URL (`helm pull --repo`). */
  readonly repository: string;
  /** Where the chart's source lives, for people. */
  readonly source: string;
}

/** A pinned set of CRDs, fetched file by file from a release. */
export interface CrdPin {
  readonly kind: 'crds';
  /** Short name of the set: the mirror folder is `crds/<name>-<version>/`. */
  readonly name: string;
  readonly version: string;
  /** Base URL the files are fetched from over the network (`<base>/<file>`). */
  readonly baseUrl: string;
  /** The files of the set. */
  readonly files: readonly string[];
  readonly source: string;
}

/** Any pinned artifact. */
export type Pin = ChartPin | CrdPin;

const ISTIO_VERSION = '1.30.3';
const ISTIO_REPOSITORY = 'https://istio-release.storage.googleapis.com/charts';
const istioChart = (name: string): ChartPin => ({
  kind: 'chart',
  name,
  version: ISTIO_VERSION,
  repository: ISTIO_REPOSITORY,
  source: `https://github.com/istio/istio/tree/${ISTIO_VERSION}/manifests/charts`,
});

/** The observability charts, in the umbrella's dependency order. */
export const OBSERVABILITY_PINS = [
  {
    kind: 'chart',
    name: 'prometheus',
    version: '29.27.0',
    repository: 'https://prometheus-community.github.io/helm-charts',
    source: 'https://github.com/prometheus-community/helm-charts/tree/main/charts/prometheus',
  },
  {
    kind: 'chart',
    name: 'grafana',
    version: '12.11.1',
    repository: 'https://grafana-community.github.io/helm-charts',
    source: 'https://github.com/grafana-community/helm-charts/tree/main/charts/grafana',
  },
  {
    kind: 'chart',
    name: 'loki',
    version: '18.11.0',
    repository: 'https://grafana-community.github.io/helm-charts',
    source: 'https://github.com/grafana-community/helm-charts/tree/main/charts/loki',
  },
  {
    kind: 'chart',
    name: 'alloy',
    version: '1.11.1',
    repository: 'https://grafana.github.io/helm-charts',
    source: 'https://github.com/grafana/alloy/tree/main/operations/helm/charts/alloy',
  },
  {
    kind: 'chart',
    name: 'jaeger',
    version: '4.11.1',
    repository: 'https://jaegertracing.github.io/helm-charts',
    source: 'https://github.com/jaegertracing/helm-charts/tree/main/charts/jaeger',
  },
  { kind: 'chart', name: 'kiali-server', version: '2.29.0', repository: 'https://kiali.org/helm-charts', source: 'https://github.com/kiali/helm-charts' },
] as const satisfies readonly ChartPin[];

/** Istio's charts at the version the Sail Operator installs. */
export const ISTIO_CHART_PINS: readonly ChartPin[] = ['base', 'istiod', 'cni', 'ztunnel', 'gateway'].map(istioChart);

const SAIL_KINDS = ['istios', 'istiorevisions', 'istiorevisiontags', 'istiocnis', 'ztunnels'];
const GATEWAY_API_KINDS = [
  'backendtlspolicies',
  'gatewayclasses',
  'gateways',
  'grpcroutes',
  'httproutes',
  'listenersets',
  'referencegrants',
  'tcproutes',
  'tlsroutes',
  'udproutes',
  'vap_safeupgrades',
];

/** The CRD sets. */
export const CRD_PINS: readonly CrdPin[] = [
  {
    kind: 'crds',
    name: 'istio',
    version: ISTIO_VERSION,
    baseUrl: `https://raw.githubusercontent.com/istio/istio/${ISTIO_VERSION}/manifests/charts/base/files`,
    files: ['crd-all.gen.yaml'],
    source: `https://github.com/istio/istio/tree/${ISTIO_VERSION}`,
  },
  {
    kind: 'crds',
    name: 'sail-operator',
    version: ISTIO_VERSION,
    baseUrl: `https://raw.githubusercontent.com/istio-ecosystem/sail-operator/${ISTIO_VERSION}/chart/crds`,
    files: SAIL_KINDS.map((kind) => `sailoperator.io_${kind}.yaml`),
    source: `https://github.com/istio-ecosystem/sail-operator/tree/${ISTIO_VERSION}/chart/crds`,
  },
  {
    kind: 'crds',
    name: 'gateway-api',
    version: 'v1.6.1',
    baseUrl: 'https://raw.githubusercontent.com/kubernetes-sigs/gateway-api/v1.6.1/config/crd/standard',
    files: GATEWAY_API_KINDS.map((kind) => `gateway.networking.k8s.io_${kind}.yaml`),
    source: 'https://github.com/kubernetes-sigs/gateway-api/tree/v1.6.1/config/crd/standard',
  },
  {
    kind: 'crds',
    name: 'prometheus-operator',
    version: 'v0.93.1',
    baseUrl: 'https://github.com/prometheus-operator/prometheus-operator/releases/download/v0.93.1',
    files: ['crds.yaml'],
    source: 'https://github.com/prometheus-community/helm-charts/tree/main/charts/prometheus-operator-crds',
  },
];

/** Every pinned artifact, charts first. */
export const PINS: readonly Pin[] = [...OBSERVABILITY_PINS, ...ISTIO_CHART_PINS, ...CRD_PINS];

/** A name of one of the umbrella's upstream dependencies. */
export type ObservabilityChartName = (typeof OBSERVABILITY_PINS)[number]['name'];

/** The umbrella's upstream dependency names, in order. */
export const OBSERVABILITY_CHART_NAMES: readonly ObservabilityChartName[] = OBSERVABILITY_PINS.map((pin) => pin.name);

/** The file name of a pinned chart's package: `<name>-<version>.tgz`, as in a Helm repository. */
export const chartPackageName = (pin: ChartPin): string => `${pin.name}-${pin.version}.tgz`;

/** The folder of a CRD set in a mirror or the cache: `crds/<name>-<version>`. */
export const crdFolder = (pin: CrdPin): string => `crds/${pin.name}-${pin.version}`;

/** A stable id for messages and the lock: `chart prometheus 29.27.0`. */
export const pinId = (pin: Pin): string => `${pin.kind === 'chart' ? 'chart' : 'CRDs'} ${pin.name} ${pin.version}`;
