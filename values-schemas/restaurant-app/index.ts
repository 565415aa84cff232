/** The restaurant-app chart's single source of truth: schema, defaults and environment overlays. */
import { RestaurantAppValues } from './schema.js';
import { defaults } from './defaults.js';
import { overlays } from './overlays.js';
import { scenarios } from './scenarios.js';
import type { ValuesSource } from '../common/source.js';

/** Schema, defaults and overlays of restaurant-app. */
export const restaurantAppValues: ValuesSource<RestaurantAppValues> = {
  schema: RestaurantAppValues,
  defaults,
  overlays,
  scenarios,
};

export * from './schema.js';
