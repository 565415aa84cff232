/**
 * Cross-object checks of a rendered Istio mesh: pure functions from Kubernetes objects (as parsed
 * from `helm template` output, of any charts together) to findings. Nothing here reads files, runs
 * tools or imports a test framework, so a user can run it on their own renders:
 *
 * ```ts
 * import yaml from 'js-yaml';
 * import { checkMesh, callGraphFromValues } from './generator/checks/mesh.js';
 * const objects = yaml.loadAll(renderedYaml) as MeshObject[];
 * const findings = checkMesh(objects, { production: true, ...callGraphFromValues(values) });
 * ```
 *
 * The checks judge what one object cannot show alone: that routes lead to Services that exist,
 * that subsets select real pods, that the authorization policies allow exactly the declared call
 * graph, and (for production) that mTLS is STRICT everywhere and the control plane is sized.
 */
import { matchesLabels as selects, parseQuantity } from './api-rules.js';

/** A rendered Kubernetes object, as far as the checks read it. */
export interface MeshObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: {
    readonly name?: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
  };
  readonly spec?: unknown;
}

/** The checks, by id. */
export const MESH_CHECKS = [
  'destination-host',
  'subset',
  'canary-weights',
  'retry-budget',
  'call-graph',
  'principal',
  'strict-mtls',
  'sidecar-egress',
  'gateway-host',
  'mesh-mode',
  'production',
] as const;

/** One check's id: {@link MESH_CHECKS}. */
export type MeshCheckId = (typeof MESH_CHECKS)[number];

/** Something a check found wrong. */
export interface MeshFinding {
  /** The check that found it. */
  readonly check: MeshCheckId;
  /** The object it is about: `Kind namespace/name`. */
  readonly object: string;
  /** What is wrong, in one sentence. */
  readonly message: string;
}

/** Options for {@link checkMesh}. */
export interface MeshCheckOptions {
  /**
   * The declared call graph: caller → the Services it calls. A caller is a ServiceAccount name
   * (in the callee's namespace, else `namespace/name`) or a key of `externalPrincipals`.
   * Without it, `call-graph` is skipped and `sidecar-egress` checks only `egressNamespaces`.
   */
  readonly calls?: Readonly<Record<string, readonly string[]>>;
  /**
   * Identities outside the rendered objects that policies may name, by node name: e.g.
   * `{ 'ingress-gateway': 'cluster.local/ns/istio-ingress/sa/istio-ingressgateway' }`.
   * @default {}
   */
  readonly externalPrincipals?: Readonly<Record<string, string>>;
  /** Run the production checks (`strict-mtls`, `production`). @default false */
  readonly production?: boolean;
  /** The mesh root namespace (mesh-wide PeerAuthentication, Telemetry, Sidecar). @default "istio-system" */
  readonly rootNamespace?: string;
  /** Namespaces every Sidecar's egress must reach besides the declared callees (control plane, observability, stores). @default [] */
  readonly egressNamespaces?: readonly string[];
  /** Namespaces that must be STRICT in production besides those of rendered Deployments. @default [] */
  readonly namespaces?: readonly string[];
  /** Whether `production` requires a Sail `Istio` resource among the objects. @default true */
  readonly requireControlPlane?: boolean;
  /** Only these checks. @default all of {@link MESH_CHECKS} */
  readonly checks?: readonly MeshCheckId[];
}

// ---------------------------------------------------------------------------------------------
// Small parsers

