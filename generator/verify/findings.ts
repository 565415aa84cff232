/**
 * What `chartkit verify` reports: findings, each from one named check, about one object (or the
 * values), with the values path that caused it where there is one and what to do about it; and,
 * loudly, what it could not check.
 */

/** The checks `chartkit verify` runs, in the order it reports them, with what each judges. */
export const VERIFY_CHECKS = {
  values: "the charts' own values schemas and template guards (what `helm install` itself would refuse)",
  models: 'built-in Kubernetes objects against the Kubernetes OpenAPI schemas (kubernetes-models)',
  crd: 'custom resources against the pinned CRDs, their structural schemas and CEL rules',
  'api-rules': "the API server's own rules a schema does not express: names, labels, ports, ranges, requests within limits, selectors",
  'pod-security': 'every workload under the restricted Pod Security profile (documented exceptions aside)',
  mesh: 'the Istio mesh: call graph against AuthorizationPolicies, mTLS, subsets and weights, retry budgets, egress, principals, gateway hosts, mesh mode, and in prod the production checklist',
  'cross-chart':
    'one platform across the charts: the same namespaces and mesh mode, the OTLP target, every in-cluster URL resolving to a rendered Service and port',
  operations:
    'day-2 operations: disruption budgets that leave a node drainable at the minimum replica count, autoscalers whose target requests what they scale on',
  'scrape-coverage':
    "every series an alert or dashboard reads kept by a job of the real Prometheus configuration, for each of its producer's pods (the relabel evaluator)",
} as const;

/** A check's id. */
export type VerifyCheckId = keyof typeof VERIFY_CHECKS;

/**
 * Each check's SARIF rule id: stable and opaque, as SARIF asks (the readable id is the rule's
 * name); a new check gets the next number, a number is never reused.
 */
export const SARIF_RULE_IDS: Readonly<Record<VerifyCheckId, string>> = {
  values: 'CKV001',
  models: 'CKV002',
  crd: 'CKV003',
  'api-rules': 'CKV004',
  'pod-security': 'CKV005',
  mesh: 'CKV006',
  'cross-chart': 'CKV007',
  operations: 'CKV008',
  'scrape-coverage': 'CKV009',
};

/** One problem `chartkit verify` found. */
export interface Finding {
  readonly check: VerifyCheckId;
  /** `Kind namespace/name` of the object, or the chart for a values finding. */
  readonly object: string;
  /** What is wrong, in one sentence. */
  readonly message: string;
  /** The values path (in the umbrella's values) that caused it, where one is known. */
  readonly path?: string;
  /** What to change. */
  readonly fix?: string;
}

/** Something a check could not judge: reported with the findings, never counted as passed. */
export interface NotChecked {
  readonly check: VerifyCheckId;
  readonly what: string;
  readonly why: string;
}

/** The result of one `chartkit verify`. */
export interface VerifyReport {
  readonly environment: string;
  readonly helm: number;
  /** The checks that ran (a check whose inputs failed to render did not). */
  readonly checks: readonly VerifyCheckId[];
  readonly findings: readonly Finding[];
  readonly notChecked: readonly NotChecked[];
  /** Objects judged, per chart. */
  readonly objects: Readonly<Record<string, number>>;
  /** Wall time of the renders and of the checks, in milliseconds. */
  readonly timings: { readonly renderMs: number; readonly checksMs: number };
}
