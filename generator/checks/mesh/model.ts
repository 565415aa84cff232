/**
 * The rendered objects as the mesh checks look them up: by kind, a route host resolved to its
 * Service, a Service to the Deployments whose pods it selects, the ports a Service serves. Built
 * once per {@link checkMesh} call and shared by every check, so each check states its rule and not
 * how to find things.
 */
import { matchesLabels as selects } from '../api-rules.js';
import { asArray, asLabels, asObject, asStrings, type KubeObject } from '../object.js';
import type { ValueMap } from '../../../values-schemas/common/merge.js';

/** An object's `spec`, as a map. */
export const spec = (object: KubeObject): ValueMap => asObject(object.spec);

/** An object's name, or `<unnamed>` (as findings print it). */
export const nameOf = (object: KubeObject): string => object.metadata?.name ?? '<unnamed>';

/** Whether an object is `kind` of API `group` (`''` for the core group, whose apiVersion has no `/`). */
export const isKind = (object: KubeObject, group: string, kind: string): boolean =>
  object.kind === kind && (group === '' ? !object.apiVersion.includes('/') : object.apiVersion.startsWith(`${group}/`));

/**
 * Whether an Istio `[namespace/]host` pattern (a Sidecar egress host, a Gateway server host) covers
 * `host` in `namespace`. The scope `*` (or none) is any namespace, `.` the namespace of the
 * pattern's own object (`ownerNamespace`); the host `*` is any host, `*.example.com` any below it.
 */
export function hostPatternCovers(pattern: string, ownerNamespace: string, namespace: string, host: string): boolean {
  const [scope, hostPattern] = pattern.includes('/') ? (pattern.split('/', 2) as [string, string]) : ['*', pattern];
  const scopeOk = scope === '*' || scope === namespace || (scope === '.' && namespace === ownerNamespace);
  const hostOk = hostPattern === '*' || hostPattern === host || (hostPattern.startsWith('*.') && host.endsWith(hostPattern.slice(1)));
  return scopeOk && hostOk;
}

/** The rendered objects, indexed the way the checks look them up. */
export class Mesh {
  readonly services: KubeObject[];
  readonly deployments: KubeObject[];
  readonly accounts: KubeObject[];
  readonly virtualServices: KubeObject[];
  readonly destinationRules: KubeObject[];
  readonly gateways: KubeObject[];
  readonly waypoints: KubeObject[];
  readonly authorizationPolicies: KubeObject[];
  readonly peerAuthentications: KubeObject[];
  readonly sidecars: KubeObject[];
  readonly telemetries: KubeObject[];
  readonly controlPlanes: KubeObject[];
  readonly serviceEntryHosts: Set<string>;
  private readonly podsByService = new Map<KubeObject, KubeObject[]>();
  /** The labels of each rendered Namespace, by name. */
  readonly namespaceLabels: ReadonlyMap<string, Record<string, string>>;

  /** The mesh root namespace (mesh-wide PeerAuthentication, Telemetry, Sidecar). */
  readonly rootNamespace: string;
  /** The SPIFFE trust domain the mesh issues identities in. */
  readonly trustDomain: string;
  /** The cluster's DNS domain. */
  readonly clusterDomain: string;

  /**
   * @param objects - every object of the renders judged together
   * @param where - the root namespace, trust domain and cluster domain of the mesh
   */
  constructor(objects: readonly KubeObject[], where: { readonly rootNamespace: string; readonly trustDomain: string; readonly clusterDomain: string }) {
    this.rootNamespace = where.rootNamespace;
    this.trustDomain = where.trustDomain;
    this.clusterDomain = where.clusterDomain;
    const of = (group: string, kind: string) => objects.filter((object) => isKind(object, group, kind));
    this.services = of('', 'Service');
    this.namespaceLabels = new Map(of('', 'Namespace').map((namespace) => [namespace.metadata?.name ?? '', asLabels(namespace.metadata?.labels)]));
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

  /** An object's namespace, `''` when it has none. */
  namespaceOf(object: KubeObject): string {
    return object.metadata?.namespace ?? '';
  }

  /**
   * The first of `objects` in `namespace` with no `selector`: the policy (PeerAuthentication,
   * Telemetry) for the whole namespace, or, in the root namespace, for the whole mesh.
   */
  namespaceWide(objects: readonly KubeObject[], namespace: string): KubeObject | undefined {
    return objects.find((object) => this.namespaceOf(object) === namespace && Object.keys(asObject(spec(object)['selector'])).length === 0);
  }

  /** The Service a route host means, seen from `namespace`; `undefined` when none is rendered. */
  service(host: string, namespace: string): KubeObject | undefined {
    const parts = host.split('.');
    const name = parts[0]!;
    const target = parts.length === 1 ? namespace : parts[1]!;
    if (parts.length > 2 && !host.endsWith(`.svc.${this.clusterDomain}`) && parts.slice(2).join('.') !== 'svc') return undefined;
    return this.services.find((service) => nameOf(service) === name && this.namespaceOf(service) === target);
  }

  /** The pod template labels of a Deployment. */
  podLabels(deployment: KubeObject): Record<string, string> {
    return asLabels(asObject(asObject(spec(deployment)['template'])['metadata'])['labels']);
  }

  /**
   * Whether a Deployment's pods join the mesh, by their own labels or their rendered Namespace's:
   * sidecar injection, a revision, or the ambient data plane, unless the pods opt out. Pods outside
   * the mesh have no proxy, so no AuthorizationPolicy applies to them.
   */
  enrolled(deployment: KubeObject): boolean {
    const pod = this.podLabels(deployment);
    if (pod['sidecar.istio.io/inject'] === 'false' || pod['istio.io/dataplane-mode'] === 'none') return false;
    const joins = (labels: Record<string, string>) =>
      labels['sidecar.istio.io/inject'] === 'true' ||
      labels['istio-injection'] === 'enabled' ||
      'istio.io/rev' in labels ||
      labels['istio.io/dataplane-mode'] === 'ambient';
    return joins(pod) || joins(this.namespaceLabels.get(this.namespaceOf(deployment)) ?? {});
  }

  /** Deployments whose pods a Service selects (computed once per Service: policies ask for every Service's pods). */
  podsOf(service: KubeObject): KubeObject[] {
    let pods = this.podsByService.get(service);
    if (!pods) {
      const selector = asLabels(spec(service)['selector']);
      pods =
        Object.keys(selector).length === 0
          ? []
          : this.deployments.filter(
              (deployment) => this.namespaceOf(deployment) === this.namespaceOf(service) && selects(selector, this.podLabels(deployment)),
            );
      this.podsByService.set(service, pods);
    }
    return pods;
  }

  /**
   * Whether a Service fronts ingress gateway pods (an Istio Gateway selects them): the mesh's
   * public edge, called from outside the mesh by design, so the call graph and the mTLS port rules
   * of workloads do not apply to it.
   */
  isEdge(service: KubeObject): boolean {
    return this.podsOf(service).some((deployment) =>
      this.gateways.some((gateway) => {
        const selector = asLabels(spec(gateway)['selector']);
        return Object.keys(selector).length > 0 && selects(selector, this.podLabels(deployment));
      }),
    );
  }

  /** Services whose pods include some a selector selects (in one namespace). */
  servicesSelecting(selector: Record<string, string>, namespace: string): KubeObject[] {
    return this.services.filter(
      (service) => this.namespaceOf(service) === namespace && this.podsOf(service).some((deployment) => selects(selector, this.podLabels(deployment))),
    );
  }

  /** Port numbers a Service serves (its ports and target ports). */
  servingPorts(service: KubeObject): Set<string> {
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