const DURATION_PART = /([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)/g;
const DURATION_FACTORS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Milliseconds of an Istio/Go duration (`500ms`, `10s`, `1m30s`); `undefined` when unparsable.
 * @example parseDuration('1m30s') // 90000
 */
export function parseDuration(text: unknown): number | undefined {
  if (typeof text !== 'string' || !/^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$/.test(text)) return undefined;
  let total = 0;
  for (const match of text.matchAll(DURATION_PART)) total += Number(match[1]) * DURATION_FACTORS[match[2]!]!;
  return total;
}

/**
 * Bytes of a Kubernetes memory quantity (`512Mi`, `1G`, or a JSON number); `undefined` when
 * unparsable. Kept for compatibility: a thin wrapper over {@link parseQuantity}.
 * @example parseMemory('512Mi') // 536870912
 */
export function parseMemory(text: unknown): number | undefined {
  return typeof text === 'string' || typeof text === 'number' ? parseQuantity(text) : undefined;
}

// ---------------------------------------------------------------------------------------------
// Object access

type Json = Record<string, unknown>;
const asObject = (value: unknown): Json => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {});
const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const asStrings = (value: unknown): string[] => asArray(value).filter((item): item is string => typeof item === 'string');
const asLabels = (value: unknown): Record<string, string> => {
  const labels: Record<string, string> = {};
  for (const [key, item] of Object.entries(asObject(value))) if (typeof item === 'string') labels[key] = item;
  return labels;
};
const spec = (object: MeshObject): Json => asObject(object.spec);
const nameOf = (object: MeshObject): string => object.metadata?.name ?? '<unnamed>';
const describe = (object: MeshObject): string =>
  `${object.kind} ${object.metadata?.namespace ? `${object.metadata.namespace}/` : ''}${nameOf(object)}`;
const isKind = (object: MeshObject, group: string, kind: string): boolean =>
  object.kind === kind && (group === '' ? !object.apiVersion.includes('/') : object.apiVersion.startsWith(`${group}/`));

/** The rendered objects, indexed the way the checks look them up. */
class Mesh {
  readonly services: MeshObject[];
  readonly deployments: MeshObject[];
  readonly accounts: MeshObject[];
  readonly virtualServices: MeshObject[];
  readonly destinationRules: MeshObject[];
  readonly gateways: MeshObject[];
  readonly waypoints: MeshObject[];
  readonly authorizationPolicies: MeshObject[];
  readonly peerAuthentications: MeshObject[];
  readonly sidecars: MeshObject[];
  readonly telemetries: MeshObject[];
  readonly controlPlanes: MeshObject[];
  readonly serviceEntryHosts: Set<string>;

  constructor(
    objects: readonly MeshObject[],
    readonly rootNamespace: string,
  ) {
    const of = (group: string, kind: string) => objects.filter((object) => isKind(object, group, kind));
    this.services = of('', 'Service');
    this.deployments = of('apps', 'Deployment');
    this.accounts = of('', 'ServiceAccount');
    this.virtualServices = of('networking.istio.io', 'VirtualService');
    this.destinationRules = of('networking.istio.io', 'DestinationRule');
    this.gateways = of('networking.istio.io', 'Gateway');
    this.waypoints = of('gateway.networking.k8s.io', 'Gateway').filter((gateway) => spec(gateway)['gatewayClassName'] === 'istio-waypoint');
    this.authorizationPolicies = of('security.istio.io', 'AuthorizationPolicy');
    this.peerAuthentications = of('security.istio.io', 'PeerAuthentication');
    this.sidecars = of('networking.istio.io', 'Sidecar');
    this.telemetries = of('telemetry.istio.io', 'Telemetry');
    this.controlPlanes = of('sailoperator.io', 'Istio');
    this.serviceEntryHosts = new Set(of('networking.istio.io', 'ServiceEntry').flatMap((entry) => asStrings(spec(entry)['hosts'])));
  }

  namespaceOf(object: MeshObject): string {
    return object.metadata?.namespace ?? '';
  }

  /** The Service a route host means, seen from `namespace`; `undefined` when none is rendered. */
  service(host: string, namespace: string): MeshObject | undefined {
    const parts = host.split('.');
    const name = parts[0]!;
    const target = parts.length === 1 ? namespace : parts[1]!;
    if (parts.length > 2 && !host.endsWith('.svc.cluster.local') && parts.slice(2).join('.') !== 'svc') return undefined;
    return this.services.find((service) => nameOf(service) === name && this.namespaceOf(service) === target);
  }

  /** The pod template labels of a Deployment. */
  podLabels(deployment: MeshObject): Record<string, string> {
    return asLabels(asObject(asObject(spec(deployment)['template'])['metadata'])['labels']);
  }

  /** Deployments whose pods a Service selects. */
  podsOf(service: MeshObject): MeshObject[] {
    const selector = asLabels(spec(service)['selector']);
    if (Object.keys(selector).length === 0) return [];
    return this.deployments.filter((deployment) => this.namespaceOf(deployment) === this.namespaceOf(service) && selects(selector, this.podLabels(deployment)));
  }

