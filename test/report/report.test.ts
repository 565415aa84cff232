// chartkit report: the totals equal sums computed here, independently, from the charts' real renders
// through the test harness (typed objects): the restaurant services with their injected proxies, the
// observability stack, the mesh's own pods; ambient mode trades the proxies for ztunnel and a
// waypoint; every format carries the same figures.
import { describe, it, expect, beforeAll } from 'vitest';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { DaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import '../helpers/sail.js';
import { repoRoot } from '../../generator/paths.mjs';
import { report, DEFAULT_PRICES, HOURS_PER_MONTH, type PlatformReport } from '../../generator/report/index.js';
import { formatCsv, formatMarkdown, formatSvg } from '../../generator/report/format.js';
import { istioDefaults } from '../../generator/report/istio-defaults.js';
import { parseQuantity } from '../../values-schemas/common/quantity.js';
import { ENVIRONMENTS, type Environment } from '../../values-schemas/common/global.js';
import { render } from '../helpers/helm.js';
import { all, type KubeObject } from '../helpers/models.js';
import { platformRender } from '../restaurant-platform/fixtures.js';
import { umbrellaRender } from '../observability/fixtures.js';
import { realUmbrella } from '../helpers/upstream.js';

const NODES = 4;
const q = (value: unknown) => (value === undefined ? 0 : parseQuantity(value)!);
type Pod = {
  containers: Array<{ resources?: { requests?: Record<string, unknown> } }>;
  initContainers?: Array<{ resources?: { requests?: Record<string, unknown> } }>;
};
/** Requests of one pod as the scheduler counts them (containers' sum, or the largest init container). */
const podRequests = (pod: Pod) => {
  const sum = (resource: string) => pod.containers.reduce((total, container) => total + q(container.resources?.requests?.[resource]), 0);
  const init = (resource: string) => Math.max(0, ...(pod.initContainers ?? []).map((container) => q(container.resources?.requests?.[resource])));
  return { cpu: Math.max(sum('cpu'), init('cpu')), memory: Math.max(sum('memory'), init('memory')) };
};

/** Sums over the workloads of a render: pods and requested CPU and memory at minimum and maximum scale. */
function sums(objects: readonly KubeObject[], withProxy: boolean) {
  const hpas = all(objects, HorizontalPodAutoscaler);
  const out = { podsMin: 0, podsMax: 0, cpuMin: 0, cpuMax: 0, memoryMin: 0, memoryMax: 0 };
  const count = (pods: [number, number], pod: Pod, annotations: Record<string, string>) => {
    const requests = podRequests(pod);
    const proxyCpu = withProxy ? q(annotations['sidecar.istio.io/proxyCPU']) : 0;
    const proxyMemory = withProxy ? q(annotations['sidecar.istio.io/proxyMemory']) : 0;
    out.podsMin += pods[0];
    out.podsMax += pods[1];
    out.cpuMin += pods[0] * (requests.cpu + proxyCpu);
    out.cpuMax += pods[1] * (requests.cpu + proxyCpu);
    out.memoryMin += pods[0] * (requests.memory + proxyMemory);
    out.memoryMax += pods[1] * (requests.memory + proxyMemory);
  };
  for (const workload of [...all(objects, Deployment), ...all(objects, StatefulSet)]) {
    const hpa = hpas.find(
      (candidate) => candidate.spec?.scaleTargetRef.name === workload.metadata?.name && candidate.spec?.scaleTargetRef.kind === workload.kind,
    );
    const replicas = workload.spec?.replicas ?? 1;
    count(
      hpa ? [hpa.spec!.minReplicas ?? 1, hpa.spec!.maxReplicas] : [replicas, replicas],
      workload.spec!.template.spec as Pod,
      workload.spec!.template.metadata?.annotations ?? {},
    );
  }
  for (const daemon of all(objects, DaemonSet)) count([NODES, NODES], daemon.spec!.template.spec as Pod, {});
  return out;
}

const reports = new Map<string, Promise<PlatformReport>>();
const reportOf = (environment: Environment, set: readonly string[] = []) => {
  const key = `${environment} ${set.join(' ')}`;
  if (!reports.has(key)) reports.set(key, report(repoRoot, { environment, files: [], set, helm: 4, nodes: NODES, prices: DEFAULT_PRICES }));
  return reports.get(key)!;
};

describe.each(ENVIRONMENTS)('chartkit report in %s', (environment) => {
  let result: PlatformReport;
  let platform: KubeObject[];
  let observability: KubeObject[];
  beforeAll(async () => {
    realUmbrella();
    [result, platform, observability] = await Promise.all([
      reportOf(environment),
      render(platformRender(4, environment)),
      render(umbrellaRender(4, environment)),
    ]);
  });

  const group = (name: string) => result.groups.find((candidate) => candidate.group === name)!;
  const figures = (name: string) => {
    const totals = group(name);
    return {
      podsMin: totals.podsMin,
      podsMax: totals.podsMax,
      cpuMin: totals.min.cpuRequest,
      cpuMax: totals.max.cpuRequest,
      memoryMin: totals.min.memoryRequest,
      memoryMax: totals.max.memoryRequest,
    };
  };
  const close = (actual: Record<string, number>, expected: Record<string, number>) => {
    for (const key of Object.keys(expected)) expect(actual[key], key).toBeCloseTo(expected[key]!, 6);
  };

  it('should count the restaurant services and their injected proxies as the render sizes them', () => {
    const app = platform.filter((object) => (object.metadata?.labels?.['helm.sh/chart'] ?? '').startsWith('restaurant-app-'));
    close(figures('app'), sums(app, true));
  });

  it('should count the observability stack from its real render, DaemonSets once per node', () => {
    close(figures('observability'), sums(observability, false));
    const claims = all(observability, PersistentVolumeClaim).reduce((total, claim) => total + q(claim.spec?.resources?.requests?.['storage']), 0);
    const templates = all(observability, StatefulSet).reduce(
      (total, set) =>
        total +
        (set.spec?.replicas ?? 1) * (set.spec?.volumeClaimTemplates ?? []).reduce((sum, claim) => sum + q(claim.spec?.resources?.requests?.['storage']), 0),
      0,
    );
    expect(group('observability').storageMax).toBe(claims + templates);
  });

  it("should count the mesh's own pods: the gateway as rendered, istiod and the CNI agent as the Istio resource and the pinned charts size them", () => {
    const istio = platform.find((object) => object.kind === 'Istio') as KubeObject & { spec: { values: { pilot: Record<string, any> } } };
    const pilot = istio.spec.values.pilot;
    const istiodPods: [number, number] = pilot.autoscaleEnabled ? [pilot.autoscaleMin, pilot.autoscaleMax] : [pilot.replicaCount, pilot.replicaCount];
    const gateway = sums(
      platform.filter((object) => (object.metadata?.labels?.['helm.sh/chart'] ?? '').startsWith('istio-mesh-')),
      false,
    );
    const cni = istioDefaults(repoRoot).cni;
    const expected = {
      podsMin: gateway.podsMin + istiodPods[0] + NODES,
      podsMax: gateway.podsMax + istiodPods[1] + NODES,
      cpuMin: gateway.cpuMin + istiodPods[0] * q(pilot.resources.requests.cpu) + NODES * q(cni.requests?.['cpu']),
      memoryMax: gateway.memoryMax + istiodPods[1] * q(pilot.resources.requests.memory) + NODES * q(cni.requests?.['memory']),
    };
    close(figures('mesh'), expected);
  });

  it('should total the parts, and price the requests', () => {
    const parts = result.groups;
    expect(result.totals.podsMax).toBe(parts.reduce((total, part) => total + part.podsMax, 0));
    expect(result.totals.max.cpuRequest).toBeCloseTo(
      parts.reduce((total, part) => total + part.max.cpuRequest, 0),
      9,
    );
    const expected =
      (result.totals.min.cpuRequest * DEFAULT_PRICES.cpuCoreHour + (result.totals.min.memoryRequest / 2 ** 30) * DEFAULT_PRICES.memoryGibHour) *
        HOURS_PER_MONTH +
      (result.totals.storageMax / 2 ** 30) * DEFAULT_PRICES.storageGibMonth;
    expect(result.monthlyCost.min).toBeCloseTo(expected, 9);
    // (dev does not autoscale: its maximum is its minimum)
    expect(result.monthlyCost.max).toBeGreaterThanOrEqual(result.monthlyCost.min);
    if (environment !== 'dev') expect(result.monthlyCost.max).toBeGreaterThan(result.monthlyCost.min);
  });

  it('should print the same workloads in CSV and SVG, and the totals in Markdown', () => {
    const csv = formatCsv(result).split('\n');
    expect(csv).toHaveLength(result.workloads.length + 1);
    const cpu = csv.slice(1).reduce((total, line) => {
      const cells = line.split(',');
      return total + Number(cells[4]) * Number(cells[6]);
    }, 0);
    expect(cpu).toBeCloseTo(result.totals.min.cpuRequest, 9);
    const svg = formatSvg(result);
    // two bars (minimum, maximum) per workload in each of the two panels, plus the background
    expect(svg.match(/<rect /g)).toHaveLength(4 * result.workloads.length + 1);
    expect(openTags(svg)).toEqual([]);
    expect(svg).not.toMatch(/<script|href=|@import|url\(/);
    expect(formatMarkdown(result)).toContain(`| **total** | ${result.totals.podsMin}–${result.totals.podsMax} |`);
  });
});

describe('chartkit report in ambient mode', () => {
  it('should count ztunnel per node and a waypoint instead of the proxies', async () => {
    const [sidecar, ambient] = await Promise.all([reportOf('prod'), reportOf('prod', ['global.mesh.mode=ambient'])]);
    expect(sidecar.workloads.filter((row) => row.proxy).length).toBeGreaterThan(0);
    expect(ambient.workloads.filter((row) => row.proxy)).toEqual([]);
    const ztunnel = ambient.workloads.find((row) => row.kind === 'ztunnel')!;
    expect([ztunnel.podsMin, ztunnel.perPod.memoryRequest]).toEqual([NODES, q(istioDefaults(repoRoot).ztunnel.requests?.['memory'])]);
    expect(ambient.workloads.filter((row) => row.kind === 'waypoint').map((row) => `${row.namespace}/${row.name}`)).toEqual(['restaurant/waypoint']);
    expect(sidecar.workloads.some((row) => row.kind === 'ztunnel')).toBe(false);
  });

  it('should list the mesh inventory: policies per namespace, STRICT namespaces, no Service without a policy', async () => {
    const { mesh } = await reportOf('prod');
    const restaurant = mesh.namespaces.find((namespace) => namespace.namespace === 'restaurant')!;
    expect(restaurant.strict).toBe(true);
    expect(restaurant.AuthorizationPolicy).toBeGreaterThan(0);
    expect(mesh.servicesWithoutPolicy).toEqual([]);
    const dev = await reportOf('dev');
    expect(dev.mesh.namespaces.find((namespace) => namespace.namespace === 'restaurant')!.strict).toBe(false);
  });
});

/** Tags opened and never closed (or closed out of order) in an XML text; empty when balanced. */
function openTags(xml: string): string[] {
  const stack: string[] = [];
  for (const [, closing, name, selfClosing] of xml.matchAll(/<(\/?)([a-zA-Z]+)[^>]*?(\/?)>/g)) {
    if (selfClosing) continue;
    if (closing) {
      if (stack.pop() !== name) return [`</${name}> out of order`];
    } else stack.push(name!);
  }
  return stack;
}
