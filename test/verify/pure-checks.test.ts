// The checks verify adds, on objects broken by hand: each can fire, and is silent on the sound
// version of the same objects. The crd check is reached here because no values of the charts can
// produce an invalid custom resource (their schemas and guards refuse first).
import { describe, it, expect } from 'vitest';
import { repoRoot } from '../../generator/paths.mjs';
import { checkOperations } from '../../generator/checks/operations.js';
import { checkReferences } from '../../generator/checks/references.js';
import { checkModels } from '../../generator/checks/models.js';
import { checkMesh } from '../../generator/checks/mesh/index.js';
import type { KubeObject } from '../../generator/checks/object.js';
import { checkPlatform } from '../../generator/verify/index.js';
import { realUmbrella } from '../helpers/upstream.js';

const deployment = (
  name: string,
  replicas: number,
  labels: Record<string, string> = { app: name },
  requests: Record<string, string> = { cpu: '100m' },
): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'shop' },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels }, spec: { containers: [{ name, image: 'shop:1', resources: { requests } }] } },
  },
});
const budget = (name: string, rule: Record<string, unknown>): KubeObject => ({
  apiVersion: 'policy/v1',
  kind: 'PodDisruptionBudget',
  metadata: { name, namespace: 'shop' },
  spec: { selector: { matchLabels: { app: name } }, ...rule },
});
const autoscaler = (name: string, min: number, resource = 'cpu'): KubeObject => ({
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name, namespace: 'shop' },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
    minReplicas: min,
    maxReplicas: 5,
    metrics: [{ type: 'Resource', resource: { name: resource, target: { type: 'Utilization', averageUtilization: 70 } } }],
  },
});
const service = (name: string, namespace: string, ports: number[]): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace },
  spec: { selector: { app: name }, ports: ports.map((port) => ({ port })) },
});

describe('operations', () => {
  it('should pass a budget of one unavailable pod, and an autoscaler whose target requests CPU', () => {
    expect(checkOperations([deployment('cart', 1), budget('cart', { maxUnavailable: 1 }), autoscaler('cart', 2)])).toEqual([]);
  });

  it.each([
    [
      'minAvailable equal to the autoscaler minimum',
      [deployment('cart', 1), autoscaler('cart', 2), budget('cart', { minAvailable: 2 })],
      'allows 0 eviction(s)',
    ],
    ['maxUnavailable 0%', [deployment('cart', 3), budget('cart', { maxUnavailable: '0%' })], 'allows 0 eviction(s)'],
    ['minAvailable 100%', [deployment('cart', 3), budget('cart', { minAvailable: '100%' })], 'allows 0 eviction(s)'],
    ['a budget selecting nothing', [deployment('cart', 3), budget('basket', { maxUnavailable: 1 })], 'selects no pod'],
    ['an autoscaler on memory without memory requests', [deployment('cart', 1), autoscaler('cart', 2, 'memory')], 'requests no memory'],
    ['an autoscaler on a workload not rendered', [autoscaler('cart', 2)], 'which is not rendered'],
  ])('should report %s', (_title, objects, message) => {
    const findings = checkOperations(objects);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.message).toContain(message);
  });
});