  /**
   * Whether a Service fronts ingress gateway pods (an Istio Gateway selects them): the mesh's
   * public edge, called from outside the mesh by design, so the call graph and the mTLS port rules
   * of workloads do not apply to it.
   */
  isEdge(service: MeshObject): boolean {
    return this.podsOf(service).some((deployment) =>
      this.gateways.some((gateway) => {
        const selector = asLabels(spec(gateway)['selector']);
        return Object.keys(selector).length > 0 && selects(selector, this.podLabels(deployment));
      }),
    );
  }

  /** Services whose pods include some a selector selects (in one namespace). */
  servicesSelecting(selector: Record<string, string>, namespace: string): MeshObject[] {
    return this.services.filter(
      (service) => this.namespaceOf(service) === namespace && this.podsOf(service).some((deployment) => selects(selector, this.podLabels(deployment))),
    );
  }

  /** Port numbers a Service serves (its ports and target ports). */
  servingPorts(service: MeshObject): Set<string> {
    const ports = new Set<string>();
    for (const port of asArray(spec(service)['ports']).map(asObject)) {
      if (typeof port['port'] === 'number') ports.add(String(port['port']));
      if (typeof port['targetPort'] === 'number') ports.add(String(port['targetPort']));
      // A named target port resolves through the pods' container ports.
      if (typeof port['targetPort'] === 'string') {
        for (const deployment of this.podsOf(service)) {
          for (const container of asArray(asObject(asObject(spec(deployment)['template'])['spec'])['containers']).map(asObject)) {
            for (const containerPort of asArray(container['ports']).map(asObject)) {
              if (containerPort['name'] === port['targetPort']) ports.add(String(containerPort['containerPort']));
            }
          }
        }
      }
    }
    return ports;
  }
}

/** Every HTTP route destination of a VirtualService with where it sits. */
function destinationsOf(virtualService: MeshObject): Array<{ route: Json; index: number; destination: Json; weight: unknown }> {
  const found: Array<{ route: Json; index: number; destination: Json; weight: unknown }> = [];
  asArray(spec(virtualService)['http']).map(asObject).forEach((route, index) => {
    for (const entry of asArray(route['route']).map(asObject)) found.push({ route, index, destination: asObject(entry['destination']), weight: entry['weight'] });
  });
  return found;
}

const routeName = (route: Json, index: number): string => (typeof route['name'] === 'string' ? `route ${route['name']}` : `route #${index}`);

// ---------------------------------------------------------------------------------------------
// The checks

function checkDestinationHosts(mesh: Mesh): MeshFinding[] {
  const findings: MeshFinding[] = [];
  for (const virtualService of mesh.virtualServices) {
    for (const { route, index, destination } of destinationsOf(virtualService)) {
      const host = String(destination['host'] ?? '');
      if (mesh.service(host, mesh.namespaceOf(virtualService)) || mesh.serviceEntryHosts.has(host)) continue;
      findings.push({
        check: 'destination-host',
        object: describe(virtualService),
        message: `${routeName(route, index)} sends traffic to ${host || '(no host)'}, which is no rendered Service or ServiceEntry host`,
      });
    }
  }
  return findings;
}

function checkSubsets(mesh: Mesh): MeshFinding[] {
  const findings: MeshFinding[] = [];
  for (const virtualService of mesh.virtualServices) {
    for (const { route, index, destination } of destinationsOf(virtualService)) {
      const subset = destination['subset'];
      if (typeof subset !== 'string') continue;
      const host = String(destination['host'] ?? '');
      const service = mesh.service(host, mesh.namespaceOf(virtualService));
      const rules = mesh.destinationRules.filter((rule) => {
        const ruleService = mesh.service(String(spec(rule)['host'] ?? ''), mesh.namespaceOf(rule));
        return service ? ruleService === service : spec(rule)['host'] === host;
      });
      const definition = rules.flatMap((rule) => asArray(spec(rule)['subsets']).map(asObject)).find((candidate) => candidate['name'] === subset);
      const where = `${routeName(route, index)} → ${host} subset ${subset}`;
      if (!definition) {
        findings.push({ check: 'subset', object: describe(virtualService), message: `${where}: no DestinationRule for the host defines that subset` });
        continue;
      }
      if (!service) continue; // destination-host reports it
      const selector = { ...asLabels(spec(service)['selector']), ...asLabels(definition['labels']) };
      const pods = mesh.deployments.filter((deployment) => mesh.namespaceOf(deployment) === mesh.namespaceOf(service) && selects(selector, mesh.podLabels(deployment)));
      if (pods.length === 0) {
        findings.push({
          check: 'subset',
          object: describe(virtualService),
          message: `${where}: its labels ${JSON.stringify(asLabels(definition['labels']))} with the Service selector select the pods of no rendered Deployment`,
        });
      }
    }
  }
  return findings;
}

