/**
 * The platform's alert rules: the PromQL expression of every alert of the catalogue
 * (values-schemas/platform/alerts.ts, which holds names, annotations, thresholds and defaults), and
 * the Helm helper that renders them. Thresholds, `for` durations and severities are chart values
 * (per environment); the expressions and their rendering into rule groups live here. Annotations
 * carry Prometheus templates (`{{ $labels.… }}`, `{{ $value }}`), so they pass through
 * {@link escapeGoTemplate} on their way into the generated Helm helper.
 */
import { escapeGoTemplate } from './escape.js';
import { ALERT_CATALOGUE, type AlertName, type AlertSpec } from '../../values-schemas/platform/alerts.js';

/*
 * The promtool that tests the alert rules is not the pinned Prometheus. The pinned prometheus chart
 * runs Prometheus v3 (app v3.14, see the upstream lock); the rule tests run Debian's promtool 2.42.0
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

/**
 * Placeholders an expression may use; the generated helper replaces each with the Helm action
 * that reads the value at render time.
 */
export interface ExprSlots {
  /** The alert's `threshold` value. */
  readonly threshold: string;
  /** `global.namespaces.app`: where the restaurant services run. */
  readonly appNamespace: string;
  /** `global.namespaces.istio`: where istiod runs. */
  readonly istioNamespace: string;
}

/** One alert of the platform: its catalogue entry and its condition. */
export interface AlertDefinition extends AlertSpec {
  /** The PromQL condition, built from the slots. */
  readonly expr: (slots: ExprSlots) => string;
}

const destinationRatio = (filter: string, by: string, ns: string) =>
  `sum by (${by}) (rate(istio_requests_total{reporter="destination", destination_service_namespace="${ns}", ${filter}}[5m]))\n` +
  `  /\nsum by (${by}) (rate(istio_requests_total{reporter="destination", destination_service_namespace="${ns}"}[5m]))`;

/** The condition of every alert of the catalogue; the type makes the table complete and closed. */
const EXPRESSIONS: Readonly<Record<AlertName, (slots: ExprSlots) => string>> = {
  HighErrorRate: (s) => `(\n${destinationRatio('response_code=~"5.."', 'destination_service_name', s.appNamespace)}\n) > ${s.threshold}`,
  HighLatency: (s) =>
    `histogram_quantile(0.95,\n  sum by (destination_service_name, le) (rate(istio_request_duration_milliseconds_bucket{reporter="destination", destination_service_namespace="${s.appNamespace}"}[5m]))\n) > ${s.threshold}`,
  PodDown: (s) => `kube_deployment_status_replicas_available{namespace="${s.appNamespace}"}\n  <\nkube_deployment_spec_replicas{namespace="${s.appNamespace}"}`,
  HighCPUUsage: (s) =>
    `(\n  sum by (namespace, pod, container) (rate(container_cpu_usage_seconds_total{namespace="${s.appNamespace}", container!="", container!="POD"}[5m]))\n    /\n  sum by (namespace, pod, container) (kube_pod_container_resource_limits{namespace="${s.appNamespace}", resource="cpu"})\n) > ${s.threshold}`,
  HighMemoryUsage: (s) =>
    `(\n  sum by (namespace, pod, container) (container_memory_working_set_bytes{namespace="${s.appNamespace}", container!="", container!="POD"})\n    /\n  sum by (namespace, pod, container) (kube_pod_container_resource_limits{namespace="${s.appNamespace}", resource="memory"})\n) > ${s.threshold}`,
  // Every target down, or none scraped at all (wrong namespace, scrape job missing): absent()
  // covers the second. Both branches keep job and namespace, which the annotations name.
  IstiodDown: (s) =>
    `sum by (job, namespace) (up{job="istiod", namespace="${s.istioNamespace}"}) == 0\nor\nabsent(up{job="istiod", namespace="${s.istioNamespace}"})`,
  HighSidecarErrorRate: (s) =>
    `(\n  sum by (source_workload, source_workload_namespace) (rate(istio_requests_total{reporter="source", source_workload_namespace="${s.appNamespace}", response_code=~"5.."}[5m]))\n    /\n  sum by (source_workload, source_workload_namespace) (rate(istio_requests_total{reporter="source", source_workload_namespace="${s.appNamespace}"}[5m]))\n) > ${s.threshold}`,
  PilotPushErrors: (s) => `sum by (type) (rate(pilot_total_xds_rejects{namespace="${s.istioNamespace}"}[5m])) > ${s.threshold}`,
};

