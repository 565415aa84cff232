// observability-platform objects: in operator mode a PrometheusRule, a ServiceMonitor for istiod
// and a PodMonitor for the proxies; in files mode a rule-file ConfigMap; always the dashboard
// ConfigMaps. Every object passes its model and the strict unknown-field check on Helm 3 and 4.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import yaml from 'js-yaml';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { PodMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor';
import { render } from '../helpers/helm.js';
import { describeRejectedValues } from '../helpers/rejected.js';
import { all, mustGet, countByKind, type KubeObject } from '../helpers/models.js';
import { assertStrict } from '../helpers/strict.js';
import { HELM_MAJORS } from '../helpers/tools.js';
import { ALERTS } from '../../generator/observability/rules.js';
import { DASHBOARDS } from '../../generator/observability/dashboards.js';
import { ISTIO_METRICS, PLATFORM_OBJECTS } from '../../values-schemas/platform/topology.js';
import { globalDefaults } from '../../values-schemas/common/global.js';
import { ENVIRONMENTS, alertSettings, platformRender, CHART } from './fixtures.js';

const rendered: KubeObject[] = [];
const dashboardNames = Object.keys(DASHBOARDS)
  .map((name) => `${PLATFORM_OBJECTS.dashboardPrefix}${name}`)
  .sort();
const alertNames = ALERTS.map((alert) => alert.name);

interface RuleGroups {
  groups: Array<{
    name: string;
    rules: Array<{ alert: string; expr: string; for: string; labels: Record<string, string>; annotations: Record<string, string> }>;
  }>;
}

describe.each(HELM_MAJORS)('observability-platform objects on Helm %i', (helm) => {
  describe.each(ENVIRONMENTS)('in %s', (environment) => {
    let operator: KubeObject[];
    let files: KubeObject[];
    beforeAll(async () => {
      // GIVEN the environment's overlay, WHEN rendered with and without the operator API
      [operator, files] = await Promise.all([render(platformRender(helm, environment, 'operator')), render(platformRender(helm, environment, 'files'))]);
      rendered.push(...operator, ...files);
    });

    it('should render the operator kinds when the API exists', () => {
      // THEN one PrometheusRule, ServiceMonitor and PodMonitor, plus the dashboards
      expect(countByKind(operator)).toEqual({ PrometheusRule: 1, ServiceMonitor: 1, PodMonitor: 1, ConfigMap: dashboardNames.length });
      expect(
        all(operator, ConfigMap)
          .map((map) => map.metadata?.name)
          .sort(),
      ).toEqual(dashboardNames);
    });

    it('should fall back to a rule-file ConfigMap without the API', () => {
      // THEN no operator kind, and the rule ConfigMap the prometheus chart mounts by name
      expect(countByKind(files)).toEqual({ ConfigMap: dashboardNames.length + 1 });
      const rules = mustGet(files, ConfigMap, PLATFORM_OBJECTS.rulesConfigMap);
      expect(Object.keys(rules.data ?? {})).toEqual([PLATFORM_OBJECTS.rulesFileKey]);
    });

    it('should put every object in the observability namespace', () => {
      for (const object of [...operator, ...files]) expect(object.metadata?.namespace).toBe(globalDefaults.namespaces.observability);
    });

    it("should carry the same rule groups in both modes, with every alert and the environment's settings", () => {
      const rule = mustGet(operator, PrometheusRule, PLATFORM_OBJECTS.prometheusRule);
      const fromFile = yaml.load(mustGet(files, ConfigMap, PLATFORM_OBJECTS.rulesConfigMap).data![PLATFORM_OBJECTS.rulesFileKey]!) as RuleGroups;
      // THEN the file is exactly the PrometheusRule's spec
      expect(fromFile).toEqual(JSON.parse(JSON.stringify(rule.spec)));
      const rules = fromFile.groups.flatMap((group) => group.rules);
      expect(rules.map((entry) => entry.alert).sort()).toEqual([...alertNames].sort());
      const settings = alertSettings(environment);
      for (const entry of rules) {
        const expected = settings[entry.alert]!;
        expect(entry.for).toBe(expected.for);
        expect(entry.labels).toEqual({ severity: expected.severity });
        expect(Object.keys(entry.annotations).sort()).toEqual(['description', 'runbook_url', 'summary']);
        // THEN Prometheus templates survived Helm (escaped on the way in)
        expect(entry.annotations.summary).not.toContain('`');
        if (expected.threshold !== undefined) expect(entry.expr).toMatch(new RegExp(`> ${String(expected.threshold).replace('.', '\\.')}$`));
        expect(entry.expr).not.toContain('{{');
      }
      expect(rules.find((entry) => entry.alert === 'HighErrorRate')!.annotations.summary).toBe('High 5xx error rate on {{ $labels.destination_service_name }}');
    });

    it('should scrape istiod on its monitoring port in the Istio namespace', () => {
      const monitor = mustGet(operator, ServiceMonitor, PLATFORM_OBJECTS.istiodServiceMonitor);
      expect(monitor.spec.namespaceSelector?.matchNames).toEqual([globalDefaults.namespaces.istio]);
      expect(monitor.spec.selector.matchLabels).toEqual({ app: 'istiod' });
      expect(monitor.spec.endpoints?.map((endpoint) => [endpoint.port, endpoint.path])).toEqual([[ISTIO_METRICS.istiod.portName, '/metrics']]);
    });

    it("should scrape the proxies' Envoy endpoint in the app and ingress namespaces", () => {
      const monitor = mustGet(operator, PodMonitor, PLATFORM_OBJECTS.proxiesPodMonitor);
      expect(monitor.spec.namespaceSelector?.matchNames).toEqual([globalDefaults.namespaces.app, globalDefaults.namespaces.ingress]);
      expect(monitor.spec.podMetricsEndpoints?.map((endpoint) => [endpoint.port, endpoint.path])).toEqual([
        [ISTIO_METRICS.envoy.portName, ISTIO_METRICS.envoy.path],
      ]);
    });

    it('should label each dashboard for the Grafana sidecar and ship its JSON unchanged', () => {
      for (const [name, dashboard] of Object.entries(DASHBOARDS)) {
        const map = mustGet(files, ConfigMap, `${PLATFORM_OBJECTS.dashboardPrefix}${name}`);
        expect(map.metadata?.labels?.[PLATFORM_OBJECTS.dashboardLabel.key]).toBe(PLATFORM_OBJECTS.dashboardLabel.value);
        expect(map.metadata?.annotations?.[PLATFORM_OBJECTS.folderAnnotation]).toBe('Restaurant');
        // THEN Grafana's {{label}} legends are intact
        expect(JSON.parse(map.data![`${name}.json`]!)).toEqual(JSON.parse(JSON.stringify(dashboard)));
      }
    });
  });
});

