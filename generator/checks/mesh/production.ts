/**
 * The production checklist: what a production mesh needs beyond a consistent configuration, from
 * the Sail `Istio` resource and the mesh-wide Telemetry and PeerAuthentication, by the numbers of
 * {@link PRODUCTION} (which the charts' Helm guards also read): istiod autoscaled from its minimum
 * of replicas, revision-based updates, the proxies' memory floor, the trace-sampling ceiling and
 * the required mTLS mode mesh-wide.
 */
import { parseQuantity } from '../../../values-schemas/common/quantity.js';
import { PRODUCTION, PROXY_MEMORY_LIMIT_MIN_BYTES } from '../../../values-schemas/platform/production.js';
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
    if (pilot['autoscaleEnabled'] !== true || minimum < PRODUCTION.istiodMinReplicas) {
      findings.push({
        check: 'production',
        object: describeObject(istio),
        message: `istiod must autoscale with at least ${PRODUCTION.istiodMinReplicas} replicas (autoscaleEnabled ${String(pilot['autoscaleEnabled'])}, autoscaleMin ${minimum})`,
      });
    }
    const strategy = asObject(spec(istio)['updateStrategy'])['type'] ?? 'InPlace';
    if (strategy !== PRODUCTION.updateStrategy)
      findings.push({
        check: 'production',
        object: describeObject(istio),
        message: `update strategy is ${String(strategy)}, not ${PRODUCTION.updateStrategy}`,
      });
    const memory = asObject(asObject(asObject(asObject(values['global'])['proxy'])['resources'])['limits'])['memory'];
    const bytes = parseQuantity(memory);
    if (bytes === undefined || bytes < PROXY_MEMORY_LIMIT_MIN_BYTES) {
      findings.push({
        check: 'production',
        object: describeObject(istio),
        message: `proxy memory limit is ${String(memory ?? 'unset')}, below ${PRODUCTION.proxyMemoryLimitMin}`,
      });
    }
  }
  for (const deployment of mesh.deployments) {
    const annotations = asObject(asObject(asObject(spec(deployment)['template'])['metadata'])['annotations']);
    const limit = annotations['sidecar.istio.io/proxyMemoryLimit'];
    if (limit !== undefined && (parseQuantity(limit) ?? 0) < PROXY_MEMORY_LIMIT_MIN_BYTES) {
      findings.push({
        check: 'production',
        object: describeObject(deployment),
        message: `sidecar proxy memory limit ${String(limit)} is below ${PRODUCTION.proxyMemoryLimitMin}`,
      });
    }
  }
  if (mesh.controlPlanes.length > 0 || mesh.telemetries.length > 0) {
    const telemetry = mesh.namespaceWide(mesh.telemetries, mesh.rootNamespace);
    const sampling = telemetry ? asArray(spec(telemetry)['tracing']).map((entry) => asObject(entry)['randomSamplingPercentage']) : [];
    if (!telemetry || sampling.length === 0 || sampling.some((value) => typeof value !== 'number' || value > PRODUCTION.traceSamplingMaxPercent)) {
      findings.push({
        check: 'production',
        object: telemetry ? describeObject(telemetry) : `Telemetry ${mesh.rootNamespace}/*`,
        message: `mesh-wide trace sampling must be set and at most ${PRODUCTION.traceSamplingMaxPercent}% (found ${sampling.length ? sampling.join(', ') : 'none'})`,
      });
    }
    const root = mesh.namespaceWide(mesh.peerAuthentications, mesh.rootNamespace);
    if (!root || asObject(spec(root)['mtls'])['mode'] !== PRODUCTION.mtlsMode) {
      findings.push({
        check: 'production',
        object: root ? describeObject(root) : `PeerAuthentication ${mesh.rootNamespace}/*`,
        message: `mesh-wide mTLS must be ${PRODUCTION.mtlsMode}`,
      });
    }
  }
  return findings;
}
