/**
 * Emits the observability-platform chart: the platform's own alert rules, Grafana dashboards and
 * Istio scrape objects. It has no dependencies and renders offline; the observability umbrella
 * includes it with `file://`.
 */
import { releaseOf, LIBRARY_CHART, type ChartModule, type OutputFile } from '../types.js';
import { renderChart } from '../emit/chart.js';
import { renderDefines } from '../emit/helper.js';
import type { ValuesSource } from '../../values-schemas/common/source.js';
import { observabilityPlatformValues } from '../../values-schemas/observability-platform/index.js';
import { ALERTS, renderRulesHelper } from '../observability/rules.js';
import { DASHBOARDS, dashboardJson } from '../observability/dashboards.js';
import { ISTIO_METRICS, PLATFORM_OBJECTS } from '../../values-schemas/platform/topology.js';

const SOURCE = 'generator/charts/observability-platform.ts';

/**
 * A generated helper file of fixed names, one per area (the chart keeps one helper file per area):
 * `names`, the object names other charts refer to (from {@link PLATFORM_OBJECTS}), and `istio`,
 * Istio's metrics ports (from {@link ISTIO_METRICS}).
 */
export function renderNamesHelper(area: 'names' | 'istio'): string {
  const defines: Array<[string, string, string]> = [
    ['names.rulesConfigMap', PLATFORM_OBJECTS.rulesConfigMap, 'Name of the rule-file ConfigMap (files mode); the prometheus chart mounts it by this name.'],
    ['names.rulesFileKey', PLATFORM_OBJECTS.rulesFileKey, 'Key of the rule file in that ConfigMap.'],
    ['names.prometheusRule', PLATFORM_OBJECTS.prometheusRule, 'Name of the PrometheusRule (operator mode).'],
    ['names.dashboardPrefix', PLATFORM_OBJECTS.dashboardPrefix, "Prefix of the dashboard ConfigMaps' names."],
    ['names.dashboardLabelKey', PLATFORM_OBJECTS.dashboardLabel.key, 'Label the Grafana sidecar selects dashboards by.'],
    ['names.dashboardLabelValue', PLATFORM_OBJECTS.dashboardLabel.value, 'Value of that label.'],
    ['names.folderAnnotation', PLATFORM_OBJECTS.folderAnnotation, "Annotation naming a dashboard's Grafana folder."],
    ['names.istiodServiceMonitor', PLATFORM_OBJECTS.istiodServiceMonitor, "Name of istiod's ServiceMonitor."],
    ['names.proxiesPodMonitor', PLATFORM_OBJECTS.proxiesPodMonitor, "Name of the proxies' PodMonitor."],
    ['istio.istiodService', ISTIO_METRICS.istiod.service, "istiod's Service name and `app` label."],
    ['istio.istiodPortName', ISTIO_METRICS.istiod.portName, `istiod's monitoring port name (${ISTIO_METRICS.istiod.port}).`],
    ['istio.istiodPath', ISTIO_METRICS.istiod.path, "istiod's metrics path."],
    ['istio.envoyPortName', ISTIO_METRICS.envoy.portName, `The istio-proxy container's Envoy metrics port name (${ISTIO_METRICS.envoy.port}).`],
    ['istio.envoyPath', ISTIO_METRICS.envoy.path, "Envoy's metrics path."],
  ];
  return renderDefines(
    'observability-platform',
    defines.filter(([name]) => name.startsWith(`${area}.`)).map(([name, body, purpose]) => ({ name, body, purpose })),
  );
}

/** The files this module derives: generated helpers and the dashboards' JSON. */
export function platformExtraFiles(): OutputFile[] {
  return [
    { path: 'templates/_names.gen.tpl', content: renderNamesHelper('names') },
    { path: 'templates/_istio.gen.tpl', content: renderNamesHelper('istio') },
    { path: 'templates/_rules.gen.tpl', content: renderRulesHelper() },
    ...Object.entries(DASHBOARDS).map(([name, dashboard]) => ({ path: `files/dashboards/${name}.json`, content: dashboardJson(dashboard) })),
  ];
}

/** The observability-platform chart module. */
export const observabilityPlatform: ChartModule = {
  name: 'observability-platform',
  source: SOURCE,
  values: observabilityPlatformValues as ValuesSource<unknown>,
  render: ({ assets, assetsOf, releases }) =>
    renderChart(
      {
        name: 'observability-platform',
        source: SOURCE,
        release: releaseOf(releases, 'observability-platform'),
        values: observabilityPlatformValues,
        library: assetsOf(LIBRARY_CHART),
        context: { alerts: ALERTS, objects: PLATFORM_OBJECTS, namespaces: observabilityPlatformValues.defaults.global.namespaces },
        extraFiles: platformExtraFiles(),
      },
      assets,
    ),
};