function checkCanaryWeights(mesh: Mesh): MeshFinding[] {
  const findings: MeshFinding[] = [];
  for (const virtualService of mesh.virtualServices) {
    asArray(spec(virtualService)['http']).map(asObject).forEach((route, index) => {
      const entries = asArray(route['route']).map(asObject);
      if (entries.length < 2 && entries.every((entry) => entry['weight'] === undefined)) return;
      const weights = entries.map((entry) => (typeof entry['weight'] === 'number' ? entry['weight'] : 0));
      const sum = weights.reduce((total, weight) => total + weight, 0);
      if (sum !== 100) {
        findings.push({
          check: 'canary-weights',
          object: describe(virtualService),
          message: `${routeName(route, index)}: destination weights ${weights.join('/')} sum to ${sum}, not 100`,
        });
      }
    });
  }
  return findings;
}

function checkRetryBudget(mesh: Mesh): MeshFinding[] {
  const findings: MeshFinding[] = [];
  for (const virtualService of mesh.virtualServices) {
    asArray(spec(virtualService)['http']).map(asObject).forEach((route, index) => {
      const retries = asObject(route['retries']);
      const attempts = typeof retries['attempts'] === 'number' ? retries['attempts'] : 0;
      const perTry = parseDuration(retries['perTryTimeout']);
      const timeout = parseDuration(route['timeout']);
      if (attempts === 0 || perTry === undefined || timeout === undefined) return;
      if (attempts * perTry > timeout) {
        findings.push({
          check: 'retry-budget',
          object: describe(virtualService),
          message: `${routeName(route, index)}: ${attempts} attempts × perTryTimeout ${String(retries['perTryTimeout'])} exceed the timeout ${String(route['timeout'])}`,
        });
      }
    });
  }
  return findings;
}

/** What an identity string names. */
type Identity = { kind: 'node'; node: string } | { kind: 'infrastructure' } | { kind: 'unknown' };

function identityResolver(mesh: Mesh, options: MeshCheckOptions) {
  const external = new Map(Object.entries(options.externalPrincipals ?? {}).map(([node, principal]) => [principal, node]));
  return (principal: string, targetNamespace: string): Identity => {
    const node = external.get(principal);
    if (node) return { kind: 'node', node };
    const match = /^[^/]+\/ns\/([^/]+)\/sa\/([^/]+)$/.exec(principal);
    if (!match) return { kind: 'unknown' };
    const [, namespace, account] = match as unknown as [string, string, string];
    // A waypoint acts for its callers and is created with a service account of its own name.
    if (mesh.waypoints.some((waypoint) => mesh.namespaceOf(waypoint) === namespace && nameOf(waypoint) === account)) return { kind: 'infrastructure' };
    if (mesh.accounts.some((sa) => mesh.namespaceOf(sa) === namespace && nameOf(sa) === account)) {
      return { kind: 'node', node: namespace === targetNamespace ? account : `${namespace}/${account}` };
    }
    return { kind: 'unknown' };
  };
}

/** The Services an AuthorizationPolicy applies to. */
function policyTargets(mesh: Mesh, policy: MeshObject): MeshObject[] {
  const namespace = mesh.namespaceOf(policy);
  const targetRefs = asArray(spec(policy)['targetRefs']).map(asObject);
  if (targetRefs.length > 0) {
    return targetRefs.flatMap((ref) => {
      if (ref['kind'] === 'Service') return mesh.services.filter((service) => mesh.namespaceOf(service) === namespace && nameOf(service) === ref['name']);
      if (ref['kind'] === 'Gateway') {
        return mesh.services.filter((service) => mesh.namespaceOf(service) === namespace && service.metadata?.labels?.['istio.io/use-waypoint'] === ref['name']);
      }
      return [];
    });
  }
  const selector = asLabels(asObject(spec(policy)['selector'])['matchLabels']);
  if (Object.keys(selector).length > 0) return mesh.servicesSelecting(selector, namespace);
  return namespace === mesh.rootNamespace ? mesh.services : mesh.services.filter((service) => mesh.namespaceOf(service) === namespace);
}

