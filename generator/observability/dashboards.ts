/**
 * The platform's Grafana dashboards, built from typed TypeScript. Each becomes
 * `files/dashboards/<name>.json` in the observability-platform chart and is shipped in a ConfigMap
 * the Grafana sidecar loads; the JSON is read with `.Files.Get` (never through `tpl`), so Grafana's
 * own `{{label}}` legends stay untouched. Every panel's datasource is one of {@link DATASOURCES}.
 */
import { DATASOURCES } from '../../values-schemas/platform/topology.js';

/** A datasource reference as Grafana stores it. */
export interface DatasourceRef {
  readonly type: string;
  readonly uid: string;
}

/** One query of a panel. */
export interface Target {
  readonly refId: string;
  readonly expr: string;
  readonly legendFormat: string;
  readonly datasource: DatasourceRef;
}

/** A panel (the subset of Grafana's panel model the platform uses). */
export interface Panel {
  readonly id: number;
  readonly type: 'timeseries' | 'stat' | 'bargauge';
  readonly title: string;
  readonly description: string;
  readonly datasource: DatasourceRef;
  readonly gridPos: { readonly x: number; readonly y: number; readonly w: number; readonly h: number };
  readonly fieldConfig: { readonly defaults: { readonly unit: string; readonly min?: number; readonly max?: number }; readonly overrides: readonly [] };
  readonly options: Readonly<Record<string, unknown>>;
  readonly targets: readonly Target[];
}

/** A query template variable. */
export interface Variable {
  readonly name: string;
  readonly label: string;
  readonly type: 'query';
  readonly datasource: DatasourceRef;
  /** PromQL inside `label_values(<expr>, <label>)`. */
  readonly query: { readonly query: string; readonly refId: string };
  readonly includeAll: boolean;
  readonly multi: boolean;
  readonly refresh: 2;
  readonly sort: 1;
}

/** A dashboard (the subset of Grafana's dashboard model the platform uses). */
export interface Dashboard {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly schemaVersion: 41;
  readonly version: 1;
  readonly editable: false;
  readonly timezone: 'browser';
  readonly refresh: string;
  readonly time: { readonly from: string; readonly to: string };
  readonly templating: { readonly list: readonly Variable[] };
  readonly panels: readonly Panel[];
}

/** What a panel needs to be declared. */
export interface PanelSpec {
  readonly title: string;
  readonly description: string;
  readonly type?: Panel['type'];
  readonly unit: string;
  readonly min?: number;
  readonly max?: number;
  /** One query per entry: PromQL and its legend (Grafana syntax, `{{label}}`). */
  readonly queries: ReadonlyArray<{ readonly expr: string; readonly legend: string }>;
  /** Width in grid columns (of 24). @default 12 */
  readonly width?: number;
}

const prometheus: DatasourceRef = { type: DATASOURCES.prometheus.type, uid: DATASOURCES.prometheus.uid };
const PANEL_HEIGHT = 8;

/** Lays panels out left to right, wrapping at 24 columns, and numbers them. */
export function layout(specs: readonly PanelSpec[]): Panel[] {
  let x = 0;
  let y = 0;
  return specs.map((spec, index) => {
    const w = spec.width ?? 12;
    if (x + w > 24) {
      x = 0;
      y += PANEL_HEIGHT;
    }
    const panel: Panel = {
      id: index + 1,
      type: spec.type ?? 'timeseries',
      title: spec.title,
      description: spec.description,
      datasource: prometheus,
      gridPos: { x, y, w, h: PANEL_HEIGHT },
      fieldConfig: {
        defaults: { unit: spec.unit, ...(spec.min === undefined ? {} : { min: spec.min }), ...(spec.max === undefined ? {} : { max: spec.max }) },
        overrides: [],
      },
      options:
        spec.type === 'stat' || spec.type === 'bargauge'
          ? { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false } }
          : { legend: { displayMode: 'table', placement: 'bottom', showLegend: true }, tooltip: { mode: 'multi', sort: 'desc' } },
      targets: spec.queries.map((query, queryIndex) => ({
        refId: String.fromCharCode(65 + queryIndex),
        expr: query.expr,
        legendFormat: query.legend,
        datasource: prometheus,
      })),
    };
    x += w;
    return panel;
  });
}

/** A `label_values` variable over a Prometheus label. */
export function labelVariable(name: string, label: string, metric: string, sourceLabel: string, options: { includeAll: boolean }): Variable {
  return {
    name,
    label,
    type: 'query',
    datasource: prometheus,
    query: { query: `label_values(${metric}, ${sourceLabel})`, refId: `${name}-values` },
    includeAll: options.includeAll,
    multi: options.includeAll,
    refresh: 2,
    sort: 1,
  };
}

/** Builds a dashboard with the platform's common settings. */
export function dashboard(spec: {
  uid: string;
  title: string;
  description: string;
  tags: readonly string[];
  variables: readonly Variable[];
  panels: readonly PanelSpec[];
}): Dashboard {
  return {
    uid: spec.uid,
    title: spec.title,
    description: spec.description,
    tags: ['restaurant', ...spec.tags],
    schemaVersion: 41,
    version: 1,
    editable: false,
    timezone: 'browser',
    refresh: '30s',
    time: { from: 'now-1h', to: 'now' },
    templating: { list: spec.variables },
    panels: layout(spec.panels),
  };
}

