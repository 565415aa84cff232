/**
 * Cross-object checks of a rendered Istio mesh: pure functions from Kubernetes objects (as parsed
 * from `helm template` output, of any charts together) to findings. Nothing here reads files, runs
 * tools or imports a test framework, so a user can run it on their own renders:
 *
 * ```ts
 * import yaml from 'js-yaml';
 * import { checkMesh, callGraphFromValues, type MeshObject } from './generator/checks/mesh/index.js';
 * const objects = yaml.loadAll(renderedYaml).filter(Boolean) as MeshObject[];
 * const findings = checkMesh(objects, { production: true, ...callGraphFromValues(values) });
 * ```
 *
 * The checks judge what one object cannot show alone: that routes lead to Services that exist,
 * that subsets select real pods, that the authorization policies allow exactly the declared call
 * graph, and (for production) that mTLS is STRICT everywhere and the control plane is sized. Each
 * concern is a module of this folder over one indexed view of the objects (./model.ts);
 * ./restaurant-app.ts derives the expected call graph from restaurant-app values.
 */
import type { KubeObject } from '../object.js';
import { checkCallGraph, checkPrincipals } from './authorization.js';
import { checkSidecarEgress } from './egress.js';
import { MESH_CHECKS, type MeshCheckId, type MeshCheckOptions, type MeshFinding } from './findings.js';
import { checkGatewayHosts } from './gateway.js';
import { checkMeshMode } from './mesh-mode.js';
import { Mesh } from './model.js';
import { checkStrictMtls } from './mtls.js';
import { checkProduction } from './production.js';
import { checkCanaryWeights, checkDestinationHosts, checkRetryBudget, checkSubsets } from './routing.js';

export { MESH_CHECKS, type MeshCheckId, type MeshCheckOptions, type MeshFinding } from './findings.js';
export { callGraphFromValues, INGRESS_NODE, type CallGraphValues } from './restaurant-app.js';
/** A rendered object as the mesh checks read it: the checks' one object type, under the name this API has always used. */
export type MeshObject = KubeObject;

/**
 * Runs the mesh checks over rendered objects and returns every finding (empty when the mesh is
 * consistent). Pure: the objects are only read.
 *
 * @param objects - every object of the renders to judge together (e.g. restaurant-app and istio-mesh)
 * @param options - the declared call graph, external identities and which checks to run
 */
export function checkMesh(objects: readonly MeshObject[], options: MeshCheckOptions = {}): MeshFinding[] {
  const mesh = new Mesh(objects, {
    rootNamespace: options.rootNamespace ?? 'istio-system',
    trustDomain: options.trustDomain ?? 'cluster.local',
    clusterDomain: options.clusterDomain ?? 'cluster.local',
  });
  const enabled = new Set<MeshCheckId>(options.checks ?? MESH_CHECKS);
  const run: Array<[MeshCheckId, () => MeshFinding[]]> = [
    ['destination-host', () => checkDestinationHosts(mesh)],
    ['subset', () => checkSubsets(mesh)],
    ['canary-weights', () => checkCanaryWeights(mesh)],
    ['retry-budget', () => checkRetryBudget(mesh)],
    ['call-graph', () => (options.calls ? checkCallGraph(mesh, options) : [])],
    ['principal', () => checkPrincipals(mesh, options)],
    ['strict-mtls', () => (options.production ? checkStrictMtls(mesh, options) : [])],
    ['sidecar-egress', () => checkSidecarEgress(mesh, options)],
    ['gateway-host', () => checkGatewayHosts(mesh)],
    ['mesh-mode', () => checkMeshMode(objects)],
    ['production', () => (options.production ? checkProduction(mesh, options) : [])],
  ];
  return run.filter(([id]) => enabled.has(id)).flatMap(([, check]) => check());
}