function checkCallGraph(mesh: Mesh, options: MeshCheckOptions): MeshFinding[] {
  const findings: MeshFinding[] = [];
  const resolve = identityResolver(mesh, options);
  const allowed = new Map<string, Set<string>>(); // callee key → caller nodes
  const governed = new Set<string>(); // services some ALLOW policy applies to
  const key = (service: MeshObject) => `${mesh.namespaceOf(service)}/${nameOf(service)}`;
  for (const policy of mesh.authorizationPolicies) {
    const action = spec(policy)['action'] ?? 'ALLOW';
    if (action !== 'ALLOW') continue;
    const targets = policyTargets(mesh, policy).filter((target) => !mesh.isEdge(target));
    asArray(spec(policy)['rules']).map(asObject).forEach((rule, index) => {
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
              object: describe(policy),
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
    if (mesh.podsOf(service).length === 0) continue; // not a mesh workload of these objects
    if (mesh.isEdge(service)) continue; // the ingress gateway: its callers are outside the mesh
    const want = declared.get(key(service)) ?? new Set<string>();
    if (!governed.has(key(service))) {
      findings.push({ check: 'call-graph', object: describe(service), message: 'no ALLOW AuthorizationPolicy applies: every caller is allowed, not just the declared ones' });
      continue;
    }
    const have = allowed.get(key(service)) ?? new Set<string>();
    for (const caller of [...want].sort()) {
      if (!have.has(caller)) findings.push({ check: 'call-graph', object: describe(service), message: `missing edge: the declared caller ${caller} is not allowed` });
    }
    for (const caller of [...have].sort()) {
      if (!want.has(caller)) findings.push({ check: 'call-graph', object: describe(service), message: `extra edge: ${caller} is allowed but not a declared caller` });
    }
  }
  return findings;
}

function checkPrincipals(mesh: Mesh, options: MeshCheckOptions): MeshFinding[] {
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
              object: describe(policy),
              message: `principal ${principal} names no rendered ServiceAccount, waypoint or declared external identity`,
            });
          }
        }
      }
    }
  }
  return findings;
}

function checkStrictMtls(mesh: Mesh, options: MeshCheckOptions): MeshFinding[] {
  const findings: MeshFinding[] = [];
  const modeOf = (policy: MeshObject) => asObject(spec(policy)['mtls'])['mode'];
  const hasSelector = (policy: MeshObject) => Object.keys(asObject(spec(policy)['selector'])).length > 0;
  const wide = (namespace: string) => mesh.peerAuthentications.find((policy) => mesh.namespaceOf(policy) === namespace && !hasSelector(policy));
  const root = wide(mesh.rootNamespace);
  const namespaces = new Set([...mesh.deployments.map((deployment) => mesh.namespaceOf(deployment)), ...(options.namespaces ?? [])]);
  if (root && modeOf(root) !== 'STRICT') {
    findings.push({ check: 'strict-mtls', object: describe(root), message: `the mesh-wide mode is ${String(modeOf(root))}, not STRICT` });
  }
  for (const namespace of [...namespaces].sort()) {
    const own = wide(namespace);
    const mode = own && modeOf(own) !== undefined && modeOf(own) !== 'UNSET' ? modeOf(own) : root ? modeOf(root) : 'PERMISSIVE (Istio default)';
    if (mode !== 'STRICT') findings.push({ check: 'strict-mtls', object: `Namespace ${namespace}`, message: `mTLS is ${String(mode)}, not STRICT` });
  }
  for (const policy of mesh.peerAuthentications.filter(hasSelector)) {
    const mode = modeOf(policy);
    if (mode !== undefined && mode !== 'STRICT' && mode !== 'UNSET') {
      findings.push({ check: 'strict-mtls', object: describe(policy), message: `workload mode ${String(mode)} weakens STRICT mTLS` });
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
        findings.push({ check: 'strict-mtls', object: describe(policy), message: `port ${port} is ${String(portMode)} but carries service traffic` });
      }
    }
  }
  return findings;
}

