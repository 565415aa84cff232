// Bad values are rejected, by the schema or by a template guard, on both Helm versions, with the
// values path in the message; good values change the rendered objects as documented.
import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Secret } from 'kubernetes-models/v1/Secret';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Service } from 'kubernetes-models/v1/Service';
import { render } from '../helpers/helm.js';
import { describeRejectedValues, type RejectedValues } from '../helpers/rejected.js';
import { all, mustGet } from '../helpers/models.js';
import { HELM_MAJORS } from '../helpers/tools.js';
import { appRender, source, valuesOf } from './fixtures.js';

const frontendPort = source.defaults.services.frontend!.ports.http!;

const badValues: readonly RejectedValues[] = [
  { name: 'a string where an integer belongs', set: ['services.order-service.replicas=two'], path: 'services.order-service.replicas' },
  { name: 'an unknown key at the root', set: ['replicaCount=3'], path: '(root)', message: 'replicaCount' },
  { name: 'an unknown key nested in a service', set: ['services.frontend.resources.limits.gpu=1'], path: 'services.frontend.resources.limits', message: 'gpu' },
  { name: 'an unknown key in serviceDefaults', set: ['serviceDefaults.autoscaling.targetCPU=50'], path: 'serviceDefaults.autoscaling', message: 'targetCPU' },
  { name: 'a value outside an enum', set: ['global.environment=production'], path: 'global.environment' },
  { name: '500mb as a memory quantity', set: ['services.frontend.resources.limits.memory=500mb'], path: 'services.frontend.resources.limits.memory' },
  { name: 'a CPU quantity with a unit typo', set: ['serviceDefaults.resources.requests.cpu=100mc'], path: 'serviceDefaults.resources.requests.cpu' },
  { name: 'negative replicas', set: ['services.menu-service.replicas=-1'], path: 'services.menu-service.replicas' },
  { name: 'an image tag with a colon', set: ['services.frontend.image.tag=1.0:rc'], path: 'services.frontend.image.tag' },
  { name: 'an image digest that is not sha256', set: ['services.auth-service.image.digest=md5:abc'], path: 'services.auth-service.image.digest' },
  { name: 'a port out of range', set: ['services.frontend.ports.http.port=70000'], path: 'services.frontend.ports.http.port' },
  {
    name: 'a port name without a protocol prefix',
    set: ['services.frontend.ports.web.port=81', 'services.frontend.ports.web.targetPort=8081'],
    path: 'services.frontend.ports',
    message: 'web',
  },
  { name: 'an empty service name', values: [{ services: { '': { ports: { http: { port: 80, targetPort: 8080 } } } } }], path: 'services' },
  {
    name: 'a service name that is not a DNS label',
    values: [{ services: { Order_Service: { ports: { http: { port: 80, targetPort: 8080 } } } } }],
    path: 'services',
    message: 'Order_Service',
  },
  { name: 'a new service without ports', set: ['services.review-service.replicas=1'], path: 'services.review-service', message: 'ports' },
  {
    name: 'a probe path that is not absolute',
    set: ['services.menu-service.probes.readiness.path=ready'],
    path: 'services.menu-service.probes.readiness.path',
  },
  { name: 'a duration without a unit', set: ['services.order-service.traffic.timeout=10'], path: 'services.order-service.traffic.timeout' },
  { name: 'a duration in words', set: ['serviceDefaults.traffic.retries.perTryTimeout=two seconds'], path: 'serviceDefaults.traffic.retries.perTryTimeout' },
  { name: 'a boolean given as a word', set: ['serviceDefaults.autoscaling.enabled=maybe'], path: 'serviceDefaults.autoscaling.enabled' },
  { name: 'a backing store host with a scheme', set: ['backingStores.redis.host=redis://cache'], path: 'backingStores.redis.host' },
  {
    name: 'a service using an undeclared backing store (template guard)',
    set: ['services.menu-service.stores.mongodb=true'],
    path: 'services.menu-service.stores.mongodb',
    message: 'backingStores',
  },
  {
    name: 'an HPA whose minimum exceeds its maximum (template guard)',
    set: ['services.order-service.autoscaling.enabled=true', 'services.order-service.autoscaling.minReplicas=5', 'serviceDefaults.autoscaling.maxReplicas=3'],
    path: 'services.order-service.autoscaling.minReplicas',
    message: 'serviceDefaults.autoscaling.maxReplicas',
  },
  {
    name: 'a PodDisruptionBudget that would block every drain (template guard)',
    set: ['services.api-gateway.podDisruptionBudget.enabled=true', 'services.api-gateway.podDisruptionBudget.maxUnavailable=0'],
    path: 'services.api-gateway.podDisruptionBudget.maxUnavailable',
    message: 'drain',
  },
  {
    name: 'a PodDisruptionBudget over zero replicas (template guard)',
    set: ['serviceDefaults.podDisruptionBudget.enabled=true', 'services.notification-service.replicas=0'],
    path: 'serviceDefaults.podDisruptionBudget.enabled',
    message: 'services.notification-service.replicas',
  },
  // Values the API server would refuse, or that would change meaning on the way (issue: fail closed).
  {
    name: 'a service name over 63 characters',
    values: [{ services: { [`s${'a'.repeat(63)}`]: { ports: { http: { port: 80, targetPort: 8080 } } } } }],
    path: 'services',
    message: `s${'a'.repeat(63)}`,
  },
  {
    name: 'a service name starting with a digit (a Service name is a DNS-1035 label)',
    values: [{ services: { '1st-service': { ports: { http: { port: 80, targetPort: 8080 } } } } }],
    path: 'services',
    message: '1st-service',
  },
  { name: 'a label value with a space', set: ['commonLabels.team=platform team'], path: 'commonLabels.team' },
  { name: 'a label value over 63 characters', set: [`services.frontend.podLabels.team=${'t'.repeat(64)}`], path: 'services.frontend.podLabels.team' },
  { name: 'a node selector value with a slash', set: ['serviceDefaults.nodeSelector.pool=a/b'], path: 'serviceDefaults.nodeSelector.pool' },
  { name: 'a domain over 253 characters', set: [`global.domain=${Array.from({ length: 5 }, () => 'd'.repeat(60)).join('.')}`], path: 'global.domain' },
  { name: 'a domain label over 63 characters', set: [`global.domain=${'d'.repeat(64)}.example.com`], path: 'global.domain' },
  { name: 'a gateway namespace over 63 characters', set: [`istio.gateway.namespace=${'n'.repeat(64)}`], path: 'istio.gateway.namespace' },
  { name: 'a canary version over 63 characters', set: [`services.frontend.version=v1${'a'.repeat(62)}`], path: 'services.frontend.version' },
  {
    name: 'a port name over 15 characters (IANA service name)',
    set: ['services.frontend.ports.http-abcdefghijk.port=81', 'services.frontend.ports.http-abcdefghijk.targetPort=8081'],
    path: 'services.frontend.ports',
    message: 'http-abcdefghijk',
  },
  {
    name: 'a port name with a double hyphen (template guard)',
    set: ['services.frontend.ports.http-a--b.port=81', 'services.frontend.ports.http-a--b.targetPort=8081'],
    path: 'services.frontend.ports.http-a--b',
    message: '--',
  },
  {
    name: 'two ports of one service with the same number (template guard)',
    set: [`services.frontend.ports.http-admin.port=${frontendPort.port}`, 'services.frontend.ports.http-admin.targetPort=9901'],
    path: 'services.frontend.ports.http-admin.port',
    message: 'services.frontend.ports.http',
  },
  {
    name: 'two ports of one service with the same target port (template guard)',
    set: ['services.frontend.ports.http-admin.port=9901', `services.frontend.ports.http-admin.targetPort=${frontendPort.targetPort}`],
    path: 'services.frontend.ports.http-admin.targetPort',
  },
  {
    name: 'commonLabels replacing the selector label app (template guard)',
    set: ['commonLabels.app=shared'],
    path: 'commonLabels.app',
    message: 'the chart sets this label itself',
  },
  {
    name: 'commonLabels replacing app.kubernetes.io/name (template guard)',
    values: [{ commonLabels: { 'app.kubernetes.io/name': 'shared' } }],
    path: 'commonLabels.app.kubernetes.io/name',
  },
  {
    name: 'podLabels replacing the version label (template guard)',
    set: ['services.order-service.podLabels.version=v9'],
    path: 'services.order-service.podLabels.version',
  },
  {
    name: 'serviceDefaults podLabels replacing a mesh label (template guard)',
    values: [{ serviceDefaults: { podLabels: { 'sidecar.istio.io/inject': 'false' } } }],
    path: 'serviceDefaults.podLabels.sidecar.istio.io/inject',
  },
  { name: 'replicas of 2147483648 (above int32)', set: ['services.order-service.replicas=2147483648'], path: 'services.order-service.replicas' },
  {
    name: 'a probe period of 2147483648 (above int32)',
    set: ['serviceDefaults.probes.liveness.periodSeconds=2147483648'],
    path: 'serviceDefaults.probes.liveness.periodSeconds',
  },
  { name: 'a port of 2147483648', set: ['services.frontend.ports.http.port=2147483648'], path: 'services.frontend.ports.http.port' },
  { name: 'an HPA maximum of 2147483648', set: ['serviceDefaults.autoscaling.maxReplicas=2147483648'], path: 'serviceDefaults.autoscaling.maxReplicas' },
  {
    name: 'a PodDisruptionBudget of 999%',
    set: ['serviceDefaults.podDisruptionBudget.maxUnavailable=999%'],
    path: 'serviceDefaults.podDisruptionBudget.maxUnavailable',
  },
  {
    name: 'a PodDisruptionBudget of 101%',
    set: ['services.frontend.podDisruptionBudget.maxUnavailable=101%'],
    path: 'services.frontend.podDisruptionBudget.maxUnavailable',
  },
  {
    name: 'a PodDisruptionBudget of 2147483648 pods',
    set: ['services.frontend.podDisruptionBudget.maxUnavailable=2147483648'],
    path: 'services.frontend.podDisruptionBudget.maxUnavailable',
  },
  {
    name: 'a CPU request above the limit (template guard)',
    set: ['services.order-service.resources.requests.cpu=2'],
    path: 'services.order-service.resources.requests.cpu',
    message: 'serviceDefaults.resources.limits.cpu',
  },
  {
    name: 'a memory request above the limit in another unit (template guard)',
    set: ['serviceDefaults.resources.requests.memory=1G', 'serviceDefaults.resources.limits.memory=900Mi'],
    path: 'serviceDefaults.resources.requests.memory',
    message: 'serviceDefaults.resources.limits.memory',
  },
  {
    name: 'a sidecar proxy request above its limit (template guard)',
    set: ['istio.sidecar.resources.requests.cpu=4'],
    path: 'istio.sidecar.resources.requests.cpu',
    message: 'istio.sidecar.resources.limits.cpu',
  },
  { name: 'no mesh mode at all (template guard)', set: ['istio.mesh.mode=null'], path: 'istio.mesh.mode', message: 'global.mesh.mode' },
  {
    name: 'every service disabled (template guard)',
    set: ['serviceDefaults.enabled=false'],
    path: 'services',
    message: 'no service is enabled',
  },
];

