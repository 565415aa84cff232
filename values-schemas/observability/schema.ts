/**
 * Values of the observability umbrella. The global block, the `components` switches (the
 * dependencies' conditions) and the platform chart's block are ours and strict. Below each upstream
 * dependency's key the values belong to the pinned chart, which validates them itself.
 *
 * Helm validates this schema against values already merged with every enabled subchart's own
 * `values.yaml`, so an upstream block can be closed only to keys that chart really has: its
 * top-level keys come from the upstream lock (the chart's `values.yaml`, the keys its templates
 * read, its subcharts), so a misspelt top-level key (`prometheus.nodeExporter`) is refused with its
 * path while every upstream default passes. Deeper typos are the generator's to catch: it checks
 * every path the umbrella's values set against the lock's real key paths (see
 * unknownUpstreamKeys in values-schemas/platform/upstream.ts).
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { strictObject, deepPartial } from '../common/schema.js';
import { ObservabilityPlatformValues } from '../observability-platform/schema.js';
import { ImagelessGlobalValues } from '../common/global.js';
import { OBSERVABILITY_PINS, OBSERVABILITY_CHART_NAMES, type ObservabilityChartName } from '../platform/pins.js';
import { lockedChart, topLevelKeys } from '../platform/locked.js';
import { UPSTREAM_PURPOSE } from '../platform/upstream.js';

/** A dependency's block, closed to the pinned chart's top-level keys. */
function upstreamBlock(name: ObservabilityChartName): TSchema {
  const pin = OBSERVABILITY_PINS.find((entry) => entry.name === name)!;
  const locked = lockedChart(name);
  return Type.Unsafe<Record<string, unknown>>({
    type: 'object',
    description: `${pin.name} ${pin.version} (${pin.repository}, app ${locked.appVersion}). ${UPSTREAM_PURPOSE[name]}`,
    properties: {
      // Helm copies the umbrella's global block into every subchart's values before validating.
      global: { description: 'The shared global block, as Helm hands it to the subchart.' },
      ...Object.fromEntries(
        topLevelKeys(name)
          .filter((key) => key !== 'global')
          .map((key) => [key, { description: `Upstream value of ${pin.name} ${pin.version}.` }]),
      ),
    },
    additionalProperties: false,
  });
}

/** The dependencies the umbrella installs, each its chart's `condition`. */
export const COMPONENT_NAMES = [...OBSERVABILITY_CHART_NAMES, 'observability-platform'] as const;

const Components = strictObject(
  Object.fromEntries(
    COMPONENT_NAMES.map((name) => [
      name,
      strictObject({ enabled: Type.Boolean({ description: `Install ${name} (the dependency's \`condition\`).` }) }, { description: `The ${name} dependency.` }),
    ]),
  ),
  {
    description:
      "Which dependencies to install. The switches live here, not inside the dependencies' blocks, because those belong to the upstream charts, which do not know an `enabled` key.",
  },
);

/** Schema of the observability umbrella's values. */
export const ObservabilityValues = strictObject({
  global: ImagelessGlobalValues,
  components: Components,
  ...Object.fromEntries(OBSERVABILITY_CHART_NAMES.map((name) => [name, upstreamBlock(name)])),
  // The platform chart's own schema, minus `required` (the umbrella sets only what differs).
  'observability-platform': deepPartial(ObservabilityPlatformValues, {
    description: "The platform's own objects (local chart charts/observability-platform): alert rules, dashboards, scrape objects.",
  }),
});

/** An upstream dependency's values block. */
export type UpstreamBlock = Record<string, unknown>;

/** The observability umbrella's values. */
export type ObservabilityValues =
  Static<typeof ImagelessGlobalValues> extends infer G
    ? { global: G; components: Record<(typeof COMPONENT_NAMES)[number], { enabled: boolean }>; 'observability-platform': UpstreamBlock } & Record<
        ObservabilityChartName,
        UpstreamBlock
      >
    : never;
