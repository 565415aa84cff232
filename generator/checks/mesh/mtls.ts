/**
 * The mTLS check (production): every namespace with workloads is STRICT, by its own or the
 * mesh-wide PeerAuthentication, no workload policy weakens it, and a port-level exception is only on
 * a port that carries no service traffic (health checks, plaintext scraping).
 */
import { asLabels, asObject, describeObject, type KubeObject } from '../object.js';
import type { MeshCheckOptions, MeshFinding } from './findings.js';
import { spec, type Mesh } from './model.js';

/** `strict-mtls`: see the module comment. Namespaces are those of rendered Deployments and `options.namespaces`. */
export function checkStrictMtls(mesh: Mesh, options: MeshCheckOptions): MeshFinding[] {
  const findings: MeshFinding[] = [];
  const modeOf = (policy: KubeObject) => asObject(spec(policy)['mtls'])['mode'];
  const hasSelector = (policy: KubeObject) => Object.keys(asObject(spec(policy)['selector'])).length > 0;
  const wide = (namespace: string) => mesh.namespaceWide(mesh.peerAuthentications, namespace);
  const root = wide(mesh.rootNamespace);
  const namespaces = new Set([...mesh.deployments.map((deployment) => mesh.namespaceOf(deployment)), ...(options.namespaces ?? [])]);
  if (root && modeOf(root) !== 'STRICT') {
    findings.push({ check: 'strict-mtls', object: describeObject(root), message: `the mesh-wide mode is ${String(modeOf(root))}, not STRICT` });
  }
  for (const namespace of [...namespaces].sort()) {
    const own = wide(namespace);
    const mode = own && modeOf(own) !== undefined && modeOf(own) !== 'UNSET' ? modeOf(own) : root ? modeOf(root) : 'PERMISSIVE (Istio default)';
    if (mode !== 'STRICT') findings.push({ check: 'strict-mtls', object: `Namespace ${namespace}`, message: `mTLS is ${String(mode)}, not STRICT` });
  }
  for (const policy of mesh.peerAuthentications.filter(hasSelector)) {
    const mode = modeOf(policy);
    if (mode !== undefined && mode !== 'STRICT' && mode !== 'UNSET') {
      findings.push({ check: 'strict-mtls', object: describeObject(policy), message: `workload mode ${String(mode)} weakens STRICT mTLS` });
    }
    // Port exceptions are fine on ports no Service serves (health, scraping), not on the service traffic itself.
    const selector = asLabels(asObject(spec(policy)['selector'])['matchLabels']);
    const served = new Set(
      mesh
        .servicesSelecting(selector, mesh.namespaceOf(policy))
        .filter((service) => !mesh.isEdge(service)) // the gateway's status port is health checks from outside the mesh
        .flatMap((service) => [...mesh.servingPorts(service)]),
    );
    for (const [port, setting] of Object.entries(asObject(spec(policy)['portLevelMtls']))) {
      const portMode = asObject(setting)['mode'];
      if (portMode !== 'STRICT' && served.has(port)) {
        findings.push({ check: 'strict-mtls', object: describeObject(policy), message: `port ${port} is ${String(portMode)} but carries service traffic` });
      }
    }
  }
  return findings;
}
