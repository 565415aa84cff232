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
      strictObject(
        { enabled: Type.Boolean({ description: `Install ${subchart.name}: ${subchart.purpose}.` }) },
        { description: `Whether ${subchart.name} is installed.` },
      ),
    ]),
  ),
  {
    description:
      "Which subcharts are installed (each dependency's `condition`). Kept apart from the subcharts' own values because their schemas are strict and know no `enabled` key.",
  },
);

/**
 * Subchart values the umbrella sets through `global` instead, so there is one place for them:
 * subchart → (path below the subchart, the `global` path that replaces it). In the umbrella's
 * schema they may only be null (its values.yaml sets them so, which removes the subcharts' own
 * defaults), so setting them there is refused with the path rather than silently overridden.
 */
const SET_THROUGH_GLOBAL: Readonly<Record<string, ReadonlyArray<{ readonly path: readonly string[]; readonly global: string }>>> = {
  'restaurant-app': [{ path: ['istio', 'mesh', 'mode'], global: 'global.mesh.mode' }],
  'istio-mesh': [{ path: ['mesh', 'mode'], global: 'global.mesh.mode' }],
};

/**
 * A copy of a schema whose property at `path` (through `properties`) may only be null: a disabled
 * subchart keeps the umbrella's null, any other value is refused naming the path.
 */
function setThroughGlobal(schema: TSchema, { path, global }: { readonly path: readonly string[]; readonly global: string }): TSchema {
  const [head, ...rest] = path;
  const properties = (schema as { properties?: Record<string, TSchema> }).properties;
  if (!head || !properties?.[head]) throw new Error(`no property ${path.join('.')} to set through ${global} in the umbrella's schema`);
  const replaced =
    rest.length === 0
      ? ({ type: 'null', description: `Set through \`${global}\` in the umbrella; must stay null here.` } as unknown as TSchema)
      : setThroughGlobal(properties[head]!, { path: rest, global });
  return { ...schema, properties: { ...properties, [head]: replaced } } as TSchema;
}

const subchartValues = Object.fromEntries(
  SUBCHARTS.map((subchart) => [
    subchart.name,
    deepPartial((SET_THROUGH_GLOBAL[subchart.name] ?? []).reduce(setThroughGlobal, subchart.values.schema), {
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
