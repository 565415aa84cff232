/** The restaurant-platform umbrella's values source: schema, defaults and overlays, all derived. */
import type { ValuesSource } from '../common/source.js';
import { RestaurantPlatformValues } from './schema.js';
import { defaults } from './defaults.js';
import { overlays } from './overlays.js';
import { scenarios } from './scenarios.js';

/** Schema, defaults and overlays of restaurant-platform. */
export const restaurantPlatformValues: ValuesSource<RestaurantPlatformValues> = {
  schema: RestaurantPlatformValues,
  defaults,
  overlays,
  scenarios,
};

export { SUBCHARTS, type Subchart } from './subcharts.js';
export { RestaurantPlatformValues } from './schema.js';
