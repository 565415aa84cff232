/**
 * The platform's alert catalogue: which alerts exist, what each one tells the person it wakes
 * (annotations, runbook), what its threshold means, and the defaults of its tunables (the platform's
 * alerting policy as prod runs it). The values schemas build one settings entry per alert from it;
 * the PromQL expressions and the rule-file rendering are the generator's
 * (generator/observability/rules.ts), which must give every name here an expression.
 *
 * `summary` and `description` carry Prometheus templates (`{{ $labels.… }}`, `{{ $value }}`); the
 * rule renderer escapes them on their way into the generated Helm helper, so they are written
 * here exactly as Prometheus reads them.
 */

/** Alert severities, as the `severity` label carries them. */
export const SEVERITIES = ['critical', 'warning', 'info'] as const;
/** One of {@link SEVERITIES}. */
export type Severity = (typeof SEVERITIES)[number];

/** What the values source holds per alert. */
export interface AlertDefaults {
  readonly severity: Severity;
  /** Prometheus duration the condition must hold before the alert fires. */
  readonly for: string;
  /** The threshold, for alerts that compare with one. */
  readonly threshold?: number;
}

/** The rule groups an alert can belong to. */
export type AlertGroup = 'restaurant-services' | 'restaurant-workloads' | 'istio-control-plane' | 'istio-data-plane';

/** One alert of the catalogue: everything about it but its expression. */
export interface AlertSpec {
  /** Alert name; also its key under `alerts` in the values. */
  readonly name: string;
  /** Rule group it belongs to. */
  readonly group: AlertGroup;
  /** What the threshold means, for the schema description (absent: the alert has none). */
  readonly threshold?: { readonly description: string; readonly minimum: number; readonly maximum?: number };
  /** Prometheus templates allowed (`{{ $labels.x }}`, `{{ $value }}`). */
  readonly summary: string;
  readonly description: string;
  /** Path below `rules.runbookBaseUrl`. */
  readonly runbook: string;
  /** Defaults (the prod thresholds of the platform's alerting policy). */
  readonly defaults: AlertDefaults;
}

// `as const` keeps the names as a union, so the generator's expression table is checked for
// exactly these alerts at compile time.
const CATALOGUE = [
  {
    name: 'HighErrorRate',
    group: 'restaurant-services',
    threshold: { description: 'Ratio of 5xx responses to all responses a service serves (0.05 = 5%).', minimum: 0, maximum: 1 },
    summary: 'High 5xx error rate on {{ $labels.destination_service_name }}',
    description: '{{ $labels.destination_service_name }} answers {{ $value | humanizePercentage }} of its requests with a 5xx status.',
    runbook: 'high-error-rate',
    defaults: { severity: 'critical', for: '5m', threshold: 0.05 },
  },
  {
    name: 'HighLatency',
    group: 'restaurant-services',
    threshold: { description: 'p95 request duration a service may reach, in milliseconds.', minimum: 1 },
    summary: 'High p95 latency on {{ $labels.destination_service_name }}',
    description: 'The 95th percentile request duration of {{ $labels.destination_service_name }} is {{ $value | humanize }} ms.',
    runbook: 'high-latency',
    defaults: { severity: 'warning', for: '5m', threshold: 1000 },
  },
  {
    name: 'PodDown',
    group: 'restaurant-workloads',
    summary: 'Deployment {{ $labels.deployment }} has unavailable pods',
    description: 'Deployment {{ $labels.namespace }}/{{ $labels.deployment }} has had fewer available replicas than desired for longer than the alert period.',
    runbook: 'pod-down',
    defaults: { severity: 'critical', for: '5m' },
  },
  {
    name: 'HighCPUUsage',
    group: 'restaurant-workloads',
    threshold: { description: "Ratio of CPU used to the container's CPU limit (0.8 = 80%).", minimum: 0, maximum: 1 },
    summary: 'High CPU usage of {{ $labels.pod }}/{{ $labels.container }}',
    description: 'Container {{ $labels.container }} of {{ $labels.namespace }}/{{ $labels.pod }} uses {{ $value | humanizePercentage }} of its CPU limit.',
    runbook: 'high-cpu-usage',
    defaults: { severity: 'warning', for: '10m', threshold: 0.8 },
  },
  {
    name: 'HighMemoryUsage',
    group: 'restaurant-workloads',
    threshold: {
      description: "Ratio of working-set memory to the container's memory limit (0.8 = 80%); above the limit the container is OOM-killed.",
      minimum: 0,
      maximum: 1,
    },
    summary: 'High memory usage of {{ $labels.pod }}/{{ $labels.container }}',
    description: 'Container {{ $labels.container }} of {{ $labels.namespace }}/{{ $labels.pod }} uses {{ $value | humanizePercentage }} of its memory limit.',
    runbook: 'high-memory-usage',
    defaults: { severity: 'warning', for: '10m', threshold: 0.8 },
  },
  {
    name: 'IstiodDown',
    group: 'istio-control-plane',
    summary: 'istiod is down',
    description:
      'No istiod instance in namespace {{ $labels.namespace }} has answered a scrape; sidecars keep their last configuration but get no updates and new pods get no certificates.',
    runbook: 'istiod-down',
    defaults: { severity: 'critical', for: '5m' },
  },
  {
    name: 'HighSidecarErrorRate',
    group: 'istio-data-plane',
    threshold: { description: 'Ratio of 5xx responses the calling sidecars see on outbound requests (0.01 = 1%).', minimum: 0, maximum: 1 },
    summary: 'Outbound requests of {{ $labels.source_workload }} fail',
    description:
      '{{ $value | humanizePercentage }} of the outbound requests from the sidecar of {{ $labels.source_workload_namespace }}/{{ $labels.source_workload }} end in a 5xx.',
    runbook: 'high-sidecar-error-rate',
    defaults: { severity: 'warning', for: '5m', threshold: 0.01 },
  },
  {
    name: 'PilotPushErrors',
    group: 'istio-control-plane',
    threshold: { description: 'Rate of xDS configuration pushes the proxies rejected, per second (0 = any rejection).', minimum: 0 },
    summary: 'Proxies reject {{ $labels.type }} configuration from istiod',
    description: 'Proxies rejected {{ $value | humanize }} {{ $labels.type }} pushes per second: the mesh configuration contains something Envoy cannot apply.',
    runbook: 'pilot-push-errors',
    defaults: { severity: 'warning', for: '5m', threshold: 0 },
  },
] as const satisfies readonly AlertSpec[];

/** The name of an alert of the catalogue. */
export type AlertName = (typeof CATALOGUE)[number]['name'];

/** The platform's alerts, in rule-file order. Adding one: see the README, section Observability. */
export const ALERT_CATALOGUE: readonly (AlertSpec & { readonly name: AlertName })[] = CATALOGUE;

/** The alert names, in order. */
export const ALERT_NAMES: readonly AlertName[] = ALERT_CATALOGUE.map((alert) => alert.name);
