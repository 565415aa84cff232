/**
 * The egress check: a Sidecar resource limits what a workload's proxy knows of, so a callee or a
 * namespace its egress hosts leave out is unreachable from that workload. Each Deployment is judged
 * by the Sidecar Istio applies to it (its own by workload selector, else its namespace's, else the
 * root namespace's).
 */
import { matchesLabels as selects } from '../api-rules.js';
import { asArray, asLabels, asObject, asStrings, describeObject, type KubeObject } from '../object.js';
import type { MeshCheckOptions, MeshFinding } from './findings.js';
import { hostPatternCovers, nameOf, spec, type Mesh } from './model.js';

/** `sidecar-egress`: each workload's Sidecar egress covers its declared callees and `options.egressNamespaces`. */
export function checkSidecarEgress(mesh: Mesh, options: MeshCheckOptions): MeshFinding[] {
  const findings: MeshFinding[] = [];
  if (mesh.sidecars.length === 0) return findings;
  const selectorOf = (sidecar: KubeObject) => asLabels(asObject(spec(sidecar)['workloadSelector'])['labels']);
  for (const deployment of mesh.deployments) {
    const namespace = mesh.namespaceOf(deployment);
    const labels = mesh.podLabels(deployment);
    const sidecar =
      mesh.sidecars.find(
        (candidate) => mesh.namespaceOf(candidate) === namespace && Object.keys(selectorOf(candidate)).length > 0 && selects(selectorOf(candidate), labels),
      ) ??
      mesh.sidecars.find((candidate) => mesh.namespaceOf(candidate) === namespace && Object.keys(selectorOf(candidate)).length === 0) ??
      mesh.sidecars.find((candidate) => mesh.namespaceOf(candidate) === mesh.rootNamespace && Object.keys(selectorOf(candidate)).length === 0);
    if (!sidecar) continue;
    const hosts = asArray(spec(sidecar)['egress']).flatMap((entry) => asStrings(asObject(entry)['hosts']));
    const covered = (target: string, fqdn: string) => hosts.some((pattern) => hostPatternCovers(pattern, mesh.namespaceOf(sidecar), target, fqdn));
    const account = String(asObject(asObject(spec(deployment)['template'])['spec'])['serviceAccountName'] ?? 'default');
    for (const callee of options.calls?.[account] ?? []) {
      const service = mesh.services.find((candidate) => nameOf(candidate) === callee || `${mesh.namespaceOf(candidate)}/${nameOf(candidate)}` === callee);
      if (!service) continue; // call-graph reports it
      const fqdn = `${nameOf(service)}.${mesh.namespaceOf(service)}.svc.${mesh.clusterDomain}`;
      if (!covered(mesh.namespaceOf(service), fqdn)) {
        findings.push({
          check: 'sidecar-egress',
          object: describeObject(sidecar),
          message: `${nameOf(deployment)} calls ${fqdn}, which the egress hosts ${hosts.join(', ')} do not cover`,
        });
      }
    }
    for (const target of options.egressNamespaces ?? []) {
      if (!hosts.some((pattern) => hostPatternCovers(pattern, mesh.namespaceOf(sidecar), target, '*') && pattern.endsWith('/*'))) {
        findings.push({
          check: 'sidecar-egress',
          object: describeObject(sidecar),
          message: `${nameOf(deployment)} cannot reach namespace ${target} (egress hosts: ${hosts.join(', ')})`,
        });
      }
    }
  }
  // One finding per Sidecar and message is enough: canary versions of a service share both.
  return [...new Map(findings.map((finding) => [`${finding.object}|${finding.message.replace(/^\S+/, '')}`, finding])).values()];
}
