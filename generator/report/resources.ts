/**
 * What a rendered platform asks of a cluster, from its objects: per workload the pods at minimum
 * and at maximum scale (HPA bounds, else replicas; per node for DaemonSets) and each pod's CPU and
 * memory requests and limits, the injected proxy included (sidecar mode); what Istio runs beside
 * the render (istiod, per-node ztunnel and CNI agent, waypoints) sized by the `Istio` resource, else
 * by the pinned Istio charts; persistent volumes; totals per namespace and overall; a monthly cost
 * from a price table; and the mesh inventory. Pure: objects and facts in, a report out.
 */
import { parseQuantity } from '../../values-schemas/common/quantity.js';
import { asArray, asLabels, asObject, type KubeObject } from '../checks/object.js';
import { checkMesh } from '../checks/mesh/index.js';
import type { IstioDefaults, ResourceBlock } from './istio-defaults.js';

/** CPU in cores and memory in bytes, requested and limited. */
export interface Resources {
  readonly cpuRequest: number;
  readonly cpuLimit: number;
  readonly memoryRequest: number;
  readonly memoryLimit: number;
}

/** Where a workload comes from. */
export type WorkloadGroup = 'app' | 'mesh' | 'observability';

/** One workload of the report. */
export interface WorkloadRow {
  readonly namespace: string;
  readonly name: string;
  /** The rendered kind, or what Istio creates at run time (`istiod`, `ztunnel`, `istio-cni`, `waypoint`). */
  readonly kind: string;
  readonly group: WorkloadGroup;
  readonly podsMin: number;
  readonly podsMax: number;
  /** One pod, the injected proxy included. */
  readonly perPod: Resources;
  /** The injected proxy's part of {@link perPod} (sidecar mode), if any. */
  readonly proxy?: Resources;
  /** Persistent storage per pod (StatefulSet claim templates), in bytes. */
  readonly storagePerPod: number;
}

/** Sums over a set of workloads. */
export interface Totals {
  readonly podsMin: number;
  readonly podsMax: number;
  /** Resources at minimum scale. */
  readonly min: Resources;
  /** Resources at maximum scale. */
  readonly max: Resources;
  /** Persistent storage at minimum and at maximum scale, bytes (claims outlive scale-down: budget the maximum). */
  readonly storageMin: number;
  readonly storageMax: number;
}

/** The price table: per CPU core-hour, per GiB-hour of memory, per GiB-month of storage. */
export interface Prices {
  readonly currency: string;
  readonly cpuCoreHour: number;
  readonly memoryGibHour: number;
  readonly storageGibMonth: number;
}

/**
 * The default prices: a general-purpose cloud VM's on-demand price split into its CPU and memory
 * share, and block storage, rounded (USD, late 2026). Pass your own with `--prices`.
 */
export const DEFAULT_PRICES: Prices = { currency: 'USD', cpuCoreHour: 0.032, memoryGibHour: 0.0043, storageGibMonth: 0.1 };

/** Hours in the month a monthly cost is computed for (365 × 24 / 12). */
export const HOURS_PER_MONTH = 730;

/** The mesh inventory of one namespace. */
export interface NamespaceMesh {
  readonly namespace: string;
  readonly VirtualService: number;
  readonly DestinationRule: number;
  readonly PeerAuthentication: number;
  readonly AuthorizationPolicy: number;
  /** Whether its workloads accept only mTLS: a namespace-wide STRICT policy, or the mesh-wide one without a namespace override. */
  readonly strict: boolean;
}

/** The report. */
export interface PlatformReport {
  readonly environment: string;
  readonly nodes: number;
  readonly istioVersion: string;
  readonly prices: Prices;
  readonly workloads: readonly WorkloadRow[];
  readonly namespaces: ReadonlyArray<{ readonly namespace: string } & Totals>;
  readonly groups: ReadonlyArray<{ readonly group: WorkloadGroup } & Totals>;
  readonly totals: Totals;
  /** Standalone PersistentVolumeClaims (not from claim templates), bytes, by `namespace/name`. */
  readonly claims: Readonly<Record<string, number>>;
  readonly monthlyCost: { readonly min: number; readonly max: number };
  readonly mesh: { readonly namespaces: readonly NamespaceMesh[]; readonly servicesWithoutPolicy: readonly string[] };
}

const ZERO: Resources = { cpuRequest: 0, cpuLimit: 0, memoryRequest: 0, memoryLimit: 0 };
const spec = (object: KubeObject) => asObject((object as { spec?: unknown }).spec);
const quantity = (value: unknown) => parseQuantity(value) ?? 0;

