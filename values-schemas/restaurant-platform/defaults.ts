/** Defaults of the umbrella: the shared globals and every subchart enabled, with its own defaults. */
import { globalDefaults } from '../common/global.js';
import type { RestaurantPlatformValues } from './schema.js';
import { SUBCHARTS } from './subcharts.js';

/** The umbrella's values.yaml. */
export const defaults: RestaurantPlatformValues = {
  // The one mesh mode of both subcharts (their own mode settings are not part of the umbrella's schema).
  global: { ...globalDefaults, mesh: { mode: 'sidecar' } },
  components: Object.fromEntries(SUBCHARTS.map((subchart) => [subchart.name, { enabled: true }])),
  ...Object.fromEntries(SUBCHARTS.map((subchart) => [subchart.name, {}])),
  // null removes each subchart's own mode default, so global.mesh.mode is the one source.
  'restaurant-app': { istio: { mesh: { mode: null } } },
  'istio-mesh': { mesh: { mode: null } },
};
