/** Emits the restaurant-app chart: the platform's services and their per-service mesh policy. */
import { releaseOf, type ChartModule } from '../types.js';
import { renderChart } from '../emit/chart.js';
import { restaurantAppValues } from '../../values-schemas/restaurant-app/index.js';

/** The restaurant-app chart module. */
export const restaurantApp: ChartModule = {
  name: 'restaurant-app',
  source: 'generator/charts/restaurant-app.ts',
  render: ({ assets, releases }) =>
    renderChart(
      {
        name: 'restaurant-app',
        source: 'generator/charts/restaurant-app.ts',
        release: releaseOf(releases, 'restaurant-app'),
        values: restaurantAppValues,
        readmeCollapse: ['services.<name>'],
      },
      assets,
    ),
};
