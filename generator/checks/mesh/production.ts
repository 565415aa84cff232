/**
 * The production checklist: what a production mesh needs beyond a consistent configuration, from
 * the Sail `Istio` resource and the mesh-wide Telemetry and PeerAuthentication: istiod autoscaled
 * from at least 3 replicas, revision-based updates, proxies with at least 512Mi of memory, trace
 * sampling at most 1%, STRICT mTLS mesh-wide.
 */
import { parseQuantity } from '../../../values-schemas/common/quantity.js';
import { asArray, asObject, describeObject } from '../object.js';
import type { MeshCheckOptions, MeshFinding } from './findings.js';
import { spec, type Mesh } from './model.js';

/** `production`: see the module comment; without a Sail `Istio` among the objects it reports that, unless `options.requireControlPlane` is false. */
export function checkProduction(mesh: Mesh, options: MeshCheckOptions): MeshFinding[] {
  const findings: MeshFinding[] = [];
  if (mesh.controlPlanes.length === 0 && (options.requireControlPlane ?? true)) {
    findings.push({
      check: 'production',
      object: 'Istio (sailoperator.io/v1)',
      message: 'no Sail Istio resource among the objects: istiod sizing and the update strategy cannot be verified',
    });
  }
  for (const istio of mesh.controlPlanes) {
    const values = asObject(spec(istio)['values']);
    const pilot = asObject(values['pilot']);
    const minimum = typeof pilot['autoscaleMin'] === 'number' ? pilot['autoscaleMin'] : 0;
    if (pilot['autoscaleEnabled'] !== true || minimum < 3) {
      findings.push({
        check: 'production',
        object: describeObject(istio),
        message: `istiod must autoscale with at least 3 replicas (autoscaleEnabled ${String(pilot['autoscaleEnabled'])}, autoscaleMin ${minimum})`,
      });
    }
    const strategy = asObject(spec(istio)['updateStrategy'])['type'] ?? 'InPlace';
    if (strategy !== 'RevisionBased')
      findings.push({ check: 'production', object: describeObject(istio), message: `update strategy is ${String(strategy)}, not RevisionBased` });
    const memory = asObject(asObject(asObject(asObject(values['global'])['proxy'])['resources'])['limits'])['memory'];
    const bytes = parseQuantity(memory);
    if (bytes === undefined || bytes < parseQuantity('512Mi')!) {
      findings.push({ check: 'production', object: describeObject(istio), message: `proxy memory limit is ${String(memory ?? 'unset')}, below 512Mi` });
    }
  }
  for (const deployment of mesh.deployments) {
    const annotations = asObject(asObject(asObject(spec(deployment)['template'])['metadata'])['annotations']);
    const limit = annotations['sidecar.istio.io/proxyMemoryLimit'];
    if (limit !== undefined && (parseQuantity(limit) ?? 0) < parseQuantity('512Mi')!) {
      findings.push({ check: 'production', object: describeObject(deployment), message: `sidecar proxy memory limit ${String(limit)} is below 512Mi` });
    }
  }
  if (mesh.controlPlanes.length > 0 || mesh.telemetries.length > 0) {
    const telemetry = mesh.namespaceWide(mesh.telemetries, mesh.rootNamespace);
    const sampling = telemetry ? asArray(spec(telemetry)['tracing']).map((entry) => asObject(entry)['randomSamplingPercentage']) : [];
    if (!telemetry || sampling.length === 0 || sampling.some((value) => typeof value !== 'number' || value > 1)) {
      findings.push({
        check: 'production',
        object: telemetry ? describeObject(telemetry) : `Telemetry ${mesh.rootNamespace}/*`,
        message: `mesh-wide trace sampling must be set and at most 1% (found ${sampling.length ? sampling.join(', ') : 'none'})`,
      });
    }
    const root = mesh.namespaceWide(mesh.peerAuthentications, mesh.rootNamespace);
    if (!root || asObject(spec(root)['mtls'])['mode'] !== 'STRICT') {
      findings.push({
        check: 'production',
        object: root ? describeObject(root) : `PeerAuthentication ${mesh.rootNamespace}/*`,
        message: 'mesh-wide mTLS must be STRICT',
      });
    }
  }
  return findings;
}
