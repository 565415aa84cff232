// The dashboards: every query parses as PromQL (Grafana variables substituted), every panel uses
// a datasource the umbrella's rendered Grafana provisions, and the golden-signal and business
// metrics are covered.
import { describe, it, expect } from 'vitest';
import yaml from 'js-yaml';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { DASHBOARDS, toPlainPromQL, type Dashboard, type DatasourceRef } from '../../generator/observability/dashboards.js';
import { checkExpressions } from '../helpers/promtool.js';
import { render } from '../helpers/helm.js';
import { mustGet } from '../helpers/models.js';
import { HELM_MAJORS } from '../helpers/tools.js';
import { PLATFORM_OBJECTS } from '../../values-schemas/platform/topology.js';
import { ENVIRONMENTS } from '../../values-schemas/common/global.js';
import { umbrellaRender, umbrellaValues } from '../observability/fixtures.js';

const panels = Object.values(DASHBOARDS).flatMap((dashboard) => dashboard.panels);
const queries = [
  ...panels.flatMap((panel) => panel.targets.map((target) => target.expr)),
  // label_values(<selector>, <label>): the selector must parse too.
  ...Object.values(DASHBOARDS).flatMap((dashboard) =>
    dashboard.templating.list.map((variable) => /^label_values\((.*), \w+\)$/.exec(variable.query.query)![1]!),
  ),
];

describe('dashboards', () => {
  it('should have only queries promtool can parse', async () => {
    // GIVEN every query with Grafana's variables replaced WHEN promtool parses them THEN none fails
    const result = await checkExpressions(queries.map(toPlainPromQL));
    expect(result.errors).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('should cover the golden signals and the business metrics', () => {
    const text = queries.join('\n');
    for (const metric of [
      'istio_requests_total',
      'istio_request_duration_milliseconds_bucket',
      'restaurant_orders_total',
      'restaurant_revenue_total',
      'restaurant_table_occupancy',
    ]) {
      expect(text).toContain(metric);
    }
    for (const quantile of ['0.5', '0.95', '0.99']) expect(text).toContain(`histogram_quantile(${quantile},`);
  });

  it('should give panels unique ids and keep them inside the 24-column grid', () => {
    for (const dashboard of Object.values(DASHBOARDS)) {
      expect(new Set(dashboard.panels.map((panel) => panel.id)).size).toBe(dashboard.panels.length);
      for (const panel of dashboard.panels) expect(panel.gridPos.x + panel.gridPos.w).toBeLessThanOrEqual(24);
    }
  });
});

describe.each(HELM_MAJORS)('dashboards as the observability umbrella ships them, on Helm %i', (helm) => {
  /** Every datasource reference a dashboard holds: each panel's, each query's, each variable's. */
  const references = (dashboard: Dashboard): DatasourceRef[] => [
    ...dashboard.panels.flatMap((panel) => [panel.datasource, ...panel.targets.map((target) => target.datasource)]),
    ...dashboard.templating.list.map((variable) => variable.datasource),
  ];

  it.each(ENVIRONMENTS)('should point every panel, query and variable at a datasource the rendered Grafana provisions, in %s', async (environment) => {
    // GIVEN the umbrella rendered: Grafana's provisioned datasources and the dashboards' ConfigMaps, as shipped
    const objects = await render(umbrellaRender(helm, environment));
    const grafana = mustGet(objects, ConfigMap, umbrellaValues(environment).grafana.fullnameOverride);
    const provisioned = (yaml.load(grafana.data!['datasources.yaml']!) as { datasources: Array<{ uid: string; type: string }> }).datasources;
    const shipped = Object.keys(DASHBOARDS).map(
      (name) => JSON.parse(mustGet(objects, ConfigMap, `${PLATFORM_OBJECTS.dashboardPrefix}${name}`).data![`${name}.json`]!) as Dashboard,
    );
    // WHEN every datasource reference of the shipped dashboards is collected
    const found = shipped.flatMap(references);
    // THEN there is one per panel, query and variable of the dashboards' source
    expect(found).toHaveLength(Object.values(DASHBOARDS).flatMap(references).length);
    // AND each names a datasource Grafana is provisioned with (type and uid)
    const known = new Set(provisioned.map((source) => `${source.type}/${source.uid}`));
    expect(found.map((ref) => `${ref.type}/${ref.uid}`).filter((ref) => !known.has(ref))).toEqual([]);
  });
});
