/**
 * The gateway check: every host an Istio Gateway serves (except on a redirect-only server) is bound
 * by a VirtualService attached to that gateway, so no public host answers 404.
 */
import { asArray, asObject, asStrings, describeObject } from '../object.js';
import type { MeshFinding } from './findings.js';
import { hostPatternCovers, nameOf, spec, type Mesh } from './model.js';

/** `gateway-host`: see the module comment; a VirtualService's gateway is `namespace/name`, or `name` in its own namespace. */
export function checkGatewayHosts(mesh: Mesh): MeshFinding[] {
  const findings: MeshFinding[] = [];
  for (const gateway of mesh.gateways) {
    const gatewayNamespace = mesh.namespaceOf(gateway);
    const reference = `${gatewayNamespace}/${nameOf(gateway)}`;
    const binding = mesh.virtualServices.filter((virtualService) =>
      asStrings(spec(virtualService)['gateways']).some(
        (name) => name === reference || (name === nameOf(gateway) && mesh.namespaceOf(virtualService) === gatewayNamespace),
      ),
    );
    for (const server of asArray(spec(gateway)['servers']).map(asObject)) {
      if (asObject(server['tls'])['httpsRedirect'] === true) continue; // answers with a redirect, routes nothing
      for (const entry of asStrings(server['hosts'])) {
        const bound = binding.some((virtualService) =>
          asStrings(spec(virtualService)['hosts']).some((host) => hostPatternCovers(entry, gatewayNamespace, mesh.namespaceOf(virtualService), host)),
        );
        if (!bound) {
          findings.push({
            check: 'gateway-host',
            object: describeObject(gateway),
            message: `host ${entry} on port ${String(asObject(server['port'])['number'])} is bound by no VirtualService`,
          });
        }
      }
    }
  }
  return findings;
}
