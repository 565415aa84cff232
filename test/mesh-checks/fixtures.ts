// Renders of restaurant-app and istio-mesh judged together by the mesh checks, and the declared
// call graph derived from the same values Helm merged.
import { render } from '../helpers/helm.js';
import { mergeValues } from '../../values-schemas/common/merge.js';
import '../helpers/sail.js';
import type { KubeObject } from '../helpers/models.js';
import type { HelmMajor } from '../helpers/tools.js';
import { appRender, source as appSource, type Environment } from '../restaurant-app/fixtures.js';
import { meshRender } from '../istio-mesh/fixtures.js';
import { callGraphFromValues, type MeshCheckOptions, type MeshObject, type CallGraphValues } from '../../generator/checks/mesh/index.js';

/** A variant of the platform: the mesh mode and extra restaurant-app values. */
export interface Variant {
  readonly mode?: 'sidecar' | 'ambient';
  /** Extra restaurant-app values, as an object merged over the overlay (and passed as --set). */
  readonly app?: Record<string, unknown>;
}

/** `--set` pairs for a nested object (keys are DNS labels, values scalars). */
export function toSet(values: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(values).flatMap(([key, value]) =>
    value !== null && typeof value === 'object' ? toSet(value as Record<string, unknown>, `${prefix}${key}.`) : [`${prefix}${key}=${String(value)}`],
  );
}

/** The order-service 90/10 canary of the platform's staging/prod rollout. */
export const ORDER_CANARY = { services: { 'order-service': { canary: { v1: { weight: 90 }, v2: { weight: 10, tag: '1.1.0', replicas: 1 } } } } };

/** Renders both charts for an environment and variant; returns plain objects. */
export async function renderPlatform(helm: HelmMajor, environment: Environment, variant: Variant = {}): Promise<MeshObject[]> {
  const mode = variant.mode ?? 'sidecar';
  const appValues = mergeValues<Record<string, unknown>>({}, variant.app ?? {}, { istio: { mesh: { mode } } });
  const [app, mesh] = await Promise.all([
    render(appRender(helm, environment, { set: toSet(appValues) })),
    render(meshRender(helm, environment, { set: [`mesh.mode=${mode}`] })),
  ]);
  return plain([...app, ...mesh]);
}

/** Plain JSON copies of rendered objects (model instances → data a user would parse). */
export function plain(objects: readonly KubeObject[] | readonly MeshObject[]): MeshObject[] {
  return JSON.parse(JSON.stringify(objects)) as MeshObject[];
}

/** The mesh-check options for an environment and variant, from the values Helm merged. */
export function checkOptions(environment: Environment, variant: Variant = {}): MeshCheckOptions {
  const values = mergeValues(appSource.defaults, appSource.overlays[environment], variant.app ?? {}) as unknown as CallGraphValues & {
    global: { namespaces: { istio: string; observability: string; data: string } };
  };
  const { istio, observability, data } = values.global.namespaces;
  return { ...callGraphFromValues(values), production: environment === 'prod', egressNamespaces: [istio, observability, data] };
}
