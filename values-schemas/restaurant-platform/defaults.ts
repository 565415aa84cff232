/** Defaults of the umbrella: the shared globals and every subchart enabled, with its own defaults. */
import { globalDefaults } from '../common/global.js';
import type { RestaurantPlatformValues } from './schema.js';
import { SUBCHARTS } from './subcharts.js';

/** The umbrella's values.yaml. */
export const defaults: RestaurantPlatformValues = {
  global: globalDefaults,
  components: Object.fromEntries(SUBCHARTS.map((subchart) => [subchart.name, { enabled: true }])),
  ...Object.fromEntries(SUBCHARTS.map((subchart) => [subchart.name, {}])),
};
