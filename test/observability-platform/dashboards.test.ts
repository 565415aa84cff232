// The dashboards: every query parses as PromQL (Grafana variables substituted), every panel uses
// a datasource the umbrella provisions, and the golden-signal and business metrics are covered.
import { describe, it, expect } from 'vitest';
import { DASHBOARDS, toPlainPromQL } from '../../generator/observability/dashboards.js';
import { checkExpressions } from '../helpers/promtool.js';
import { defaults as umbrellaDefaults } from '../../values-schemas/observability/index.js';

const panels = Object.values(DASHBOARDS).flatMap((dashboard) => dashboard.panels);
const queries = [
  ...panels.flatMap((panel) => panel.targets.map((target) => target.expr)),
  // label_values(<selector>, <label>): the selector must parse too.
  ...Object.values(DASHBOARDS).flatMap((dashboard) => dashboard.templating.list.map((variable) => /^label_values\((.*), \w+\)$/.exec(variable.query.query)![1]!)),
];

describe('dashboards', () => {
  it('should have only queries promtool can parse', async () => {
    // GIVEN every query with Grafana's variables replaced WHEN promtool parses them THEN none fails
    const result = await checkExpressions(queries.map(toPlainPromQL));
    expect(result.errors).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('should point every panel and query at a datasource the umbrella provisions', () => {
    const provisioned = (umbrellaDefaults.grafana.datasources as { 'datasources.yaml': { datasources: Array<{ uid: string; type: string }> } })['datasources.yaml'].datasources;
    const known = new Set(provisioned.map((source) => `${source.type}/${source.uid}`));
    for (const panel of panels) {
      expect(known.has(`${panel.datasource.type}/${panel.datasource.uid}`)).toBe(true);
      for (const target of panel.targets) expect(known.has(`${target.datasource.type}/${target.datasource.uid}`)).toBe(true);
    }
  });

  it('should cover the golden signals and the business metrics', () => {
    const text = queries.join('\n');
    for (const metric of ['istio_requests_total', 'istio_request_duration_milliseconds_bucket', 'restaurant_orders_total', 'restaurant_revenue_total', 'restaurant_table_occupancy']) {
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
