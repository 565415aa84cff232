/**
 * The umbrella's environment overlays, derived: a subchart's `values-<env>.yaml` is not applied
 * when it is installed as a dependency, so the umbrella's overlay carries each subchart's overlay
 * under its key, and the `global` parts of all of them, merged, once at the top.
 */
import { ENVIRONMENTS, type Environment } from '../common/global.js';
import type { DeepPartial } from '../common/schema.js';
import type { RestaurantPlatformValues } from './schema.js';
import { SUBCHARTS, type Subchart } from './subcharts.js';
import { isMap, mergeAgreeing, type ValueMap } from '../common/merge.js';

/**
 * The umbrella's values from what each subchart would be given on its own: each subchart's part
 * under its key, and their `global` parts, merged (they must agree), once at the top.
 */
export function combineSubchartValues(partOf: (subchart: Subchart) => unknown): DeepPartial<RestaurantPlatformValues> {
  let global: ValueMap = {};
  const perChart: ValueMap = {};
  for (const subchart of SUBCHARTS) {
    const { global: subGlobal, ...rest } = (partOf(subchart) ?? {}) as ValueMap;
    if (isMap(subGlobal)) global = mergeAgreeing(global, subGlobal, 'global', 'subchart overlays');
    if (Object.keys(rest).length > 0) perChart[subchart.name] = rest;
  }
  return { global, ...perChart } as DeepPartial<RestaurantPlatformValues>;
}

const overlayFor = (environment: Environment) => combineSubchartValues((subchart) => subchart.values.overlays[environment]);

/** One overlay per environment. */
export const overlays = Object.fromEntries(ENVIRONMENTS.map((environment) => [environment, overlayFor(environment)])) as Record<
  Environment,
  DeepPartial<RestaurantPlatformValues>
>;
