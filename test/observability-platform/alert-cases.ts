// One promtool unit-test case per alert: input series that put the alert's condition above its
// threshold (it must fire once its `for` has passed) and below it (it must stay silent), with the
// labels and $value the firing alert carries. Adding an alert means adding its case here; the
// rules test fails for an alert without one.

/** One input series of a promtool test. */
export interface Series {
  readonly series: string;
  readonly values: string;
}

/** What an alert's case produces for a threshold. */
export interface CaseInput {
  /** Series that hold the condition (above the threshold). */
  readonly above: readonly Series[];
  /** Series that do not (below the threshold, or healthy). */
  readonly below: readonly Series[];
  /** Labels of the firing alert, besides `alertname` and `severity`. */
  readonly labels: Readonly<Record<string, string>>;
  /** `$value` of the firing alert, for the expected annotations. */
  readonly value: number;
}

/** An alert's case, given the environment's threshold (undefined for alerts without one) and namespaces. */
export type AlertCase = (threshold: number | undefined, ns: { app: string; istio: string }) => CaseInput;

const SAMPLES = 40;
/** A counter growing by `perMinute` every minute. */
const counter = (perMinute: number) => `0+${perMinute}x${SAMPLES}`;
/** A gauge holding `value`. */
const gauge = (value: number) => `${value}x${SAMPLES}`;
const selector = (name: string, labels: Record<string, string>) =>
  `${name}{${Object.entries(labels)
    .map(([key, value]) => `${key}="${value}"`)
    .join(', ')}}`;

/** Two request counters (5xx and 2xx) whose 5xx share is `ratio` of 1000 requests a minute (0.1% resolution). */
function requests(labels: Record<string, string>, ratio: number): Series[] {
  const errors = Math.round(ratio * 1000);
  return [
    { series: selector('istio_requests_total', { ...labels, response_code: '503' }), values: counter(errors) },
    { series: selector('istio_requests_total', { ...labels, response_code: '200' }), values: counter(1000 - errors) },
  ];
}

const aboveRatio = (threshold: number) => Math.min(1, Math.max(threshold * 2, threshold + 0.05));
const belowRatio = (threshold: number) => threshold / 2;

