// restaurant-app with istio.enabled: per-service traffic and security policy, canaries, the edge
// routes, sidecar vs ambient, and the guards, on Helm 3 and 4.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Service } from 'kubernetes-models/v1/Service';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { VirtualService } from '@kubernetes-models/istio/networking.istio.io/v1/VirtualService';
import { DestinationRule } from '@kubernetes-models/istio/networking.istio.io/v1/DestinationRule';
import { Sidecar } from '@kubernetes-models/istio/networking.istio.io/v1/Sidecar';
import { AuthorizationPolicy } from '@kubernetes-models/istio/security.istio.io/v1/AuthorizationPolicy';
import { PeerAuthentication } from '@kubernetes-models/istio/security.istio.io/v1/PeerAuthentication';
import { Gateway as K8sGateway } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/Gateway';
import { render } from '../helpers/helm.js';
import { describeRejectedValues } from '../helpers/rejected.js';
import { all, mustGet, countByKind, type KubeObject } from '../helpers/models.js';
import { assertStrict } from '../helpers/strict.js';
import { HELM_MAJORS } from '../helpers/tools.js';
import { ENVIRONMENTS, SERVICE_NAMES, appRender, source } from './fixtures.js';
import { PRODUCTION } from '../../values-schemas/platform/production.js';

const rendered: KubeObject[] = [];
afterAll(() => {
  // THEN no rendered object has a field its model does not know
  assertStrict(rendered);
});

const host = (name: string) => `${name}.restaurant.svc.cluster.local`;
const principal = (account: string, namespace = 'restaurant') => `cluster.local/ns/${namespace}/sa/${account}`;
const INGRESS = principal('istio-ingressgateway', 'istio-ingress');
/** Who may call whom, as the platform declares it (plus the ingress gateway at the edge). */
const CALLERS: Record<string, string[]> = {
  frontend: [INGRESS],
  'api-gateway': [INGRESS, principal('frontend')],
  'order-service': [principal('api-gateway')],
  'restaurant-service': [principal('api-gateway'), principal('order-service')],
  'menu-service': [principal('api-gateway'), principal('order-service')],
  'auth-service': [principal('api-gateway')],
  'notification-service': [principal('order-service')],
};
const CANARY = [
  'services.order-service.canary.v1.weight=90',
  'services.order-service.canary.v2.weight=10',
  'services.order-service.canary.v2.tag=1.1.0',
  'services.order-service.canary.v2.replicas=1',
];

