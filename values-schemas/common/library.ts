/**
 * The values key of the platform's library chart (`chartkit-common`, vendored below each chart's
 * `charts/`). Helm gives every subchart an entry in its parent's values, a library chart too, and
 * copies `global` into it before validating, so a strict schema must allow that key or no render
 * gets past the schema check. The library reads no values: there is nothing to set.
 */
import { Type } from '@sinclair/typebox';

/** The library chart's name: its folder below `charts/` and its values key. */
export const LIBRARY_CHART = 'chartkit-common';

/** Spread into a chart's root properties: the optional entry Helm adds for the library chart. */
export const LIBRARY_VALUES = {
  [LIBRARY_CHART]: Type.Optional(
    Type.Unsafe<Record<string, never>>({
      type: 'object',
      description: "Helm's own entry for the vendored chartkit-common library chart (helpers only); it reads no values.",
      properties: { global: { description: 'The shared global block, as Helm hands it to the subchart.' } },
      additionalProperties: false,
    }),
  ),
} as const;
