/**
 * The mesh-mode check: restaurant-app and istio-mesh each carry a mesh mode, and rendered as
 * separate releases they can disagree; ambient pods against a control plane without ztunnel then
 * bypass the mesh without any error.
 */
import { asLabels, asObject, describeObject, type KubeObject } from '../object.js';
import type { MeshFinding } from './findings.js';
import { isKind, nameOf, spec } from './model.js';

/**
 * `mesh-mode`: workloads enrolled in the ambient data plane (`istio.io/dataplane-mode: ambient` on a
 * pod template or a Namespace) need a control plane that runs ztunnel (the Sail `Istio` with profile
 * `ambient`, or a `ZTunnel` among the objects). Without a Sail `Istio` there is nothing to judge.
 */
export function checkMeshMode(objects: readonly KubeObject[]): MeshFinding[] {
  const istio = objects.find((object) => isKind(object, 'sailoperator.io', 'Istio'));
  if (!istio) return [];
  const profile = typeof spec(istio).profile === 'string' ? (spec(istio).profile as string) : 'default';
  if (profile === 'ambient' || objects.some((object) => isKind(object, 'sailoperator.io', 'ZTunnel'))) return [];
  const ambientLabels = (object: KubeObject): Record<string, string> =>
    object.kind === 'Namespace' ? asLabels(object.metadata?.labels) : asLabels(asObject(asObject(spec(object).template).metadata).labels);
  return objects
    .filter((object) => ambientLabels(object)['istio.io/dataplane-mode'] === 'ambient')
    .map((object) => ({
      check: 'mesh-mode' as const,
      object: describeObject(object),
      message: `is enrolled in the ambient data plane, but the control plane (Istio ${nameOf(istio)}, profile ${profile}) runs no ztunnel: its traffic bypasses the mesh`,
    }));
}
