/**
 * Values of the observability umbrella. The global block and each dependency's `enabled` switch
 * are ours and strict; below each dependency key the values belong to the pinned upstream chart
 * (which validates them itself), restricted here to refuse the stale top-level keys listed in
 * generator/observability/upstream.ts. Which keys the generated values may use is tested against
 * that table.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { strictObject, deepPartial } from '../common/schema.js';
import { ObservabilityPlatformValues } from '../observability-platform/schema.js';
import { GlobalValues } from '../common/global.js';
import { UPSTREAM_CHARTS, UPSTREAM_NAMES, splitPath } from '../../generator/observability/upstream.js';

/** A dependency's block: `enabled` plus the upstream chart's own values. */
function upstreamBlock(description: string, stale: Readonly<Record<string, string>>, current: readonly string[]): TSchema {
  // A stale key is a property that matches nothing (`not: {}`), so both Helm versions name its
  // path (`prometheus.nodeExporter`); `propertyNames` would leave Helm 4 pointing at the root.
  const refused = Object.fromEntries(Object.entries(stale).map(([key, why]) => [key, { not: {}, description: `Stale for the pinned version: ${why}.` }]));
  return Type.Unsafe<Record<string, unknown> & { enabled: boolean }>({
    type: 'object',
    description,
    properties: {
      enabled: Type.Boolean({ description: 'Install this dependency (its `condition`).' }),
      // Helm copies the umbrella's global block into every subchart's values before validating.
      global: { description: 'The shared global block, as Helm hands it to the subchart.' },
      ...Object.fromEntries(current.filter((key) => key !== 'enabled').map((key) => [key, { description: 'Upstream value (validated by the upstream chart).' }])),
      ...refused,
    },
    required: ['enabled'],
    // Only the top-level keys generator/observability/upstream.ts lists as current for the pinned
    // version: a key the table does not know is refused with its path, not silently ignored.
    additionalProperties: false,
  });
}

/** The first segments of a chart's current keys (the top-level keys the umbrella may set). */
const currentTopLevel = (name: keyof typeof UPSTREAM_CHARTS) => [...new Set(UPSTREAM_CHARTS[name].currentKeys.map((path) => splitPath(path)[0]!))];

const staleTopLevel = (name: keyof typeof UPSTREAM_CHARTS) =>
  Object.fromEntries(
    Object.entries(UPSTREAM_CHARTS[name].staleKeys)
      .map(([path, why]) => [splitPath(path), why] as const)
      .filter(([segments]) => segments.length === 1 && !segments[0]!.includes('='))
      .map(([segments, why]) => [segments[0]!, why]),
  );

const blocks = Object.fromEntries(
  UPSTREAM_NAMES.map((name) => {
    const chart = UPSTREAM_CHARTS[name];
    return [name, upstreamBlock(`${chart.chart} ${chart.version} (${chart.repository}). ${chart.purpose}`, staleTopLevel(name), currentTopLevel(name))];
  }),
);

/** Schema of the observability umbrella's values. */
export const ObservabilityValues = strictObject({
  global: GlobalValues,
  ...blocks,
  // The platform chart's own schema, minus `required` (the umbrella sets only what differs).
  'observability-platform': deepPartial(ObservabilityPlatformValues, {
    description: 'The platform\'s own objects (local chart charts/observability-platform): alert rules, dashboards, scrape objects.',
  }),
});

/** An upstream dependency's values block. */
export type UpstreamBlock = Record<string, unknown> & { enabled: boolean };

/** The observability umbrella's values. */
export type ObservabilityValues = Static<typeof GlobalValues> extends infer G
  ? { global: G; 'observability-platform': UpstreamBlock } & Record<(typeof UPSTREAM_NAMES)[number], UpstreamBlock>
  : never;
