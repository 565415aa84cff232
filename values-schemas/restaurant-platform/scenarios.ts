/**
 * The umbrella's CI scenarios, derived like its overlays: every scenario a subchart has, with each
 * subchart's changes under its key and their `global` changes once at the top.
 */
import type { Scenario } from '../common/source.js';
import type { RestaurantPlatformValues } from './schema.js';
import { SUBCHARTS } from './subcharts.js';
import { combineSubchartValues } from './overlays.js';

const names = [...new Set(SUBCHARTS.flatMap((subchart) => Object.keys(subchart.values.scenarios)))];

/** The scenarios, by name; a scenario's environment and description come from the first subchart that has it. */
export const scenarios: Record<string, Scenario<RestaurantPlatformValues>> = Object.fromEntries(
  names.map((name) => {
    const first = SUBCHARTS.map((subchart) => subchart.values.scenarios[name]).find((scenario) => scenario !== undefined)!;
    const mismatch = SUBCHARTS.find((subchart) => subchart.values.scenarios[name] && subchart.values.scenarios[name]!.environment !== first.environment);
    if (mismatch)
      throw new Error(
        `scenario ${name}: ${mismatch.name} starts from ${mismatch.values.scenarios[name]!.environment}, another subchart from ${first.environment}`,
      );
    return [
      name,
      { description: first.description, environment: first.environment, values: combineSubchartValues((subchart) => subchart.values.scenarios[name]?.values) },
    ];
  }),
);