function hostCovered(pattern: string, sidecarNamespace: string, namespace: string, fqdn: string): boolean {
  const [scope, host] = pattern.includes('/') ? (pattern.split('/', 2) as [string, string]) : ['*', pattern];
  const scopeOk = scope === '*' || scope === namespace || (scope === '.' && namespace === sidecarNamespace);
  const hostOk = host === '*' || host === fqdn || (host.startsWith('*.') && fqdn.endsWith(host.slice(1)));
  return scopeOk && hostOk;
}

function checkSidecarEgress(mesh: Mesh, options: MeshCheckOptions): MeshFinding[] {
  const findings: MeshFinding[] = [];
  if (mesh.sidecars.length === 0) return findings;
  const selectorOf = (sidecar: MeshObject) => asLabels(asObject(spec(sidecar)['workloadSelector'])['labels']);
  for (const deployment of mesh.deployments) {
    const namespace = mesh.namespaceOf(deployment);
    const labels = mesh.podLabels(deployment);
    const sidecar =
      mesh.sidecars.find((candidate) => mesh.namespaceOf(candidate) === namespace && Object.keys(selectorOf(candidate)).length > 0 && selects(selectorOf(candidate), labels)) ??
      mesh.sidecars.find((candidate) => mesh.namespaceOf(candidate) === namespace && Object.keys(selectorOf(candidate)).length === 0) ??
      mesh.sidecars.find((candidate) => mesh.namespaceOf(candidate) === mesh.rootNamespace && Object.keys(selectorOf(candidate)).length === 0);
    if (!sidecar) continue;
    const hosts = asArray(spec(sidecar)['egress']).flatMap((entry) => asStrings(asObject(entry)['hosts']));
    const covered = (target: string, fqdn: string) => hosts.some((pattern) => hostCovered(pattern, mesh.namespaceOf(sidecar), target, fqdn));
    const account = String(asObject(asObject(spec(deployment)['template'])['spec'])['serviceAccountName'] ?? 'default');
    for (const callee of options.calls?.[account] ?? []) {
      const service = mesh.services.find((candidate) => nameOf(candidate) === callee || `${mesh.namespaceOf(candidate)}/${nameOf(candidate)}` === callee);
      if (!service) continue; // call-graph reports it
      const fqdn = `${nameOf(service)}.${mesh.namespaceOf(service)}.svc.cluster.local`;
      if (!covered(mesh.namespaceOf(service), fqdn)) {
        findings.push({ check: 'sidecar-egress', object: describe(sidecar), message: `${nameOf(deployment)} calls ${fqdn}, which the egress hosts ${hosts.join(', ')} do not cover` });
      }
    }
    for (const target of options.egressNamespaces ?? []) {
      if (!hosts.some((pattern) => hostCovered(pattern, mesh.namespaceOf(sidecar), target, '*') && pattern.endsWith('/*'))) {
        findings.push({ check: 'sidecar-egress', object: describe(sidecar), message: `${nameOf(deployment)} cannot reach namespace ${target} (egress hosts: ${hosts.join(', ')})` });
      }
    }
  }
  // One finding per Sidecar and message is enough: canary versions of a service share both.
  return [...new Map(findings.map((finding) => [`${finding.object}|${finding.message.replace(/^\S+/, '')}`, finding])).values()];
}

/**
 * Workloads enrolled in the ambient data plane (`istio.io/dataplane-mode: ambient` on a pod template
 * or a Namespace) need a control plane that runs ztunnel. Rendered separately (restaurant-app and
 * istio-mesh each carry a mesh mode), the two can disagree, and the pods' traffic then bypasses the
 * mesh without any error.
 */