/** A resources block as numbers (an absent limit counts as 0: nothing reserved). */
export function resourcesOf(block: ResourceBlock | undefined): Resources {
  const requests = asObject(block?.requests);
  const limits = asObject(block?.limits);
  return {
    cpuRequest: quantity(requests['cpu']),
    cpuLimit: quantity(limits['cpu']),
    memoryRequest: quantity(requests['memory']),
    memoryLimit: quantity(limits['memory']),
  };
}

const add = (a: Resources, b: Resources): Resources => ({
  cpuRequest: a.cpuRequest + b.cpuRequest,
  cpuLimit: a.cpuLimit + b.cpuLimit,
  memoryRequest: a.memoryRequest + b.memoryRequest,
  memoryLimit: a.memoryLimit + b.memoryLimit,
});
const times = (a: Resources, n: number): Resources => ({
  cpuRequest: a.cpuRequest * n,
  cpuLimit: a.cpuLimit * n,
  memoryRequest: a.memoryRequest * n,
  memoryLimit: a.memoryLimit * n,
});
const max = (a: Resources, b: Resources): Resources => ({
  cpuRequest: Math.max(a.cpuRequest, b.cpuRequest),
  cpuLimit: Math.max(a.cpuLimit, b.cpuLimit),
  memoryRequest: Math.max(a.memoryRequest, b.memoryRequest),
  memoryLimit: Math.max(a.memoryLimit, b.memoryLimit),
});

/** A pod's resources as the scheduler counts them: the containers' sum, or the largest init container if that is more. */
function podResources(pod: Record<string, unknown>): Resources {
  const of = (list: unknown) => asArray(list).map((container) => resourcesOf(asObject(container)['resources'] as ResourceBlock));
  const containers = of(pod['containers']).reduce(add, ZERO);
  return of(pod['initContainers']).reduce(max, containers);
}

/** The proxy Istio injects into a pod in sidecar mode: sized by the pod's annotations, else the mesh's default. */
function injectedProxy(annotations: Record<string, string>, meshDefault: ResourceBlock): Resources {
  const fallback = resourcesOf(meshDefault);
  const annotated = (key: string, otherwise: number) => (annotations[key] === undefined ? otherwise : quantity(annotations[key]));
  return {
    cpuRequest: annotated('sidecar.istio.io/proxyCPU', fallback.cpuRequest),
    cpuLimit: annotated('sidecar.istio.io/proxyCPULimit', fallback.cpuLimit),
    memoryRequest: annotated('sidecar.istio.io/proxyMemory', fallback.memoryRequest),
    memoryLimit: annotated('sidecar.istio.io/proxyMemoryLimit', fallback.memoryLimit),
  };
}

/** The inputs of {@link platformReport}. */
export interface ReportInputs {
  readonly environment: string;
  /** Every object of the platform's renders. */
  readonly objects: readonly KubeObject[];
  /** The group of each object (by identity): which chart's render it came from. */
  readonly groupOf: (object: KubeObject) => WorkloadGroup;
  readonly istio: IstioDefaults;
  /** Nodes the DaemonSets run on. */
  readonly nodes: number;
  readonly prices: Prices;
  /** The mesh root namespace. */
  readonly rootNamespace: string;
}

