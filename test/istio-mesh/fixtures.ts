// Render options of istio-mesh, as a cluster with the Sail Operator (and so the Istio CRDs) reports them.
import { ENVIRONMENTS, type Environment } from '../../values-schemas/common/global.js';
import { istioMeshValues, type IstioMeshValues } from '../../values-schemas/istio-mesh/index.js';
import { mergeValues } from '../../values-schemas/common/merge.js';
import { ISTIO_API_VERSIONS, SAIL_API_VERSIONS } from '../helpers/api-versions.js';
import type { RenderOptions } from '../helpers/helm.js';
import type { HelmMajor } from '../helpers/tools.js';

export { ENVIRONMENTS, type Environment };

/** The chart's defaults and overlays. */
export const source = istioMeshValues;

/** The values an environment renders with: the defaults with its overlay merged over them, as Helm merges `-f` files. */
export function valuesOf(environment: Environment): IstioMeshValues {
  return mergeValues(source.defaults, source.overlays[environment]);
}

/** The API versions of a cluster with the Sail Operator installed. */
export const SAIL_CLUSTER_APIS: readonly string[] = [...ISTIO_API_VERSIONS, ...SAIL_API_VERSIONS];

/** Render options of istio-mesh in one environment (release namespace: the control plane's). */
export function meshRender(helm: HelmMajor, environment: Environment, extra: Partial<RenderOptions> = {}): RenderOptions {
  return {
    chart: 'istio-mesh',
    helm,
    namespace: 'istio-system',
    values: [`values-${environment}.yaml`, ...(extra.values ?? [])],
    apiVersions: extra.apiVersions ?? SAIL_CLUSTER_APIS,
    ...(extra.set ? { set: extra.set } : {}),
  };
}
