// Expectations derived from the chart's own values source, never hard-coded: when the defaults
// change, the tests follow.
import { ENVIRONMENTS, type Environment } from '../../values-schemas/common/global.js';
import { restaurantAppValues, type RestaurantAppValues, type ServiceEntry, type ServiceSettings } from '../../values-schemas/restaurant-app/index.js';
import { mergeValues } from '../../values-schemas/common/merge.js';
import { ISTIO_API_VERSIONS, GATEWAY_API_VERSIONS } from '../helpers/api-versions.js';
import type { RenderOptions } from '../helpers/helm.js';
import type { HelmMajor } from '../helpers/tools.js';

export { ENVIRONMENTS, type Environment };

/** The services the defaults declare, in name order. */
export const SERVICE_NAMES: readonly string[] = Object.keys(restaurantAppValues.defaults.services).sort();

/** The chart's defaults and overlays. */
export const source = restaurantAppValues;

/** The values an environment renders with: the defaults with its overlay merged over them, as Helm merges `-f` files. */
export function valuesOf(environment: Environment): RestaurantAppValues {
  return mergeValues(source.defaults, source.overlays[environment]);
}

/** A service's settings in an environment: serviceDefaults with the service's own entry merged over them, as the chart merges them. */
export function serviceSettings(environment: Environment, name: string): ServiceSettings & ServiceEntry {
  const values = valuesOf(environment);
  const entry = values.services[name];
  if (!entry) throw new Error(`restaurant-app declares no service ${name}`);
  return mergeValues(values.serviceDefaults, entry) as ServiceSettings & ServiceEntry;
}

/** The API versions of a cluster with Istio and the Gateway API installed. */
export const MESH_APIS: readonly string[] = [...ISTIO_API_VERSIONS, ...GATEWAY_API_VERSIONS];

/** Render options of restaurant-app in one environment, plus any extra flags. */
export function appRender(helm: HelmMajor, environment: Environment, extra: Partial<RenderOptions> = {}): RenderOptions {
  return {
    chart: 'restaurant-app',
    helm,
    values: [`values-${environment}.yaml`, ...(extra.values ?? [])],
    apiVersions: MESH_APIS,
    ...(extra.set ? { set: extra.set } : {}),
    ...(extra.setString ? { setString: extra.setString } : {}),
  };
}