const scratch = mkdtempSync(path.join(tmpdir(), 'chartkit-values-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const valuesFile = (title: string, content: object): string => {
  const file = path.join(scratch, `${title.replace(/\W+/g, '-')}.yaml`);
  writeFileSync(file, JSON.stringify(content));
  return file;
};

// GIVEN the dev values plus one mistake each
describeRejectedValues('restaurant-app refuses bad values', (helm) => appRender(helm, 'dev'), badValues);
// GIVEN the chart's defaults alone: the README's example of a refused value
describeRejectedValues('restaurant-app refuses the documented example', (helm) => ({ chart: 'restaurant-app', helm }), [
  { name: '--set services.order-service.replicas=two', set: ['services.order-service.replicas=two'], path: 'services.order-service.replicas' },
]);

describe.each(HELM_MAJORS)('restaurant-app values on Helm %i', (helm) => {
  describe('accepts and applies good values', () => {
    it('should add a service from values alone', async () => {
      // GIVEN a new service with only its ports
      const objects = await render(
        appRender(helm, 'prod', { set: ['services.review-service.ports.http.port=8006', 'services.review-service.ports.http.targetPort=8006'] }),
      );
      // THEN it gets the defaults' full treatment
      expect(mustGet(objects, Deployment, 'review-service').spec?.template.spec?.containers[0]?.image).toMatch(/\/review-service:/);
      expect(mustGet(objects, Service, 'review-service').spec?.ports?.[0]?.port).toBe(8006);
      expect(mustGet(objects, HorizontalPodAutoscaler, 'review-service').spec?.minReplicas).toBe(valuesOf('prod').serviceDefaults.autoscaling.minReplicas);
    });

    it('should let a service turn off what serviceDefaults turns on', async () => {
      const objects = await render(appRender(helm, 'prod', { set: ['services.frontend.autoscaling.enabled=false', 'services.frontend.replicas=3'] }));
      expect(all(objects, HorizontalPodAutoscaler).map((hpa) => hpa.metadata?.name)).not.toContain('frontend');
      expect(mustGet(objects, Deployment, 'frontend').spec?.replicas).toBe(3);
    });

    it('should drop a disabled service entirely', async () => {
      const objects = await render(appRender(helm, 'dev', { set: ['services.notification-service.enabled=false'] }));
      expect(objects.filter((object) => object.metadata?.name === 'notification-service')).toEqual([]);
    });

    it('should roll the pods of exactly the service whose configuration changed', async () => {
      const before = await render(appRender(helm, 'dev'));
      const after = await render(appRender(helm, 'dev', { set: ['services.order-service.config.LOG_LEVEL=debug'] }));
      const checksum = (objects: typeof before, name: string) => mustGet(objects, Deployment, name).spec?.template.metadata?.annotations?.['checksum/config'];
      expect(checksum(after, 'order-service')).not.toBe(checksum(before, 'order-service'));
      expect(checksum(after, 'menu-service')).toBe(checksum(before, 'menu-service'));
      expect(mustGet(after, ConfigMap, 'order-service').data).toMatchObject({ LOG_LEVEL: 'debug', SERVICE_NAME: 'order-service' });
      expect(mustGet(before, ConfigMap, 'order-service').data?.LOG_LEVEL).toBeUndefined();
    });

    it('should reference an existing Secret without creating one, and create one only from given data', async () => {
      const objects = await render(
        appRender(helm, 'dev', {
          set: ['services.auth-service.secret.existingSecret=auth-credentials', 'services.order-service.secret.data.DB_PASSWORD=from-install-time'],
        }),
      );
      expect(mustGet(objects, Deployment, 'auth-service').spec?.template.spec?.containers[0]?.envFrom).toEqual([
        { configMapRef: { name: 'auth-service' } },
        { secretRef: { name: 'auth-credentials' } },
      ]);
      expect(all(objects, Secret).map((secret) => secret.metadata?.name)).toEqual(['order-service']);
      expect(Buffer.from(mustGet(objects, Secret, 'order-service').data!.DB_PASSWORD!, 'base64').toString()).toBe('from-install-time');
    });

    it('should render no Secret and no password by default', async () => {
      expect(all(await render(appRender(helm, 'prod')), Secret)).toEqual([]);
    });

    it('should accept numeric quantities, as Kubernetes does, and print them without float notation', async () => {
      // GIVEN cpu and memory as numbers (a values file; --set would give integers too)
      const file = valuesFile('numeric quantities', {
        serviceDefaults: { resources: { requests: { cpu: 0.25, memory: 268435456 }, limits: { cpu: 2, memory: 1073741824 } } },
      });
      const objects = await render(appRender(helm, 'dev', { values: [file] }));
      // THEN the container gets the same amounts, as quantity strings
      expect(mustGet(objects, Deployment, 'order-service').spec?.template.spec?.containers[0]?.resources).toEqual({
        requests: { cpu: '0.25', memory: '268435456' },
        limits: { cpu: '2', memory: '1073741824' },
      });
    });

    it('should let podLabels override a commonLabels entry, writing each key once', async () => {
      const objects = await render(appRender(helm, 'dev', { set: ['commonLabels.team=platform', 'services.frontend.podLabels.team=web'] }));
      expect(mustGet(objects, Deployment, 'frontend').spec?.template.metadata?.labels).toMatchObject({ team: 'web', app: 'frontend' });
      expect(mustGet(objects, Deployment, 'frontend').metadata?.labels?.team).toBe('platform');
      expect(mustGet(objects, Deployment, 'menu-service').spec?.template.metadata?.labels?.team).toBe('platform');
    });

    it('should cut an image tag to a valid app.kubernetes.io/version label', async () => {
      // GIVEN a tag that ends in a character a label value may not end in, and one over 63 characters
      const objects = await render(
        appRender(helm, 'dev', { set: ['services.frontend.image.tag=1.0-', `services.menu-service.image.tag=2.0.${'9'.repeat(70)}`] }),
      );
      expect(mustGet(objects, Deployment, 'frontend').metadata?.labels?.['app.kubernetes.io/version']).toBe('1.0');
      const long = mustGet(objects, Deployment, 'menu-service').metadata?.labels?.['app.kubernetes.io/version'];
      expect(long).toHaveLength(63);
      // AND the image keeps the whole tag
      expect(mustGet(objects, Deployment, 'frontend').spec?.template.spec?.containers[0]?.image).toMatch(/:1\.0-$/);
    });

    it('should take the mesh mode from global.mesh.mode when it is set (as the umbrella sets it)', async () => {
      const objects = await render(appRender(helm, 'dev', { set: ['global.mesh.mode=ambient', 'istio.mesh.mode=sidecar'] }));
      expect(mustGet(objects, Deployment, 'frontend').spec?.template.metadata?.labels?.['istio.io/dataplane-mode']).toBe('ambient');
    });

    it('should render a service name of exactly 63 characters', async () => {
      const name = `s${'a'.repeat(62)}`;
      const objects = await render(
        appRender(helm, 'dev', { values: [valuesFile('63-character service', { services: { [name]: { ports: { http: { port: 80, targetPort: 8080 } } } } })] }),
      );
      expect(mustGet(objects, Service, name).metadata?.name).toHaveLength(63);
    });

    it('should pin an image by digest, else take the global tag', async () => {
      const digest = `sha256:${'a'.repeat(64)}`;
      const objects = await render(
        appRender(helm, 'dev', { set: [`services.menu-service.image.digest=${digest}`, 'global.image.tag=2.3.4', 'global.imagePullSecrets[0]=registry-pull'] }),
      );
      const image = (name: string) => mustGet(objects, Deployment, name).spec?.template.spec?.containers[0]?.image;
      expect(image('menu-service')).toBe(`registry.example.com/restaurant/menu-service@${digest}`);
      expect(image('frontend')).toBe('registry.example.com/restaurant/frontend:2.3.4');
      expect(mustGet(objects, Deployment, 'frontend').spec?.template.spec?.imagePullSecrets).toEqual([{ name: 'registry-pull' }]);
    });
  });
});
