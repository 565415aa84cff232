/**
 * The authorization checks: the ALLOW AuthorizationPolicies admit exactly the declared call graph
 * (each callee its declared callers' principals, nothing by namespace or to anyone on a serving
 * port), and every principal a policy names is a rendered ServiceAccount, a waypoint or a declared
 * external identity.
 */
import { asArray, asLabels, asObject, asStrings, describeObject, type KubeObject } from '../object.js';
import type { MeshCheckOptions, MeshFinding } from './findings.js';
import { nameOf, spec, type Mesh } from './model.js';

/** What an identity string names. */
type Identity = { kind: 'node'; node: string } | { kind: 'infrastructure' } | { kind: 'unknown' };

function identityResolver(mesh: Mesh, options: MeshCheckOptions) {
  const external = new Map(Object.entries(options.externalPrincipals ?? {}).map(([node, principal]) => [principal, node]));
  return (principal: string, targetNamespace: string): Identity => {
    const node = external.get(principal);
    if (node) return { kind: 'node', node };
    const match = /^([^/]+)\/ns\/([^/]+)\/sa\/([^/]+)$/.exec(principal);
    // A principal of another trust domain is no identity this mesh issues.
    if (!match || match[1] !== mesh.trustDomain) return { kind: 'unknown' };
    const [, , namespace, account] = match as unknown as [string, string, string, string];
    // A waypoint acts for its callers and is created with a service account of its own name.
    if (mesh.waypoints.some((waypoint) => mesh.namespaceOf(waypoint) === namespace && nameOf(waypoint) === account)) return { kind: 'infrastructure' };
    if (mesh.accounts.some((sa) => mesh.namespaceOf(sa) === namespace && nameOf(sa) === account)) {
      return { kind: 'node', node: namespace === targetNamespace ? account : `${namespace}/${account}` };
    }
    return { kind: 'unknown' };
  };
}

/** The Services an AuthorizationPolicy applies to. */
function policyTargets(mesh: Mesh, policy: KubeObject): KubeObject[] {
  const namespace = mesh.namespaceOf(policy);
  const targetRefs = asArray(spec(policy)['targetRefs']).map(asObject);
  if (targetRefs.length > 0) {
    return targetRefs.flatMap((ref) => {
      if (ref['kind'] === 'Service') return mesh.services.filter((service) => mesh.namespaceOf(service) === namespace && nameOf(service) === ref['name']);
      if (ref['kind'] === 'Gateway') {
        return mesh.services.filter(
          (service) => mesh.namespaceOf(service) === namespace && service.metadata?.labels?.['istio.io/use-waypoint'] === ref['name'],
        );
      }
      return [];
    });
  }
  const selector = asLabels(asObject(spec(policy)['selector'])['matchLabels']);
  if (Object.keys(selector).length > 0) return mesh.servicesSelecting(selector, namespace);
  return namespace === mesh.rootNamespace ? mesh.services : mesh.services.filter((service) => mesh.namespaceOf(service) === namespace);
}

/**
 * `call-graph`: every Service with pods in the mesh (the edge aside) is governed by an ALLOW policy, and the
 * callers it admits by principal are exactly the declared ones: a missing edge breaks a call, an
 * extra one is a caller the graph does not know. Admitting by anything but the principal counts
 * as an undeclared edge unless only on ports the Service does not serve (metrics scraping).
 */