function checkMeshMode(objects: readonly MeshObject[]): MeshFinding[] {
  const istio = objects.find((object) => isKind(object, 'sailoperator.io', 'Istio'));
  if (!istio) return [];
  const profile = typeof spec(istio).profile === 'string' ? (spec(istio).profile as string) : 'default';
  if (profile === 'ambient' || objects.some((object) => isKind(object, 'sailoperator.io', 'ZTunnel'))) return [];
  const ambientLabels = (object: MeshObject): Record<string, string> =>
    object.kind === 'Namespace' ? asLabels(object.metadata?.labels) : asLabels(asObject(asObject(spec(object).template).metadata).labels);
  return objects
    .filter((object) => ambientLabels(object)['istio.io/dataplane-mode'] === 'ambient')
    .map((object) => ({
      check: 'mesh-mode' as const,
      object: describe(object),
      message: `is enrolled in the ambient data plane, but the control plane (Istio ${nameOf(istio)}, profile ${profile}) runs no ztunnel: its traffic bypasses the mesh`,
    }));
}

function checkGatewayHosts(mesh: Mesh): MeshFinding[] {
  const findings: MeshFinding[] = [];
  for (const gateway of mesh.gateways) {
    const gatewayNamespace = mesh.namespaceOf(gateway);
    const reference = `${gatewayNamespace}/${nameOf(gateway)}`;
    const binding = mesh.virtualServices.filter((virtualService) =>
      asStrings(spec(virtualService)['gateways']).some((name) => name === reference || (name === nameOf(gateway) && mesh.namespaceOf(virtualService) === gatewayNamespace)),
    );
    for (const server of asArray(spec(gateway)['servers']).map(asObject)) {
      if (asObject(server['tls'])['httpsRedirect'] === true) continue; // answers with a redirect, routes nothing
      for (const entry of asStrings(server['hosts'])) {
        const [scope, host] = entry.includes('/') ? (entry.split('/', 2) as [string, string]) : ['*', entry];
        const bound = binding.some((virtualService) => {
          const namespace = mesh.namespaceOf(virtualService);
          const scopeOk = scope === '*' || scope === namespace || (scope === '.' && namespace === gatewayNamespace);
          return scopeOk && asStrings(spec(virtualService)['hosts']).some((candidate) => candidate === host || host === '*' || (host.startsWith('*.') && candidate.endsWith(host.slice(1))));
        });
        if (!bound) {
          findings.push({ check: 'gateway-host', object: describe(gateway), message: `host ${entry} on port ${String(asObject(server['port'])['number'])} is bound by no VirtualService` });
        }
      }
    }
  }
  return findings;
}

function checkProduction(mesh: Mesh, options: MeshCheckOptions): MeshFinding[] {
  const findings: MeshFinding[] = [];
  if (mesh.controlPlanes.length === 0 && (options.requireControlPlane ?? true)) {
    findings.push({ check: 'production', object: 'Istio (sailoperator.io/v1)', message: 'no Sail Istio resource among the objects: istiod sizing and the update strategy cannot be verified' });
  }
  for (const istio of mesh.controlPlanes) {
    const values = asObject(spec(istio)['values']);
    const pilot = asObject(values['pilot']);
    const minimum = typeof pilot['autoscaleMin'] === 'number' ? pilot['autoscaleMin'] : 0;
    if (pilot['autoscaleEnabled'] !== true || minimum < 3) {
      findings.push({ check: 'production', object: describe(istio), message: `istiod must autoscale with at least 3 replicas (autoscaleEnabled ${String(pilot['autoscaleEnabled'])}, autoscaleMin ${minimum})` });
    }
    const strategy = asObject(spec(istio)['updateStrategy'])['type'] ?? 'InPlace';
    if (strategy !== 'RevisionBased') findings.push({ check: 'production', object: describe(istio), message: `update strategy is ${String(strategy)}, not RevisionBased` });
    const memory = asObject(asObject(asObject(asObject(values['global'])['proxy'])['resources'])['limits'])['memory'];
    const bytes = parseMemory(memory);
    if (bytes === undefined || bytes < parseMemory('512Mi')!) {
      findings.push({ check: 'production', object: describe(istio), message: `proxy memory limit is ${String(memory ?? 'unset')}, below 512Mi` });
    }
  }
  for (const deployment of mesh.deployments) {
    const memory = asObject(asObject(spec(deployment)['template'])['metadata'])['annotations'];
    const limit = asObject(memory)['sidecar.istio.io/proxyMemoryLimit'];
    if (limit !== undefined && (parseMemory(limit) ?? 0) < parseMemory('512Mi')!) {
      findings.push({ check: 'production', object: describe(deployment), message: `sidecar proxy memory limit ${String(limit)} is below 512Mi` });
    }
  }
  if (mesh.controlPlanes.length > 0 || mesh.telemetries.length > 0) {
    const telemetry = mesh.telemetries.find((candidate) => mesh.namespaceOf(candidate) === mesh.rootNamespace && Object.keys(asObject(spec(candidate)['selector'])).length === 0);
    const sampling = telemetry ? asArray(spec(telemetry)['tracing']).map((entry) => asObject(entry)['randomSamplingPercentage']) : [];
    if (!telemetry || sampling.length === 0 || sampling.some((value) => typeof value !== 'number' || value > 1)) {
      findings.push({
        check: 'production',
        object: telemetry ? describe(telemetry) : `Telemetry ${mesh.rootNamespace}/*`,
        message: `mesh-wide trace sampling must be set and at most 1% (found ${sampling.length ? sampling.join(', ') : 'none'})`,
      });
    }
    const root = mesh.peerAuthentications.find((policy) => mesh.namespaceOf(policy) === mesh.rootNamespace && Object.keys(asObject(spec(policy)['selector'])).length === 0);
    if (!root || asObject(spec(root)['mtls'])['mode'] !== 'STRICT') {
      findings.push({ check: 'production', object: root ? describe(root) : `PeerAuthentication ${mesh.rootNamespace}/*`, message: 'mesh-wide mTLS must be STRICT' });
    }
  }
  return findings;
}

