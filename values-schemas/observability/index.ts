/**
 * The observability umbrella's single source of truth. The defaults are the secure, staging-sized
 * stack (token auth, volumes) with the shared global defaults; each overlay is computed as the
 * difference its environment's full values make, so nothing can drift between them.
 */
import { ObservabilityValues } from './schema.js';
import { buildValues } from './build.js';
import { difference } from '../common/merge.js';
import { scenariosFor } from './scenarios.js';
import { ENVIRONMENTS, globalDefaults, type Environment } from '../common/global.js';
import { overlays as platformOverlays } from '../observability-platform/overlays.js';
import type { ValuesSource } from '../common/source.js';
import type { DeepPartial } from '../common/schema.js';
import { DEFAULT_RELEASE } from '../platform/topology.js';

/** The environment's global block: the defaults with the environment's changes. */
export function globalFor(environment: Environment) {
  const changes = platformOverlays[environment].global ?? {};
  return { ...globalDefaults, ...changes, environment } as typeof globalDefaults;
}

/** Defaults: staging sizing and security with the shared global defaults. */
export const defaults: ObservabilityValues = buildValues({ environment: 'staging', global: globalDefaults, release: DEFAULT_RELEASE });

/** Overlays, each the difference between its environment's full values and the defaults. */
export const overlays = Object.fromEntries(
  ENVIRONMENTS.map((environment) => {
    const full = buildValues({ environment, global: globalFor(environment), release: DEFAULT_RELEASE });
    const diff = difference(full as Record<string, unknown>, defaults as Record<string, unknown>) as Record<string, Record<string, unknown>>;
    // Always name the environment, even where it equals the default.
    return [environment, { ...diff, global: { ...(diff.global ?? {}), environment } }];
  }),
) as Record<Environment, DeepPartial<ObservabilityValues>>;

/** Schema, defaults and overlays of the observability umbrella. */
export const observabilityValues: ValuesSource<ObservabilityValues> = {
  schema: ObservabilityValues,
  defaults,
  overlays,
  scenarios: scenariosFor(globalFor('prod')),
};

export * from './schema.js';
export { buildValues, GRAFANA_ADMIN_SECRET, KIALI_SIGNING_SECRET, JAEGER_METRICS_PORT, NODE_EXPORTER_NAMESPACE, defaultTopology } from './build.js';
export { SIZING } from './sizing.js';