/** The cases, keyed by alert name. */
export const ALERT_CASES: Readonly<Record<string, AlertCase>> = {
  HighErrorRate: (threshold = 0, ns) => {
    const labels = { reporter: 'destination', destination_service_namespace: ns.app, destination_service_name: 'order-service' };
    return {
      above: requests(labels, aboveRatio(threshold)),
      below: requests(labels, belowRatio(threshold)),
      labels: { destination_service_name: 'order-service' },
      value: Math.round(aboveRatio(threshold) * 1000) / 1000,
    };
  },
  HighLatency: (threshold = 1000, ns) => {
    // Every request lands in one bucket; histogram_quantile interpolates 95% into it.
    const labels = { reporter: 'destination', destination_service_namespace: ns.app, destination_service_name: 'menu-service' };
    const bounds = [threshold / 2, threshold, threshold * 2];
    const buckets = (bucket: number) =>
      [...bounds.map(String), '+Inf'].map((le, index) => ({
        series: selector('istio_request_duration_milliseconds_bucket', { ...labels, le }),
        values: counter(index >= bucket ? 60 : 0),
      }));
    return {
      above: buckets(2),
      below: buckets(1),
      labels: { destination_service_name: 'menu-service' },
      value: threshold + threshold * 0.95,
    };
  },
  PodDown: (_threshold, ns) => {
    const labels = { namespace: ns.app, deployment: 'order-service' };
    const replicas = (available: number) => [
      { series: selector('kube_deployment_status_replicas_available', labels), values: gauge(available) },
      { series: selector('kube_deployment_spec_replicas', labels), values: gauge(2) },
    ];
    return { above: replicas(1), below: replicas(2), labels, value: 1 };
  },
  HighCPUUsage: (threshold = 0.8, ns) => {
    const labels = { namespace: ns.app, pod: 'order-service-7d9f', container: 'order-service' };
    // A limit of one core; usage grows by ratio × 60 CPU-seconds a minute.
    const usage = (ratio: number) => [
      { series: selector('container_cpu_usage_seconds_total', labels), values: counter(ratio * 60) },
      { series: selector('kube_pod_container_resource_limits', { ...labels, resource: 'cpu' }), values: gauge(1) },
    ];
    const above = (1 + threshold) / 2;
    return { above: usage(above), below: usage(threshold / 2), labels, value: above };
  },
  HighMemoryUsage: (threshold = 0.8, ns) => {
    const labels = { namespace: ns.app, pod: 'order-service-7d9f', container: 'order-service' };
    const limit = 1_000_000_000;
    const usage = (ratio: number) => [
      { series: selector('container_memory_working_set_bytes', labels), values: gauge(Math.round(ratio * limit)) },
      { series: selector('kube_pod_container_resource_limits', { ...labels, resource: 'memory' }), values: gauge(limit) },
    ];
    const above = (1 + threshold) / 2;
    return { above: usage(above), below: usage(threshold / 2), labels, value: above };
  },
  IstiodDown: (_threshold, ns) => {
    const up = (value: number) => [{ series: selector('up', { job: 'istiod', namespace: ns.istio, pod: 'istiod-5c8d' }), values: gauge(value) }];
    return { above: up(0), below: up(1), labels: { job: 'istiod', namespace: ns.istio }, value: 0 };
  },
  HighSidecarErrorRate: (threshold = 0, ns) => {
    const labels = { reporter: 'source', source_workload_namespace: ns.app, source_workload: 'api-gateway' };
    return {
      above: requests(labels, aboveRatio(threshold)),
      below: requests(labels, belowRatio(threshold)),
      labels: { source_workload: 'api-gateway', source_workload_namespace: ns.app },
      value: Math.round(aboveRatio(threshold) * 1000) / 1000,
    };
  },
  PilotPushErrors: (threshold = 0, ns) => {
    const labels = { namespace: ns.istio, type: 'cds' };
    // Rejections per minute: enough to exceed the per-second threshold; none below it.
    const above = Math.max(1, Math.ceil(threshold * 60 * 2));
    const below = Math.floor((threshold * 60) / 2);
    return {
      above: [{ series: selector('pilot_total_xds_rejects', labels), values: counter(above) }],
      below: [{ series: selector('pilot_total_xds_rejects', labels), values: counter(below) }],
      labels: { type: 'cds' },
      value: above / 60,
    };
  },
};

/** Go's `%.4g`, as Prometheus' humanize functions print. */
function fourDigits(value: number): string {
  return String(Number(value.toPrecision(4)));
}

/** Prometheus' `humanize`: SI prefixes (k, M, G, T; m, u, n, p). */
export function humanize(value: number): string {
  if (value === 0 || !Number.isFinite(value)) return fourDigits(value);
  const big = ['', 'k', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y'];
  const small = ['', 'm', 'u', 'n', 'p', 'f', 'a', 'z', 'y'];
  let scaled = value;
  let index = 0;
  if (Math.abs(value) >= 1) {
    while (Math.abs(scaled) >= 1000 && index < big.length - 1) {
      scaled /= 1000;
      index += 1;
    }
    return `${fourDigits(scaled)}${big[index]}`;
  }
  while (Math.abs(scaled) < 1 && index < small.length - 1) {
    scaled *= 1000;
    index += 1;
  }
  return `${fourDigits(scaled)}${small[index]}`;
}

/** Prometheus' `humanizePercentage`. */
export function humanizePercentage(value: number): string {
  return `${fourDigits(value * 100)}%`;
}

/** Expands the Prometheus template forms the platform's annotations use. */
export function expandAnnotation(text: string, labels: Readonly<Record<string, string>>, value: number): string {
  return text.replace(/\{\{ ([^}]*) \}\}/g, (_whole, body: string) => {
    const label = /^\$labels\.(\w+)$/.exec(body);
    if (label) return labels[label[1]!] ?? '';
    if (body === '$value | humanizePercentage') return humanizePercentage(value);
    if (body === '$value | humanize') return humanize(value);
    if (body === '$value') return String(value);
    throw new Error(`expandAnnotation: unsupported template {{ ${body} }}: extend it in test/observability-platform/alert-cases.ts`);
  });
}
