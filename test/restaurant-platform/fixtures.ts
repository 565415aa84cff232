// Shared inputs of the restaurant-platform tests: the APIs a cluster with Istio, Sail and the
// Prometheus Operator reports, and object identity helpers.
import { ISTIO_API_VERSIONS, SAIL_API_VERSIONS, PROMETHEUS_OPERATOR_API_VERSIONS, GATEWAY_API_VERSIONS } from '../helpers/api-versions.js';
import type { KubeObject } from '../helpers/models.js';
import { ENVIRONMENTS, type Environment } from '../../values-schemas/common/global.js';
import type { RenderOptions } from '../helpers/helm.js';
import type { HelmMajor } from '../helpers/tools.js';

/** Every API the platform's subcharts need, as `--api-versions` entries. */
export const PLATFORM_API_VERSIONS: readonly string[] = [
  ...ISTIO_API_VERSIONS,
  ...SAIL_API_VERSIONS,
  ...PROMETHEUS_OPERATOR_API_VERSIONS,
  ...GATEWAY_API_VERSIONS,
];

/** The environments every chart ships an overlay for. */
export { ENVIRONMENTS };

/** The umbrella's render options in an environment, as the README installs it (release `platform` in `restaurant`). */
export function platformRender(helm: HelmMajor, environment: Environment): RenderOptions {
  return {
    chart: 'restaurant-platform',
    helm,
    values: [`values-${environment}.yaml`],
    apiVersions: PLATFORM_API_VERSIONS,
    namespace: 'restaurant',
    release: 'platform',
  };
}

/** `kind/namespace/name` of an object. */
export const idOf = (object: KubeObject): string => `${object.kind}/${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;

/** Objects as plain JSON, sorted by identity: comparable with toEqual whatever produced them. */
export function canonical(objects: readonly KubeObject[]): unknown[] {
  return [...objects].sort((a, b) => (idOf(a) < idOf(b) ? -1 : idOf(a) > idOf(b) ? 1 : 0)).map((object) => JSON.parse(JSON.stringify(object)));
}
