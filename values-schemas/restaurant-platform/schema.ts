/**
 * The restaurant-platform umbrella's values: the shared `global` block, which subcharts are
 * installed, and each subchart's values under its name: the subchart's own schema with every
 * property optional (the subchart's values.yaml supplies the rest), inlined, so one
 * `values.schema.json` checks a whole platform values file offline.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import { strictObject, deepPartial } from '../common/schema.js';
import { GlobalValues } from '../common/global.js';
import { SUBCHARTS } from './subcharts.js';

const components = strictObject(
  Object.fromEntries(
    SUBCHARTS.map((subchart) => [
      subchart.name,
      strictObject({ enabled: Type.Boolean({ description: `Install ${subchart.name}: ${subchart.purpose}.` }) }, { description: `Whether ${subchart.name} is installed.` }),
    ]),
  ),
  {
    description:
      "Which subcharts are installed (each dependency's `condition`). Kept apart from the subcharts' own values because their schemas are strict and know no `enabled` key.",
  },
);

const subchartValues = Object.fromEntries(
  SUBCHARTS.map((subchart) => [
    subchart.name,
    deepPartial(subchart.values.schema, {
      description: `Values of the ${subchart.name} subchart (${subchart.purpose}); see charts/${subchart.name}/README.md. Any subset; the subchart's values.yaml holds the defaults.`,
    }),
  ]),
);

/** Schema of the umbrella's values. */
export const RestaurantPlatformValues: TSchema = strictObject(
  { global: GlobalValues, components, ...subchartValues },
  { description: 'Values of the restaurant-platform umbrella.' },
);

/** The umbrella's values (global and components typed; subchart values as their partial shapes). */
export interface RestaurantPlatformValues {
  global: GlobalValues;
  components: Record<string, { enabled: boolean }>;
  [subchart: string]: unknown;
}
