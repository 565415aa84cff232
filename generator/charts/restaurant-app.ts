/** Emits the restaurant-app chart: the platform's services and their per-service mesh policy. */
import { releaseOf, LIBRARY_CHART, type ChartModule } from '../types.js';
import { renderChart } from '../emit/chart.js';
import { productionHelperFile } from '../emit/production.js';
import type { ValuesSource } from '../../values-schemas/common/source.js';
import { restaurantAppValues } from '../../values-schemas/restaurant-app/index.js';

/** The restaurant-app chart module. */
export const restaurantApp: ChartModule = {
  name: 'restaurant-app',
  source: 'generator/charts/restaurant-app.ts',
  values: restaurantAppValues as ValuesSource<unknown>,
  // Keys a release removed or renamed (its changelog's `removed` entries), for `chartkit diff` to name the replacement.
  migrations: [{ from: 'istio.skipCapabilityCheck', to: 'global.skipCapabilityCheck', since: '0.4.0' }],
  render: ({ assets, assetsOf, releases }) =>
    renderChart(
      {
        name: 'restaurant-app',
        source: 'generator/charts/restaurant-app.ts',
        release: releaseOf(releases, 'restaurant-app'),
        values: restaurantAppValues,
        library: assetsOf(LIBRARY_CHART),
        // A service's overrides repeat serviceDefaults: one row points there; ports, calls, canary and stores keep theirs.
        readmeCollapse: [{ path: 'services.<name>', repeats: 'serviceDefaults' }],
        // The README names the namespaces the objects go to and the stores live in.
        context: { namespaces: restaurantAppValues.defaults.global.namespaces },
        extraFiles: [productionHelperFile('restaurant-app')],
      },
      assets,
    ),
};