/** Computes the report; see the module comment. */
export function platformReport(inputs: ReportInputs): PlatformReport {
  const { objects, nodes } = inputs;
  const of = (kind: string) => objects.filter((object) => object.kind === kind);
  const control = objects.find((object) => object.apiVersion === 'sailoperator.io/v1' && object.kind === 'Istio');
  const values = asObject(spec(control ?? ({} as KubeObject))['values']);
  const meshProxy = (asObject(asObject(asObject(values['global'])['proxy'])['resources']) as ResourceBlock) ?? {};
  const proxyDefault: ResourceBlock = Object.keys(meshProxy).length > 0 ? meshProxy : inputs.istio.proxy;
  const ambient = control !== undefined && spec(control)['profile'] === 'ambient';
  const namespaceLabels = new Map(of('Namespace').map((namespace) => [namespace.metadata?.name ?? '', asLabels(namespace.metadata?.labels)]));
  const autoscalers = of('HorizontalPodAutoscaler');

  const rows: WorkloadRow[] = [];
  for (const workload of objects.filter((object) => ['Deployment', 'StatefulSet', 'DaemonSet'].includes(object.kind))) {
    const template = asObject(spec(workload)['template']);
    const pod = asObject(template['spec']);
    const podLabels = asLabels(asObject(template['metadata'])['labels']);
    const annotations = asLabels(asObject(template['metadata'])['annotations']);
    const namespace = workload.metadata?.namespace ?? '';
    const hasProxy = asArray(pod['containers']).some((container) => asObject(container)['name'] === 'istio-proxy');
    const namespaceInjects = namespaceLabels.get(namespace)?.['istio-injection'] === 'enabled';
    const injected =
      !ambient &&
      !hasProxy &&
      podLabels['sidecar.istio.io/inject'] !== 'false' &&
      (podLabels['sidecar.istio.io/inject'] === 'true' || 'istio.io/rev' in podLabels || namespaceInjects);
    const proxy = injected ? injectedProxy(annotations, proxyDefault) : undefined;
    const autoscaler = autoscalers.find((hpa) => {
      const target = asObject(spec(hpa)['scaleTargetRef']);
      return hpa.metadata?.namespace === namespace && target['kind'] === workload.kind && target['name'] === workload.metadata?.name;
    });
    const replicas = Number(spec(workload)['replicas'] ?? 1);
    const [podsMin, podsMax] =
      workload.kind === 'DaemonSet'
        ? [nodes, nodes]
        : autoscaler
          ? [Number(spec(autoscaler)['minReplicas'] ?? 1), Number(spec(autoscaler)['maxReplicas'])]
          : [replicas, replicas];
    const storagePerPod = asArray(spec(workload)['volumeClaimTemplates'])
      .map((claim) => quantity(asObject(asObject(asObject(spec(claim as KubeObject))['resources'])['requests'])['storage']))
      .reduce((sum, bytes) => sum + bytes, 0);
    rows.push({
      namespace,
      name: workload.metadata?.name ?? '',
      kind: workload.kind,
      group: inputs.groupOf(workload),
      podsMin,
      podsMax,
      perPod: proxy ? add(podResources(pod), proxy) : podResources(pod),
      ...(proxy ? { proxy } : {}),
      storagePerPod,
    });
  }

  if (control) {
    const pilot = asObject(values['pilot']);
    const namespace = String(spec(control)['namespace'] ?? inputs.rootNamespace);
    const autoscale = pilot['autoscaleEnabled'] === true;
    const pilotResources = Object.keys(asObject(pilot['resources'])).length > 0 ? (pilot['resources'] as ResourceBlock) : inputs.istio.istiod;
    rows.push({
      namespace,
      name: 'istiod',
      kind: 'istiod',
      group: 'mesh',
      podsMin: Number(autoscale ? (pilot['autoscaleMin'] ?? 1) : (pilot['replicaCount'] ?? 1)),
      podsMax: Number(autoscale ? (pilot['autoscaleMax'] ?? 5) : (pilot['replicaCount'] ?? 1)),
      perPod: resourcesOf(pilotResources),
      storagePerPod: 0,
    });
  }
  for (const cni of objects.filter((object) => object.apiVersion === 'sailoperator.io/v1' && object.kind === 'IstioCNI')) {
    rows.push({
      namespace: String(spec(cni)['namespace'] ?? 'istio-cni'),
      name: 'istio-cni-node',
      kind: 'istio-cni',
      group: 'mesh',
      podsMin: nodes,
      podsMax: nodes,
      perPod: resourcesOf(inputs.istio.cni),
      storagePerPod: 0,
    });
  }
  for (const ztunnel of objects.filter((object) => object.apiVersion === 'sailoperator.io/v1' && object.kind === 'ZTunnel')) {
    const own = asObject(asObject(asObject(spec(ztunnel)['values'])['ztunnel'])['resources']) as ResourceBlock;
    rows.push({
      namespace: String(spec(ztunnel)['namespace'] ?? 'ztunnel'),
      name: 'ztunnel',
      kind: 'ztunnel',
      group: 'mesh',
      podsMin: nodes,
      podsMax: nodes,
      perPod: resourcesOf(Object.keys(own).length > 0 ? own : inputs.istio.ztunnel),
      storagePerPod: 0,
    });
  }
  const waypointResources = asObject(asObject(asObject(values['global'])['waypoint'])['resources']) as ResourceBlock;
  for (const gateway of objects.filter(
    (object) =>
      object.apiVersion.startsWith('gateway.networking.k8s.io/') && object.kind === 'Gateway' && spec(object)['gatewayClassName'] === 'istio-waypoint',
  )) {
    rows.push({
      namespace: gateway.metadata?.namespace ?? '',
      name: gateway.metadata?.name ?? '',
      kind: 'waypoint',
      group: 'mesh',
      podsMin: 1,
      podsMax: 1,
      perPod: resourcesOf(Object.keys(waypointResources).length > 0 ? waypointResources : inputs.istio.waypoint),
      storagePerPod: 0,
    });
  }
  rows.sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));

  const standalone = of('PersistentVolumeClaim').map((claim) => ({
    namespace: claim.metadata?.namespace ?? '',
    key: `${claim.metadata?.namespace}/${claim.metadata?.name}`,
    group: inputs.groupOf(claim),
    bytes: quantity(asObject(asObject(spec(claim)['resources'])['requests'])['storage']),
  }));
  const claims = Object.fromEntries(standalone.map((claim) => [claim.key, claim.bytes]));
  const claimsOf = (keep: (claim: (typeof standalone)[number]) => boolean) => standalone.filter(keep).reduce((sum, claim) => sum + claim.bytes, 0);
  const total = (selected: readonly WorkloadRow[], standalone: number): Totals => ({
    podsMin: selected.reduce((sum, row) => sum + row.podsMin, 0),
    podsMax: selected.reduce((sum, row) => sum + row.podsMax, 0),
    min: selected.reduce((sum, row) => add(sum, times(row.perPod, row.podsMin)), ZERO),
    max: selected.reduce((sum, row) => add(sum, times(row.perPod, row.podsMax)), ZERO),
    storageMin: standalone + selected.reduce((sum, row) => sum + row.storagePerPod * row.podsMin, 0),
    storageMax: standalone + selected.reduce((sum, row) => sum + row.storagePerPod * row.podsMax, 0),
  });
  const namespaces = [...new Set([...rows.map((row) => row.namespace), ...standalone.map((claim) => claim.namespace)])].sort().map((namespace) => ({
    namespace,
    ...total(
      rows.filter((row) => row.namespace === namespace),
      claimsOf((claim) => claim.namespace === namespace),
    ),
  }));
  const groups = (['app', 'mesh', 'observability'] as const).map((group) => ({
    group,
    ...total(
      rows.filter((row) => row.group === group),
      claimsOf((claim) => claim.group === group),
    ),
  }));
  const totals = total(
    rows,
    claimsOf(() => true),
  );
  const monthly = (resources: Resources, storage: number) =>
    (resources.cpuRequest * inputs.prices.cpuCoreHour + (resources.memoryRequest / 2 ** 30) * inputs.prices.memoryGibHour) * HOURS_PER_MONTH +
    (storage / 2 ** 30) * inputs.prices.storageGibMonth;

  return {
    environment: inputs.environment,
    nodes,
    istioVersion: inputs.istio.version,
    prices: inputs.prices,
    workloads: rows,
    namespaces,
    groups,
    totals,
    claims,
    monthlyCost: { min: monthly(totals.min, totals.storageMax), max: monthly(totals.max, totals.storageMax) },
    mesh: meshInventory(objects, inputs.rootNamespace, rows),
  };
}

