/**
 * Emits the observability umbrella: Chart.yaml dependencies on the pinned upstream charts (from
 * generator/observability/upstream.ts) plus the local observability-platform chart, and values
 * in current keys per environment with every cross-reference computed by the topology.
 */
import { releaseOf, type ChartModule, type Releases } from '../types.js';
import { renderChart } from '../emit/chart.js';
import { observabilityValues, GRAFANA_ADMIN_SECRET, defaultTopology } from '../../values-schemas/observability/index.js';
import { UPSTREAM_CHARTS, UPSTREAM_NAMES } from '../observability/upstream.js';
import { DEFAULT_RELEASE } from '../observability/topology.js';

const SOURCE = 'generator/charts/observability.ts';

/** One entry of the umbrella's `dependencies`. */
export interface Dependency {
  readonly name: string;
  readonly version: string;
  readonly repository: string;
  readonly purpose: string;
}

/** The umbrella's dependencies: the pinned upstream charts, then the local platform chart. */
export function umbrellaDependencies(releases: Releases): Dependency[] {
  return [
    ...UPSTREAM_NAMES.map((name) => {
      const chart = UPSTREAM_CHARTS[name];
      return { name: chart.chart, version: chart.version, repository: chart.repository, purpose: `${chart.purpose} (app ${chart.appVersion})` };
    }),
    {
      name: 'observability-platform',
      version: releaseOf(releases, 'observability-platform').version,
      repository: 'file://../observability-platform',
      purpose: 'The platform\'s alert rules, dashboards and Istio scrape objects (this repository).',
    },
  ];
}

/** The observability umbrella module. */
export const observability: ChartModule = {
  name: 'observability',
  source: SOURCE,
  render: ({ assets, releases }) =>
    renderChart(
      {
        name: 'observability',
        source: SOURCE,
        release: releaseOf(releases, 'observability'),
        values: observabilityValues,
        context: { dependencies: umbrellaDependencies(releases), grafanaSecret: GRAFANA_ADMIN_SECRET, release: DEFAULT_RELEASE, topology: defaultTopology() },
      },
      assets,
    ),
};