describe.each(HELM_MAJORS)('restaurant-app Istio policy on Helm %i', (helm) => {
  describe.each(ENVIRONMENTS)('in %s (sidecar mode)', (environment) => {
    let objects: KubeObject[];
    beforeAll(async () => {
      // GIVEN the environment's overlay on a cluster with Istio, WHEN rendered
      objects = await render(appRender(helm, environment));
      rendered.push(...objects);
    });

    it('should render a VirtualService, DestinationRule and AuthorizationPolicy per service, plus the namespace objects', () => {
      const counts = countByKind(objects);
      expect(counts).toMatchObject({ VirtualService: SERVICE_NAMES.length + 1, DestinationRule: SERVICE_NAMES.length, PeerAuthentication: 1, Sidecar: 1 });
      expect(counts.AuthorizationPolicy).toBe(SERVICE_NAMES.length + (environment === 'dev' ? 0 : 1));
      expect(all(objects, AuthorizationPolicy).some((policy) => policy.metadata?.name === 'default-deny')).toBe(environment !== 'dev');
    });

    it.each(SERVICE_NAMES)('should give %s a timeout, retries within it, and no fault by default', (name) => {
      const vs = mustGet(objects, VirtualService, name);
      expect(vs.spec?.hosts).toEqual([host(name)]);
      expect(vs.spec?.http).toEqual([
        {
          name: 'default',
          route: [{ destination: { host: host(name) } }],
          timeout: '10s',
          retries: { attempts: 2, perTryTimeout: '4s', retryOn: '5xx,reset,connect-failure,refused-stream' },
        },
      ]);
    });

    it.each(SERVICE_NAMES)('should balance %s by least request, limit and eject, over Istio mTLS', (name) => {
      const rule = mustGet(objects, DestinationRule, name);
      expect(rule.spec?.host).toBe(host(name));
      expect(rule.spec?.trafficPolicy).toEqual({
        loadBalancer: { simple: 'LEAST_REQUEST' },
        connectionPool: {
          tcp: { maxConnections: 100, connectTimeout: '2s' },
          http: { http1MaxPendingRequests: 100, http2MaxRequests: 1000, maxRequestsPerConnection: 0 },
        },
        outlierDetection: { consecutive5xxErrors: 5, interval: '10s', baseEjectionTime: '30s', maxEjectionPercent: 50 },
        tls: { mode: 'ISTIO_MUTUAL' },
      });
      expect(rule.spec?.subsets).toEqual([{ name: 'v1', labels: { version: 'v1' } }]);
    });

    it.each(SERVICE_NAMES)('should let exactly the declared callers call %s, and the observability namespace scrape it', (name) => {
      const policy = mustGet(objects, AuthorizationPolicy, name);
      const servicePort = String(mustGet(objects, Service, name).spec!.ports![0]!.port === 80 ? 8080 : mustGet(objects, Service, name).spec!.ports![0]!.port);
      expect(policy.spec).toEqual({
        selector: { matchLabels: { app: name, 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': 'restaurant' } },
        action: 'ALLOW',
        rules: [
          { from: [{ source: { principals: [...CALLERS[name]!].sort() } }], to: [{ operation: { ports: [servicePort] } }] },
          { from: [{ source: { namespaces: ['observability'] } }], to: [{ operation: { ports: ['9090'] } }] },
        ],
      });
    });

    it('should set the namespace mTLS mode: PERMISSIVE in dev, STRICT elsewhere', () => {
      expect(mustGet(objects, PeerAuthentication, 'default').spec).toEqual({ mtls: { mode: environment === 'dev' ? 'PERMISSIVE' : 'STRICT' } });
    });

    it('should scope egress to the namespace, the control plane, observability and the stores', () => {
      expect(mustGet(objects, Sidecar, 'default').spec).toEqual({
        egress: [{ hosts: ['./*', 'istio-system/*', 'observability/*', 'restaurant-data/*'] }],
        outboundTrafficPolicy: { mode: environment === 'dev' ? 'ALLOW_ANY' : 'REGISTRY_ONLY' },
      });
    });

    it('should route the domain from the ingress Gateway: /api/v1/ → api-gateway, / → frontend', () => {
      const edge = mustGet(objects, VirtualService, 'edge');
      expect(edge.spec?.hosts).toEqual([environment === 'staging' ? 'staging.restaurant.example.com' : 'restaurant.example.com']);
      expect(edge.spec?.gateways).toEqual(['istio-ingress/ingress-gateway']);
      expect(edge.spec?.http?.map((route) => [route.name, route.match?.[0]?.uri?.prefix, route.route?.[0]?.destination?.host])).toEqual([
        ['api', '/api/v1/', host('api-gateway')],
        ['web', '/', host('frontend')],
      ]);
      expect(edge.spec?.http?.[0]).toMatchObject({
        timeout: '30s',
        retries: { attempts: 3, perTryTimeout: '10s', retryOn: '5xx,reset,connect-failure,refused-stream' },
      });
    });

    it.each(SERVICE_NAMES)('should inject %s with a sized proxy', (name) => {
      const pod = mustGet(objects, Deployment, name).spec!.template.metadata!;
      expect(pod.labels?.['sidecar.istio.io/inject']).toBe('true');
      const memoryLimit = environment === 'dev' ? '256Mi' : '512Mi';
      expect(pod.annotations).toMatchObject({ 'sidecar.istio.io/proxyMemoryLimit': memoryLimit });
    });
  });

  describe('ambient mode (prod)', () => {
    let objects: KubeObject[];
    beforeAll(async () => {
      objects = await render(appRender(helm, 'prod', { set: ['istio.mesh.mode=ambient'] }));
      rendered.push(...objects);
    });

    it('should emit the waypoint and enrol the services with it, edge services for ingress too', () => {
      const waypoint = mustGet(objects, K8sGateway, 'waypoint');
      expect(waypoint.metadata?.labels?.['istio.io/waypoint-for']).toBe('service');
      expect(waypoint.spec).toEqual({ gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] });
      for (const name of SERVICE_NAMES) {
        const labels = mustGet(objects, Service, name).metadata?.labels;
        expect(labels?.['istio.io/use-waypoint']).toBe('waypoint');
        expect(labels?.['istio.io/ingress-use-waypoint']).toBe(['frontend', 'api-gateway'].includes(name) ? 'true' : undefined);
      }
    });

    it('should put pods in the ambient data plane with no sidecar settings', () => {
      expect(all(objects, Sidecar)).toEqual([]);
      for (const deployment of all(objects, Deployment)) {
        const pod = deployment.spec!.template.metadata!;
        expect(pod.labels?.['istio.io/dataplane-mode']).toBe('ambient');
        expect(pod.labels?.['sidecar.istio.io/inject']).toBeUndefined();
        expect(Object.keys(pod.annotations ?? {}).filter((key) => key.startsWith('sidecar.istio.io/'))).toEqual([]);
      }
      for (const rule of all(objects, DestinationRule)) expect(rule.spec?.trafficPolicy?.tls).toBeUndefined();
    });

    it.each(SERVICE_NAMES)('should attach the policy of %s to its Service, for the waypoint to enforce', (name) => {
      expect(mustGet(objects, AuthorizationPolicy, name).spec).toEqual({
        targetRefs: [{ group: '', kind: 'Service', name }],
        action: 'ALLOW',
        rules: [{ from: [{ source: { principals: [...CALLERS[name]!].sort() } }] }],
      });
    });

    it('should let the waypoint deliver and Prometheus scrape through ztunnel despite the default-deny', () => {
      expect(mustGet(objects, AuthorizationPolicy, 'allow-waypoint').spec).toEqual({
        action: 'ALLOW',
        rules: [
          { from: [{ source: { principals: [principal('waypoint')] } }] },
          // Prometheus is outside the mesh: its plaintext scrapes carry no identity, so the rule names only the port
          { to: [{ operation: { ports: [String(source.defaults.serviceDefaults.metrics.port)] } }] },
        ],
      });
      expect(mustGet(objects, AuthorizationPolicy, 'default-deny').spec ?? {}).toEqual({});
    });

    it.each(SERVICE_NAMES)('should accept plaintext on the metrics port of %s only, STRICT everywhere else', (name) => {
      // GIVEN STRICT mTLS in prod and Prometheus outside the mesh (ztunnel has no sidecar metrics merging)
      const metricsPort = String(source.defaults.serviceDefaults.metrics.port);
      expect(mustGet(objects, PeerAuthentication, name).spec).toEqual({
        selector: { matchLabels: { app: name, 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': 'restaurant' } },
        mtls: { mode: 'STRICT' },
        portLevelMtls: { [metricsPort]: { mode: 'PERMISSIVE' } },
      });
      // AND the metrics port serves no traffic of the Service
      const served = mustGet(objects, Service, name).spec!.ports!.map((port) => String(port.targetPort));
      expect(served).not.toContain(metricsPort);
      expect(mustGet(objects, PeerAuthentication, 'default').spec).toEqual({ mtls: { mode: 'STRICT' } });
    });
  });

  describe('canary (order-service 90/10 in staging)', () => {
    let objects: KubeObject[];
    beforeAll(async () => {
      objects = await render(
        appRender(helm, 'staging', {
          set: [...CANARY, 'services.order-service.traffic.fault.enabled=true', 'services.order-service.traffic.fault.abort.percentage=5'],
        }),
      );
      rendered.push(...objects);
    });

    it('should keep the stable Deployment and add one per other version, labelled with it', async () => {
      const names = all(objects, Deployment).map((deployment) => deployment.metadata?.name);
      expect(names.filter((name) => name?.startsWith('order-service'))).toEqual(['order-service', 'order-service-v2']);
      // The stable Deployment is the one that ran before the canary: same name, same selector, so
      // starting the rollout replaces none of its pods.
      const before = mustGet(await render(appRender(helm, 'staging')), Deployment, 'order-service');
      const v1 = mustGet(objects, Deployment, 'order-service');
      expect(v1.spec?.selector).toEqual(before.spec?.selector);
      const v2 = mustGet(objects, Deployment, 'order-service-v2');
      expect([v1.spec?.selector.matchLabels?.version, v2.spec?.template.metadata?.labels?.version]).toEqual(['v1', 'v2']);
      expect([v1.spec?.replicas, v2.spec?.replicas]).toEqual([2, 1]);
      expect(v1.spec?.template.spec?.containers[0]?.image).toBe('registry.example.com/restaurant/order-service:1.0.0');
      expect(v2.spec?.template.spec?.containers[0]?.image).toBe('registry.example.com/restaurant/order-service:1.1.0');
      // AND the one Service selects both versions
      expect(mustGet(objects, Service, 'order-service').spec?.selector?.version).toBeUndefined();
    });

    it('should split traffic 90/10 over per-version subsets and inject the staging fault', () => {
      expect(mustGet(objects, DestinationRule, 'order-service').spec?.subsets).toEqual([
        { name: 'v1', labels: { version: 'v1' } },
        { name: 'v2', labels: { version: 'v2' } },
      ]);
      const route = mustGet(objects, VirtualService, 'order-service').spec!.http![0]!;
      expect(route.route).toEqual([
        { destination: { host: host('order-service'), subset: 'v1' }, weight: 90 },
        { destination: { host: host('order-service'), subset: 'v2' }, weight: 10 },
      ]);
      expect(route.fault).toEqual({ abort: { percentage: { value: 5 }, httpStatus: 503 } });
    });

    it('should autoscale each version separately in prod', async () => {
      const prod = await render(appRender(helm, 'prod', { set: CANARY }));
      rendered.push(...prod);
      expect(
        all(prod, HorizontalPodAutoscaler)
          .map((hpa) => hpa.metadata?.name)
          .filter((name) => name?.startsWith('order')),
      ).toEqual(['order-service', 'order-service-v2']);
    });
  });

  describe('switched off', () => {
    it('should render no Istio object and no mesh label, and need no Istio API', async () => {
      const objects = await render({ ...appRender(helm, 'dev', { set: ['istio.enabled=false'] }), apiVersions: [] });
      rendered.push(...objects);
      expect(objects.filter((object) => object.apiVersion.includes('istio.io') || object.apiVersion.startsWith('gateway.'))).toEqual([]);
      expect(mustGet(objects, Deployment, 'frontend').spec?.template.metadata?.labels?.['sidecar.istio.io/inject']).toBeUndefined();
    });
  });

  describe('the capability check', () => {
    it('should render without the Istio APIs when told to skip the check', async () => {
      // GIVEN a cluster without the Istio APIs (the refusals are in the table below) and skipCapabilityCheck, WHEN rendered
      const objects = await render({ ...appRender(helm, 'prod', { set: ['global.skipCapabilityCheck=true'] }), apiVersions: [] });
      expect(all(objects, VirtualService)).toHaveLength(SERVICE_NAMES.length + 1);
    });
  });
});

// GIVEN the prod overlay with one mistake in the mesh settings each
describeRejectedValues('restaurant-app refuses bad Istio values', (helm) => appRender(helm, 'prod'), [
  // Template guards
  {
    name: 'canary weights 90/20',
    set: [...CANARY.slice(0, 1), 'services.order-service.canary.v2.weight=20'],
    path: 'services.order-service.canary',
    message: 'weights must sum to 100, got 110',
  },
  {
    name: 'a canary without the stable version',
    set: ['services.order-service.canary.v2.weight=50', 'services.order-service.canary.v3.weight=50'],
    path: 'services.order-service.canary',
    message: 'must include the stable version v1 (services.order-service.version)',
  },
  {
    name: 'perTryTimeout × attempts above the timeout',
    set: ['services.menu-service.traffic.retries.attempts=3'],
    path: 'services.menu-service.traffic.retries.attempts',
    message: 'exceeds serviceDefaults.traffic.timeout (10s)',
  },
  {
    name: 'an edge retry budget above its timeout',
    set: ['istio.edge.routes.api.retries.perTryTimeout=11s'],
    path: 'istio.edge.routes.api.retries.attempts',
    message: 'istio.edge.routes.api.retries.perTryTimeout (11s) exceeds istio.edge.routes.api.timeout (30s)',
  },
  {
    name: 'a call to a service that does not exist',
    set: ['services.frontend.calls.payment-service=true'],
    path: 'services.frontend.calls.payment-service',
    message: 'is not a service of this chart',
  },
  {
    name: 'an edge route to a service that does not exist',
    set: ['istio.edge.routes.web.service=web-ui'],
    path: 'istio.edge.routes.web.service',
    message: 'is not an enabled service',
  },
  {
    name: 'PERMISSIVE mTLS in prod',
    set: ['istio.peerAuthentication.mode=PERMISSIVE'],
    path: 'istio.peerAuthentication.mode',
    message: 'prod requires STRICT',
  },
  {
    name: 'no default-deny in prod',
    set: ['istio.authorization.defaultDeny=false'],
    path: 'istio.authorization.defaultDeny',
    message: 'prod requires a namespace default-deny',
  },
  {
    name: 'a sidecar proxy memory limit below the production floor in prod',
    set: [`istio.sidecar.resources.limits.memory=${Number.parseInt(PRODUCTION.proxyMemoryLimitMin, 10) - 1}Mi`, 'istio.sidecar.resources.requests.memory=64Mi'],
    path: 'istio.sidecar.resources.limits.memory',
    message: `prod requires a proxy memory limit of at least ${PRODUCTION.proxyMemoryLimitMin}`,
  },
  {
    name: 'fault injection in prod',
    set: ['services.order-service.traffic.fault.enabled=true'],
    path: 'services.order-service.traffic.fault.enabled',
    message: 'never prod',
  },
  {
    name: 'an ambient metrics port that also serves traffic',
    set: ['istio.mesh.mode=ambient', `services.menu-service.metrics.port=${source.defaults.services['menu-service']!.ports.http!.targetPort}`],
    path: 'services.menu-service.metrics.port',
    message: 'must not carry service traffic',
  },
  {
    name: 'a cluster without the Istio APIs',
    render: { apiVersions: [] },
    path: 'istio.enabled',
    message: 'istio.enabled is true but the cluster does not serve networking.istio.io/v1, security.istio.io/v1: install Istio 1.22 or later first',
  },
  {
    name: 'ambient mode on a cluster without the Gateway API',
    set: ['istio.mesh.mode=ambient'],
    render: { apiVersions: [] },
    path: 'istio.enabled',
    message: 'gateway.networking.k8s.io/v1',
  },
  // The schema
  { name: 'an unknown mesh mode', set: ['istio.mesh.mode=mesh'], path: 'istio.mesh.mode' },
  { name: 'a canary version that is not a version label', set: ['services.order-service.canary.green.weight=100'], path: 'services.order-service.canary' },
  { name: 'a canary weight above 100', set: ['services.order-service.canary.v1.weight=101'], path: 'services.order-service.canary.v1.weight' },
  { name: 'a retry condition list with a space', set: ['serviceDefaults.traffic.retries.retryOn=5xx reset'], path: 'serviceDefaults.traffic.retries.retryOn' },
  { name: 'an unknown load balancer', set: ['services.menu-service.traffic.loadBalancer=LEAST_CONN'], path: 'services.menu-service.traffic.loadBalancer' },
  { name: 'a call graph edge that is not a boolean', set: ['services.frontend.calls.api-gateway=yes'], path: 'services.frontend.calls.api-gateway' },
]);