/** The platform's alerts, in rule-file order: the catalogue with each alert's expression. */
export const ALERTS: readonly AlertDefinition[] = ALERT_CATALOGUE.map((alert) => ({ ...alert, expr: EXPRESSIONS[alert.name] }));

/** The rule groups, in order of first appearance. */
export const RULE_GROUPS = [...new Set(ALERTS.map((alert) => alert.group))];

// Sentinels survive escapeGoTemplate (no braces) and are swapped for Helm actions afterwards.
const SENTINEL = (name: keyof ExprSlots) => `\u0000${name}\u0000`;
const sentinels: ExprSlots = { threshold: SENTINEL('threshold'), appNamespace: SENTINEL('appNamespace'), istioNamespace: SENTINEL('istioNamespace') };
const actions: Record<keyof ExprSlots, string> = {
  threshold: '{{ .threshold }}',
  appNamespace: '{{ $.Values.global.namespaces.app }}',
  istioNamespace: '{{ $.Values.global.namespaces.istio }}',
};

/** An expression with its slots filled by the Helm actions that read the values. */
export function exprTemplate(alert: AlertDefinition): string {
  let text = escapeGoTemplate(alert.expr(sentinels));
  for (const [slot, action] of Object.entries(actions)) text = text.split(SENTINEL(slot as keyof ExprSlots)).join(action);
  if (text.includes('\u0000')) throw new Error(`${alert.name}: unknown slot in its expression`);
  return text;
}

/** An expression with literal values, for tests and documentation. */
export function exprWith(alert: AlertDefinition, slots: ExprSlots): string {
  return alert.expr(slots);
}

const indent = (text: string, spaces: number) =>
  text
    .split('\n')
    .map((line) => `${' '.repeat(spaces)}${line}`)
    .join('\n');

/**
 * The generated Helm helper `observability-platform.rules.groups`: the rule groups as YAML (the
 * `groups:` document Prometheus reads and a PrometheusRule's `spec` holds), with each alert's
 * threshold, `for` and severity read from `.Values.alerts.<name>` and disabled alerts left out.
 */
export function renderRulesHelper(alerts: readonly AlertDefinition[] = ALERTS): string {
  const lines: string[] = [
    '{{/*',
    "The platform's alert rule groups as YAML (`groups: …`), from .Values.alerts; generated by",
    'generator/observability/rules.ts from the alert catalogue, values-schemas/platform/alerts.ts, where',
    'the expressions and annotations are defined.',
    'Usage:',
    '{{ include "observability-platform.rules.groups" . }}',
    '*/}}',
    '{{- define "observability-platform.rules.groups" -}}',
    '{{- $common := .Values.rules.additionalLabels }}',
    '{{- $runbooks := .Values.rules.runbookBaseUrl | trimSuffix "/" -}}',
    'groups:',
  ];
  for (const group of new Set(alerts.map((alert) => alert.group))) {
    const members = alerts.filter((alert) => alert.group === group);
    const anyEnabled = members.map((alert) => `$.Values.alerts.${alert.name}.enabled`).join(' ');
    lines.push(`{{- if or ${anyEnabled} false }}`, `  - name: ${group}`, '    rules:');
    for (const alert of members) {
      lines.push(
        `{{- with $.Values.alerts.${alert.name} }}{{ if .enabled }}`,
        `      - alert: ${alert.name}`,
        '        expr: |-',
        indent(exprTemplate(alert), 10),
        '        for: {{ .for }}',
        '        labels:',
        '          severity: {{ .severity }}',
        '          {{- with $common }}',
        '          {{- toYaml . | nindent 10 }}',
        '          {{- end }}',
        '        annotations:',
        `          summary: ${escapeGoTemplate(JSON.stringify(alert.summary))}`,
        `          description: ${escapeGoTemplate(JSON.stringify(alert.description))}`,
        `          runbook_url: {{ printf "%s/${alert.runbook}" $runbooks | quote }}`,
        '{{- end }}{{ end }}',
      );
    }
    lines.push('{{- end }}');
  }
  lines.push('{{- end -}}', '');
  return lines.join('\n');
}