/** Istio objects per namespace, which namespaces are STRICT, and the mesh Services no ALLOW policy governs. */
function meshInventory(objects: readonly KubeObject[], rootNamespace: string, rows: readonly WorkloadRow[]): PlatformReport['mesh'] {
  const count = (namespace: string, kind: string) =>
    objects.filter((object) => object.apiVersion.endsWith('.istio.io/v1') && object.kind === kind && object.metadata?.namespace === namespace).length;
  const namespaceWide = (namespace: string) =>
    objects.find(
      (object) =>
        object.kind === 'PeerAuthentication' && object.metadata?.namespace === namespace && Object.keys(asObject(spec(object)['selector'])).length === 0,
    );
  const modeOf = (policy: KubeObject | undefined) => (policy ? asObject(spec(policy)['mtls'])['mode'] : undefined);
  const meshWide = modeOf(namespaceWide(rootNamespace));
  const namespaces = [
    ...new Set(
      objects
        .filter((object) => object.apiVersion.endsWith('.istio.io/v1') || rows.some((row) => row.namespace === object.metadata?.namespace && row.proxy))
        .map((object) => object.metadata?.namespace)
        .filter((namespace): namespace is string => Boolean(namespace)),
    ),
  ].sort();
  return {
    namespaces: namespaces.map((namespace) => {
      const own = modeOf(namespaceWide(namespace));
      return {
        namespace,
        VirtualService: count(namespace, 'VirtualService'),
        DestinationRule: count(namespace, 'DestinationRule'),
        PeerAuthentication: count(namespace, 'PeerAuthentication'),
        AuthorizationPolicy: count(namespace, 'AuthorizationPolicy'),
        strict: (own ?? meshWide) === 'STRICT',
      };
    }),
    servicesWithoutPolicy: checkMesh(objects, { checks: ['call-graph'], calls: {}, rootNamespace })
      .filter((finding) => finding.message.startsWith('no ALLOW AuthorizationPolicy applies'))
      .map((finding) => finding.object)
      .sort(),
  };
}
