/** The observability-platform chart's single source of truth: schema, defaults and environment overlays. */
import { ObservabilityPlatformValues } from './schema.js';
import { defaults } from './defaults.js';
import { overlays } from './overlays.js';
import { scenarios } from './scenarios.js';
import type { ValuesSource } from '../common/source.js';

/** Schema, defaults and overlays of observability-platform. */
export const observabilityPlatformValues: ValuesSource<ObservabilityPlatformValues> = {
  schema: ObservabilityPlatformValues,
  defaults,
  overlays,
  scenarios,
};

export * from './schema.js';
