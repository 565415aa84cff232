/**
 * The umbrella's environment overlays, derived: a subchart's `values-<env>.yaml` is not applied
 * when it is installed as a dependency, so the umbrella's overlay carries each subchart's overlay
 * under its key, and the `global` parts of all of them, merged, once at the top.
 */
import { ENVIRONMENTS, type Environment } from '../common/global.js';
import type { DeepPartial } from '../common/schema.js';
import type { RestaurantPlatformValues } from './schema.js';
import { SUBCHARTS, type Subchart } from './subcharts.js';

type Json = { [key: string]: unknown };
const isMap = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Merges b into a; a leaf both set to different values is an error (the subcharts disagree). */
function mergeAgreeing(a: Json, b: Json, path: string): Json {
  const out: Json = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const here = `${path}.${key}`;
    if (!(key in out)) out[key] = value;
    else if (isMap(out[key]) && isMap(value)) out[key] = mergeAgreeing(out[key] as Json, value, here);
    else if (JSON.stringify(out[key]) !== JSON.stringify(value)) throw new Error(`subchart overlays disagree on ${here}: ${JSON.stringify(out[key])} vs ${JSON.stringify(value)}`);
  }
  return out;
}

/**
 * The umbrella's values from what each subchart would be given on its own: each subchart's part
 * under its key, and their `global` parts, merged (they must agree), once at the top.
 */
export function combineSubchartValues(partOf: (subchart: Subchart) => unknown): DeepPartial<RestaurantPlatformValues> {
  let global: Json = {};
  const perChart: Json = {};
  for (const subchart of SUBCHARTS) {
    const { global: subGlobal, ...rest } = (partOf(subchart) ?? {}) as Json;
    if (isMap(subGlobal)) global = mergeAgreeing(global, subGlobal, 'global');
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