/**
 * Runs the mesh checks over rendered objects and returns every finding (empty when the mesh is
 * consistent). Pure: the objects are only read.
 *
 * @param objects - every object of the renders to judge together (e.g. restaurant-app and istio-mesh)
 * @param options - the declared call graph, external identities and which checks to run
 */
export function checkMesh(objects: readonly MeshObject[], options: MeshCheckOptions = {}): MeshFinding[] {
  const mesh = new Mesh(objects, options.rootNamespace ?? 'istio-system');
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

/** The restaurant-app values {@link callGraphFromValues} reads. */
export interface CallGraphValues {
  readonly global: { readonly namespaces: { readonly ingress: string } };
  readonly serviceDefaults: { readonly enabled: boolean };
  readonly services: Readonly<Record<string, { readonly enabled?: boolean; readonly calls?: Readonly<Record<string, boolean>> }>>;
  readonly istio: {
    readonly gateway: { readonly namespace: string; readonly serviceAccount: string };
    readonly edge: { readonly enabled: boolean; readonly routes: Readonly<Record<string, { readonly service: string }>> };
  };
}

/** The name the ingress gateway's identity has in a call graph from {@link callGraphFromValues}. */
export const INGRESS_NODE = 'ingress-gateway';

/**
 * The declared call graph of restaurant-app values (merged as Helm would merge them): each enabled
 * service's `calls`, plus the ingress gateway calling the services the edge routes name.
 * @returns options for {@link checkMesh}: `calls` and the ingress gateway's `externalPrincipals`
 */
export function callGraphFromValues(values: CallGraphValues): Pick<MeshCheckOptions, 'calls' | 'externalPrincipals'> {
  const enabled = (name: string) => values.services[name]?.enabled ?? values.serviceDefaults.enabled;
  const calls: Record<string, string[]> = {};
  for (const [caller, entry] of Object.entries(values.services)) {
    if (!enabled(caller)) continue;
    const callees = Object.entries(entry.calls ?? {})
      .filter(([callee, on]) => on && enabled(callee))
      .map(([callee]) => callee)
      .sort();
    if (callees.length > 0) calls[caller] = callees;
  }
  const edge = values.istio.edge.enabled ? [...new Set(Object.values(values.istio.edge.routes).map((route) => route.service))].sort() : [];
  if (edge.length > 0) calls[INGRESS_NODE] = edge;
  const namespace = values.istio.gateway.namespace || values.global.namespaces.ingress;
  return { calls, externalPrincipals: { [INGRESS_NODE]: `cluster.local/ns/${namespace}/sa/${values.istio.gateway.serviceAccount}` } };
}