describe('references', () => {
  const config = (url: string): KubeObject => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'app', namespace: 'shop' },
    data: { 'app.yaml': `upstream: ${url}\n` },
  });

  it('should resolve a URL to a rendered Service and port, in a config file inside a ConfigMap', () => {
    const report = checkReferences([service('cart', 'shop', [8080]), config('http://cart.shop.svc.cluster.local:8080/api')]);
    expect(report.findings).toEqual([]);
    expect(report.resolved).toBe(1);
  });

  it.each([
    ['a Service that is not rendered', 'http://basket.shop.svc:8080', 'no Service shop/basket is rendered'],
    ['a port the Service does not serve', 'http://cart.shop.svc.cluster.local:9090', 'port 9090 of Service shop/cart, which serves 8080'],
  ])('should report %s', (_title, url, message) => {
    const report = checkReferences([service('cart', 'shop', [8080]), config(url)]);
    expect(report.findings.map((finding) => finding.message)).toEqual([
      `a URL names ${message.startsWith('port') ? message : `${url.split('//')[1]!.split(':')[0]}, but ${message}`}`,
    ]);
  });

  it('should leave a host in a namespace no object lives in as unresolved, not passed', () => {
    const report = checkReferences([service('cart', 'shop', [8080]), config('postgres://db.data.svc.cluster.local:5432')]);
    expect(report.findings).toEqual([]);
    expect([...report.outside.keys()]).toEqual(['db.data.svc']);
  });

  it('should read the cluster domain it is given', () => {
    const report = checkReferences([service('cart', 'shop', [8080]), config('http://cart.shop.svc.corp.internal:9090')], { clusterDomain: 'corp.internal' });
    expect(report.findings).toHaveLength(1);
  });
});

describe('models', () => {
  it('should refuse a built-in object the Kubernetes schema refuses, and pass the sound one', async () => {
    const broken = { ...deployment('cart', 1), spec: { ...(deployment('cart', 1).spec as object), replicas: 'one' } };
    expect((await checkModels([deployment('cart', 1)])).findings).toEqual([]);
    expect((await checkModels([broken])).findings).toEqual([{ object: 'Deployment shop/cart', message: expect.stringContaining('replicas must be integer') }]);
  });

  it('should report a built-in kind Kubernetes does not serve', async () => {
    const findings = (await checkModels([{ apiVersion: 'apps/v1', kind: 'DeploymentSet', metadata: { name: 'x' } }])).findings;
    expect(findings[0]!.message).toContain('no Kubernetes schema for apps/v1 DeploymentSet');
  });
});

describe('mesh enrolment', () => {
  it('should judge the call graph of a Service whose pods join the mesh, and not of one outside it', () => {
    const inMesh = deployment('cart', 1, { app: 'cart', 'sidecar.istio.io/inject': 'true' });
    const outside = deployment('cart', 1);
    const judged = (objects: KubeObject[]) => checkMesh([...objects, service('cart', 'shop', [8080])], { checks: ['call-graph'], calls: {} });
    expect(judged([inMesh]).map((finding) => finding.message)).toEqual([
      'no ALLOW AuthorizationPolicy applies: every caller is allowed, not just the declared ones',
    ]);
    expect(judged([outside])).toEqual([]);
    // AND a Namespace enrolled for injection brings its pods in
    const namespace: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'istio-injection': 'enabled' } } };
    expect(judged([outside, namespace])).toHaveLength(1);
  });
});

describe('crd, through verify', () => {
  it('should report a kind of a pinned group that no pinned CRD defines, not pass it as built-in', async () => {
    realUmbrella();
    const route: KubeObject = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRout', metadata: { name: 'cart', namespace: 'shop' }, spec: {} };
    const { findings } = await checkPlatform(repoRoot, 'dev', [route], {});
    expect(findings.filter((finding) => finding.check === 'crd' || finding.check === 'models').map((finding) => `${finding.check} ${finding.object}`)).toEqual([
      'crd HTTPRout shop/cart',
    ]);
  });

  it('should report a custom resource its pinned CRD refuses', async () => {
    realUmbrella(); // the pinned CRDs come from the verified upstream cache
    const route: KubeObject = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'cart', namespace: 'shop' },
      spec: { hosts: ['cart'], http: [{ route: [{ destination: { host: 'cart' }, wieght: 100 }] }] },
    };
    const { findings } = await checkPlatform(repoRoot, 'dev', [route], {});
    expect(findings.filter((finding) => finding.check === 'crd')).toEqual([
      { check: 'crd', object: 'VirtualService shop/cart', message: expect.stringMatching(/wieght.*unknown field|unknown field.*wieght/) },
    ]);
  });
});