// Golden signals, from the destination proxy's view of each service.
const served = 'reporter="destination", destination_service_namespace="$namespace", destination_service_name=~"$service"';
const quantile = (q: number) => ({
  expr: `histogram_quantile(${q}, sum by (destination_service_name, le) (rate(istio_request_duration_milliseconds_bucket{${served}}[$__rate_interval])))`,
  legend: `p${Math.round(q * 100)} {{destination_service_name}}`,
});

/** Golden signals per service: request rate, error ratio, p50/p95/p99 latency, saturation. */
export const goldenSignals = dashboard({
  uid: 'restaurant-golden-signals',
  title: 'Restaurant / Golden signals',
  description: 'Traffic, errors and latency per restaurant service, as the Istio proxies measure them.',
  tags: ['istio', 'golden-signals'],
  variables: [
    labelVariable('namespace', 'Namespace', 'istio_requests_total{reporter="destination"}', 'destination_service_namespace', { includeAll: false }),
    labelVariable(
      'service',
      'Service',
      'istio_requests_total{reporter="destination", destination_service_namespace="$namespace"}',
      'destination_service_name',
      { includeAll: true },
    ),
  ],
  panels: [
    {
      title: 'Request rate',
      description: 'Requests per second each service serves.',
      unit: 'reqps',
      queries: [
        { expr: `sum by (destination_service_name) (rate(istio_requests_total{${served}}[$__rate_interval]))`, legend: '{{destination_service_name}}' },
      ],
    },
    {
      title: 'Error ratio (5xx)',
      description: 'Share of responses with a 5xx status; the HighErrorRate alert fires above its threshold.',
      unit: 'percentunit',
      min: 0,
      queries: [
        {
          expr: `sum by (destination_service_name) (rate(istio_requests_total{${served}, response_code=~"5.."}[$__rate_interval])) / sum by (destination_service_name) (rate(istio_requests_total{${served}}[$__rate_interval]))`,
          legend: '{{destination_service_name}}',
        },
      ],
    },
    {
      title: 'Latency p50 / p95 / p99',
      description: 'Request duration percentiles in milliseconds; the HighLatency alert watches p95.',
      unit: 'ms',
      width: 24,
      queries: [quantile(0.5), quantile(0.95), quantile(0.99)],
    },
    {
      title: 'Responses by code',
      description: 'Responses per second by HTTP status code.',
      unit: 'reqps',
      queries: [{ expr: `sum by (response_code) (rate(istio_requests_total{${served}}[$__rate_interval]))`, legend: '{{response_code}}' }],
    },
    {
      title: 'CPU of limit',
      description: "CPU used as a share of the containers' limits; the HighCPUUsage alert fires above its threshold.",
      unit: 'percentunit',
      min: 0,
      queries: [
        {
          expr: 'sum by (pod) (rate(container_cpu_usage_seconds_total{namespace="$namespace", container!="", container!="POD"}[$__rate_interval])) / sum by (pod) (kube_pod_container_resource_limits{namespace="$namespace", resource="cpu"})',
          legend: '{{pod}}',
        },
      ],
    },
  ],
});

/** Business: orders, revenue, table occupancy. */
export const business = dashboard({
  uid: 'restaurant-business',
  title: 'Restaurant / Business',
  description: "Orders, revenue and table occupancy from the services' own metrics.",
  tags: ['business'],
  variables: [labelVariable('namespace', 'Namespace', 'restaurant_orders_total', 'namespace', { includeAll: false })],
  panels: [
    {
      title: 'Orders per minute',
      description: 'Orders placed per minute.',
      unit: 'short',
      queries: [{ expr: 'sum(rate(restaurant_orders_total{namespace="$namespace"}[$__rate_interval])) * 60', legend: 'orders/min' }],
    },
    {
      title: 'Revenue per hour',
      description: 'Revenue booked per hour, in the currency the services report.',
      unit: 'currencyUSD',
      queries: [{ expr: 'sum(increase(restaurant_revenue_total{namespace="$namespace"}[1h]))', legend: 'revenue/h' }],
    },
    {
      title: 'Orders in range',
      description: 'Orders placed in the selected time range.',
      type: 'stat',
      unit: 'short',
      width: 8,
      queries: [{ expr: 'sum(increase(restaurant_orders_total{namespace="$namespace"}[$__range]))', legend: 'orders' }],
    },
    {
      title: 'Revenue in range',
      description: 'Revenue booked in the selected time range.',
      type: 'stat',
      unit: 'currencyUSD',
      width: 8,
      queries: [{ expr: 'sum(increase(restaurant_revenue_total{namespace="$namespace"}[$__range]))', legend: 'revenue' }],
    },
    {
      title: 'Table occupancy',
      description: 'Share of tables occupied now.',
      type: 'bargauge',
      unit: 'percentunit',
      min: 0,
      max: 1,
      width: 8,
      queries: [{ expr: 'avg(restaurant_table_occupancy{namespace="$namespace"})', legend: 'occupancy' }],
    },
  ],
});

/** Every dashboard, keyed by the file name it is written to (`files/dashboards/<key>.json`). */
export const DASHBOARDS: Readonly<Record<string, Dashboard>> = {
  'golden-signals': goldenSignals,
  business,
};

/** A dashboard as the JSON file the chart ships (stable key order, two-space indent). */
export function dashboardJson(value: Dashboard): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/**
 * Grafana's template variables replaced by values that make a query plain PromQL, so it can be
 * parse-checked (`$__rate_interval` → `5m`, `$service` → `x`).
 */
export function toPlainPromQL(expr: string): string {
  return expr.replace(/\$__(rate_interval|interval|range)/g, '5m').replace(/\$\{?(\w+)\}?/g, 'x');
}