export function checkCallGraph(mesh: Mesh, options: MeshCheckOptions): MeshFinding[] {
  const findings: MeshFinding[] = [];
  const resolve = identityResolver(mesh, options);
  const allowed = new Map<string, Set<string>>(); // callee key → caller nodes
  const governed = new Set<string>(); // services some ALLOW policy applies to
  const key = (service: KubeObject) => `${mesh.namespaceOf(service)}/${nameOf(service)}`;
  for (const policy of mesh.authorizationPolicies) {
    const action = spec(policy)['action'] ?? 'ALLOW';
    if (action !== 'ALLOW') continue;
    const targets = policyTargets(mesh, policy).filter((target) => !mesh.isEdge(target));
    asArray(spec(policy)['rules'])
      .map(asObject)
      .forEach((rule, index) => {
        const sources = asArray(rule['from']).map((entry) => asObject(asObject(entry)['source']));
        const ports = asArray(rule['to']).flatMap((entry) => asStrings(asObject(asObject(entry)['operation'])['ports']));
        const byPrincipalOnly = sources.length > 0 && sources.every((source) => Object.keys(source).length === 1 && Array.isArray(source['principals']));
        for (const target of targets) {
          if (!byPrincipalOnly) {
            // Admitting by namespace, or anyone, is fine only on ports the Service does not serve (metrics scraping).
            const serving = mesh.servingPorts(target);
            if (ports.length === 0 || ports.some((port) => serving.has(port))) {
              findings.push({
                check: 'call-graph',
                object: describeObject(policy),
                message: `rule #${index} admits callers of ${nameOf(target)} by something other than their principal on ${ports.length ? `serving port(s) ${ports.join(', ')}` : 'every port'}: an edge the call graph does not declare`,
              });
            }
            continue;
          }
          for (const principal of sources.flatMap((source) => asStrings(source['principals']))) {
            const identity = resolve(principal, mesh.namespaceOf(target));
            if (identity.kind !== 'node') continue; // infrastructure passes; unknown ones are the principal check's
            const callers = allowed.get(key(target)) ?? new Set<string>();
            callers.add(identity.node);
            allowed.set(key(target), callers);
          }
        }
      });
    for (const target of targets) governed.add(key(target));
  }

  const declared = new Map<string, Set<string>>();
  for (const [caller, callees] of Object.entries(options.calls ?? {})) {
    for (const callee of callees) {
      const service = mesh.services.find((candidate) => nameOf(candidate) === callee || key(candidate) === callee);
      if (!service) {
        findings.push({ check: 'call-graph', object: `call ${caller} → ${callee}`, message: `the declared callee ${callee} is no rendered Service` });
        continue;
      }
      const callers = declared.get(key(service)) ?? new Set<string>();
      callers.add(caller);
      declared.set(key(service), callers);
    }
  }

  for (const service of mesh.services) {
    // Not a mesh workload of these objects: no pods rendered, or none with a proxy for a policy to act in.
    if (!mesh.podsOf(service).some((deployment) => mesh.enrolled(deployment))) continue;
    if (mesh.isEdge(service)) continue; // the ingress gateway: its callers are outside the mesh
    const want = declared.get(key(service)) ?? new Set<string>();
    if (!governed.has(key(service))) {
      findings.push({
        check: 'call-graph',
        object: describeObject(service),
        message: 'no ALLOW AuthorizationPolicy applies: every caller is allowed, not just the declared ones',
      });
      continue;
    }
    const have = allowed.get(key(service)) ?? new Set<string>();
    for (const caller of [...want].sort()) {
      if (!have.has(caller))
        findings.push({ check: 'call-graph', object: describeObject(service), message: `missing edge: the declared caller ${caller} is not allowed` });
    }
    for (const caller of [...have].sort()) {
      if (!want.has(caller))
        findings.push({ check: 'call-graph', object: describeObject(service), message: `extra edge: ${caller} is allowed but not a declared caller` });
    }
  }
  return findings;
}

/** `principal`: every principal a policy names resolves to a rendered ServiceAccount, a waypoint or a declared external identity. */
export function checkPrincipals(mesh: Mesh, options: MeshCheckOptions): MeshFinding[] {
  const findings: MeshFinding[] = [];
  const resolve = identityResolver(mesh, options);
  for (const policy of mesh.authorizationPolicies) {
    for (const rule of asArray(spec(policy)['rules']).map(asObject)) {
      for (const entry of asArray(rule['from'])) {
        const source = asObject(asObject(entry)['source']);
        for (const principal of [...asStrings(source['principals']), ...asStrings(source['notPrincipals'])]) {
          if (resolve(principal, mesh.namespaceOf(policy)).kind === 'unknown') {
            findings.push({
              check: 'principal',
              object: describeObject(policy),
              message: `principal ${principal} names no rendered ServiceAccount, waypoint or declared external identity`,
            });
          }
        }
      }
    }
  }
  return findings;
}
