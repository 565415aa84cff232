// Shared look-ups over a real render of the observability umbrella: cross-references resolved to
// the Services that render really contains.
import type { KubeObject } from '../helpers/models.js';
import type { HelmMajor } from '../helpers/tools.js';
import type { Environment } from '../../values-schemas/common/global.js';
import type { RenderOptions } from '../helpers/helm.js';
import { realUmbrella } from '../helpers/upstream.js';
import { DEFAULT_RELEASE } from '../../generator/observability/topology.js';

/** The namespace the umbrella is installed into. */
export const OBSERVABILITY_NAMESPACE = 'observability';

/** The render options of the real umbrella in an environment. */
export function umbrellaRender(helm: HelmMajor, environment: Environment, extra: Partial<RenderOptions> = {}): RenderOptions {
  return { chart: realUmbrella(), helm, values: [`values-${environment}.yaml`], namespace: OBSERVABILITY_NAMESPACE, release: DEFAULT_RELEASE, ...extra };
}

interface ServiceLike {
  kind: string;
  metadata?: { name?: string; namespace?: string };
  spec?: { ports?: Array<{ name?: string; port: number }> };
}

/**
 * Resolves an in-cluster URL (`http://<service>.<namespace>.svc.cluster.local:<port>/…`, or
 * `http://<service>:<port>` as seen from a pod in the release namespace) to the Service and port of
 * a render; objects without a namespace land in the release namespace. Returns a reason when it
 * does not resolve.
 */
export function resolveInRender(url: string, objects: readonly KubeObject[], releaseNamespace = OBSERVABILITY_NAMESPACE): string | undefined {
  const match = /^[a-z]+:\/\/([a-z0-9-]+)(?:\.([a-z0-9-]+)\.svc(?:\.cluster\.local)?)?:(\d+)(?:\/.*)?$/.exec(url);
  if (!match) return `${url} is not an in-cluster Service URL with a port`;
  const [, name, namespace = releaseNamespace, port] = match;
  const service = (objects as readonly unknown[] as readonly ServiceLike[]).find((object) => object.kind === 'Service' && object.metadata?.name === name && (object.metadata?.namespace ?? releaseNamespace) === namespace);
  if (!service) return `${url}: no Service ${namespace}/${name} in the render`;
  if (!service.spec?.ports?.some((entry) => entry.port === Number(port))) return `${url}: Service ${namespace}/${name} has no port ${port} (it has ${service.spec?.ports?.map((entry) => entry.port).join(', ')})`;
  return undefined;
}