// GIVEN the chart's defaults with one mistake each
describeRejectedValues('observability-platform refuses bad values', (helm) => ({ chart: CHART, helm }), [
  { name: 'a negative latency threshold', set: ['alerts.HighLatency.threshold=-5'], path: 'alerts.HighLatency.threshold' },
  { name: 'an error-rate threshold above 1', set: ['alerts.HighErrorRate.threshold=1.5'], path: 'alerts.HighErrorRate.threshold' },
  { name: 'an unknown severity', set: ['alerts.PodDown.severity=page'], path: 'alerts.PodDown.severity' },
  { name: 'a duration in words', set: ['alerts.HighCPUUsage.for=10 minutes'], path: 'alerts.HighCPUUsage.for' },
  { name: 'an unknown monitoring mode', set: ['monitoring.mode=operatr'], path: 'monitoring.mode' },
  { name: 'a runbook base URL that is not a URL', set: ['rules.runbookBaseUrl=runbooks'], path: 'rules.runbookBaseUrl' },
  // Units out of order: Prometheus and the operator's CRDs refuse `5m1h`.
  { name: 'a scrape interval with its units out of order', set: ['scrape.interval=30s1m'], path: 'scrape.interval' },
  { name: 'an alert duration with its units out of order', set: ['alerts.HighCPUUsage.for=5m1h'], path: 'alerts.HighCPUUsage.for' },
  { name: 'a label value with a space', set: ['commonLabels.team=platform team'], path: 'commonLabels.team' },
  // Prometheus label names have no dots or slashes.
  { name: 'a rule label name with dots and a slash', set: ['rules.additionalLabels.app\\.kubernetes\\.io/team=x'], path: 'rules.additionalLabels' },
  // A key the alert does not have: the alert's path is named
  { name: 'a threshold on an alert without one', set: ['alerts.PodDown.threshold=1'], path: 'alerts.PodDown', message: 'threshold' },
  { name: 'a misspelt alert key', set: ['alerts.HighLatency.thresold=1'], path: 'alerts.HighLatency', message: 'thresold' },
  {
    name: "commonLabels replacing the chart's own labels (template guard)",
    set: ['commonLabels.app\\.kubernetes\\.io/name=x'],
    path: 'commonLabels.app.kubernetes.io/name',
    message: 'the chart sets this label itself',
  },
  {
    name: 'operator mode forced without the operator API (template guard)',
    set: ['monitoring.mode=operator'],
    path: 'monitoring.mode',
    message:
      'monitoring.mode is operator but the cluster does not serve monitoring.coreos.com/v1/PrometheusRule, monitoring.coreos.com/v1/ServiceMonitor, monitoring.coreos.com/v1/PodMonitor: install the Prometheus Operator CRDs',
  },
]);

describe.each(HELM_MAJORS)('observability-platform with global.skipCapabilityCheck on Helm %i', (helm) => {
  it('should render operator mode without the operator API, as it renders with it', async () => {
    // GIVEN operator mode forced and the one capability flag set, WHEN rendered without the API and with it
    const [skipped, served] = await Promise.all([
      render(platformRender(helm, 'prod', 'files', { set: ['monitoring.mode=operator', 'global.skipCapabilityCheck=true'] })),
      render(platformRender(helm, 'prod', 'operator', { set: ['monitoring.mode=operator'] })),
    ]);
    // THEN the guard stands aside and the operator kinds render the same
    expect(countByKind(skipped)).toEqual({ PrometheusRule: 1, ServiceMonitor: 1, PodMonitor: 1, ConfigMap: dashboardNames.length });
    expect(skipped).toEqual(served);
  });
});

afterAll(() => {
  // THEN no object carries a field its model does not know
  assertStrict(rendered);
});
