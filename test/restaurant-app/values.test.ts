// Bad values are rejected, by the schema or by a template guard, on both Helm versions, with the
// values path in the message; good values change the rendered objects as documented.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Secret } from 'kubernetes-models/v1/Secret';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Service } from 'kubernetes-models/v1/Service';
import { render, renderError, errorPaths } from '../helpers/helm.js';
import { all, mustGet } from '../helpers/models.js';
import { HELM_MAJORS } from '../helpers/tools.js';
import { appRender, source } from './fixtures.js';

/** A bad-values case: what is passed, and the values path the error must name. */
interface BadValues {
  readonly title: string;
  readonly set?: readonly string[];
  readonly file?: object;
  /** The values path named (dotted; `(root)` for the top level). */
  readonly path: string;
  /** Text the message must also contain (e.g. the unknown key's name). */
  readonly mentions?: string;
  /** A template guard (`fail`) rather than the schema rejects it: the path is in the message text. */
  readonly guard?: true;
}

const frontendPort = source.defaults.services.frontend!.ports.http!;

const badValues: readonly BadValues[] = [
  { title: 'a string where an integer belongs', set: ['services.order-service.replicas=two'], path: 'services.order-service.replicas' },
  { title: 'an unknown key at the root', set: ['replicaCount=3'], path: '(root)', mentions: 'replicaCount' },
  { title: 'an unknown key nested in a service', set: ['services.frontend.resources.limits.gpu=1'], path: 'services.frontend.resources.limits', mentions: 'gpu' },
  { title: 'an unknown key in serviceDefaults', set: ['serviceDefaults.autoscaling.targetCPU=50'], path: 'serviceDefaults.autoscaling', mentions: 'targetCPU' },
  { title: 'a value outside an enum', set: ['global.environment=production'], path: 'global.environment' },
  { title: '500mb as a memory quantity', set: ['services.frontend.resources.limits.memory=500mb'], path: 'services.frontend.resources.limits.memory' },
  { title: 'a CPU quantity with a unit typo', set: ['serviceDefaults.resources.requests.cpu=100mc'], path: 'serviceDefaults.resources.requests.cpu' },
  { title: 'negative replicas', set: ['services.menu-service.replicas=-1'], path: 'services.menu-service.replicas' },
  { title: 'an image tag with a colon', set: ['services.frontend.image.tag=1.0:rc'], path: 'services.frontend.image.tag' },
  { title: 'an image digest that is not sha256', set: ['services.auth-service.image.digest=md5:abc'], path: 'services.auth-service.image.digest' },
  { title: 'a port out of range', set: ['services.frontend.ports.http.port=70000'], path: 'services.frontend.ports.http.port' },
  { title: 'a port name without a protocol prefix', set: ['services.frontend.ports.web.port=81', 'services.frontend.ports.web.targetPort=8081'], path: 'services.frontend.ports', mentions: 'web' },
  { title: 'an empty service name', file: { services: { '': { ports: { http: { port: 80, targetPort: 8080 } } } } }, path: 'services' },
  { title: 'a service name that is not a DNS label', file: { services: { Order_Service: { ports: { http: { port: 80, targetPort: 8080 } } } } }, path: 'services', mentions: 'Order_Service' },
  { title: 'a new service without ports', set: ['services.review-service.replicas=1'], path: 'services.review-service', mentions: 'ports' },
  { title: 'a probe path that is not absolute', set: ['services.menu-service.probes.readiness.path=ready'], path: 'services.menu-service.probes.readiness.path' },
  { title: 'a duration without a unit', set: ['services.order-service.traffic.timeout=10'], path: 'services.order-service.traffic.timeout' },
  { title: 'a duration in words', set: ['serviceDefaults.traffic.retries.perTryTimeout=two seconds'], path: 'serviceDefaults.traffic.retries.perTryTimeout' },
  { title: 'a boolean given as a word', set: ['serviceDefaults.autoscaling.enabled=maybe'], path: 'serviceDefaults.autoscaling.enabled' },
  { title: 'a backing store host with a scheme', set: ['backingStores.redis.host=redis://cache'], path: 'backingStores.redis.host' },
  { title: 'a service using an undeclared backing store (template guard)', set: ['services.menu-service.stores.mongodb=true'], path: 'services.menu-service.stores.mongodb', mentions: 'backingStores', guard: true },
  {
    title: 'an HPA whose minimum exceeds its maximum (template guard)',
    guard: true,
    set: ['services.order-service.autoscaling.enabled=true', 'services.order-service.autoscaling.minReplicas=5', 'serviceDefaults.autoscaling.maxReplicas=3'],
    path: 'services.order-service.autoscaling.minReplicas',
    mentions: 'serviceDefaults.autoscaling.maxReplicas',
  },
  {
    title: 'a PodDisruptionBudget that would block every drain (template guard)',
    guard: true,
    set: ['services.api-gateway.podDisruptionBudget.enabled=true', 'services.api-gateway.podDisruptionBudget.maxUnavailable=0'],
    path: 'services.api-gateway.podDisruptionBudget.maxUnavailable',
    mentions: 'drain',
  },
  {
    title: 'a PodDisruptionBudget over zero replicas (template guard)',
    guard: true,
    set: ['serviceDefaults.podDisruptionBudget.enabled=true', 'services.notification-service.replicas=0'],
    path: 'serviceDefaults.podDisruptionBudget.enabled',
    mentions: 'services.notification-service.replicas',
  },
  // Values the API server would refuse, or that would change meaning on the way (issue: fail closed).
  { title: 'a service name over 63 characters', file: { services: { [`s${'a'.repeat(63)}`]: { ports: { http: { port: 80, targetPort: 8080 } } } } }, path: 'services', mentions: `s${'a'.repeat(63)}` },
  { title: 'a service name starting with a digit (a Service name is a DNS-1035 label)', file: { services: { '1st-service': { ports: { http: { port: 80, targetPort: 8080 } } } } }, path: 'services', mentions: '1st-service' },
  { title: 'a label value with a space', set: ['commonLabels.team=platform team'], path: 'commonLabels.team' },
  { title: 'a label value over 63 characters', set: [`services.frontend.podLabels.team=${'t'.repeat(64)}`], path: 'services.frontend.podLabels.team' },
  { title: 'a node selector value with a slash', set: ['serviceDefaults.nodeSelector.pool=a/b'], path: 'serviceDefaults.nodeSelector.pool' },
  { title: 'a domain over 253 characters', set: [`global.domain=${Array.from({ length: 5 }, () => 'd'.repeat(60)).join('.')}`], path: 'global.domain' },
  { title: 'a domain label over 63 characters', set: [`global.domain=${'d'.repeat(64)}.example.com`], path: 'global.domain' },
  { title: 'a gateway namespace over 63 characters', set: [`istio.gateway.namespace=${'n'.repeat(64)}`], path: 'istio.gateway.namespace' },
  { title: 'a canary version over 63 characters', set: [`services.frontend.version=v1${'a'.repeat(62)}`], path: 'services.frontend.version' },
  {
    title: 'a port name over 15 characters (IANA service name)',
    set: ['services.frontend.ports.http-abcdefghijk.port=81', 'services.frontend.ports.http-abcdefghijk.targetPort=8081'],
    path: 'services.frontend.ports',
    mentions: 'http-abcdefghijk',
  },
  {
    title: 'a port name with a double hyphen (template guard)',
    guard: true,
    set: ['services.frontend.ports.http-a--b.port=81', 'services.frontend.ports.http-a--b.targetPort=8081'],
    path: 'services.frontend.ports.http-a--b',
    mentions: '--',
  },
  {
    title: 'two ports of one service with the same number (template guard)',
    guard: true,
    set: [`services.frontend.ports.http-admin.port=${frontendPort.port}`, 'services.frontend.ports.http-admin.targetPort=9901'],
    path: 'services.frontend.ports.http-admin.port',
    mentions: 'services.frontend.ports.http',
  },
  {
    title: 'two ports of one service with the same target port (template guard)',
    guard: true,
    set: ['services.frontend.ports.http-admin.port=9901', `services.frontend.ports.http-admin.targetPort=${frontendPort.targetPort}`],
    path: 'services.frontend.ports.http-admin.targetPort',
  },
  { title: 'commonLabels replacing the selector label app (template guard)', guard: true, set: ['commonLabels.app=shared'], path: 'commonLabels.app', mentions: 'the chart sets this label itself' },
  { title: 'commonLabels replacing app.kubernetes.io/name (template guard)', guard: true, file: { commonLabels: { 'app.kubernetes.io/name': 'shared' } }, path: 'commonLabels.app.kubernetes.io/name' },
  { title: 'podLabels replacing the version label (template guard)', guard: true, set: ['services.order-service.podLabels.version=v9'], path: 'services.order-service.podLabels.version' },
  { title: 'serviceDefaults podLabels replacing a mesh label (template guard)', guard: true, file: { serviceDefaults: { podLabels: { 'sidecar.istio.io/inject': 'false' } } }, path: 'serviceDefaults.podLabels.sidecar.istio.io/inject' },
  { title: 'replicas of 2147483648 (above int32)', set: ['services.order-service.replicas=2147483648'], path: 'services.order-service.replicas' },
  { title: 'a probe period of 2147483648 (above int32)', set: ['serviceDefaults.probes.liveness.periodSeconds=2147483648'], path: 'serviceDefaults.probes.liveness.periodSeconds' },
  { title: 'a port of 2147483648', set: ['services.frontend.ports.http.port=2147483648'], path: 'services.frontend.ports.http.port' },
  { title: 'an HPA maximum of 2147483648', set: ['serviceDefaults.autoscaling.maxReplicas=2147483648'], path: 'serviceDefaults.autoscaling.maxReplicas' },
  { title: 'a PodDisruptionBudget of 999%', set: ['serviceDefaults.podDisruptionBudget.maxUnavailable=999%'], path: 'serviceDefaults.podDisruptionBudget.maxUnavailable' },
  { title: 'a PodDisruptionBudget of 101%', set: ['services.frontend.podDisruptionBudget.maxUnavailable=101%'], path: 'services.frontend.podDisruptionBudget.maxUnavailable' },
  { title: 'a PodDisruptionBudget of 2147483648 pods', set: ['services.frontend.podDisruptionBudget.maxUnavailable=2147483648'], path: 'services.frontend.podDisruptionBudget.maxUnavailable' },
  {
    title: 'a CPU request above the limit (template guard)',
    guard: true,
    set: ['services.order-service.resources.requests.cpu=2'],
    path: 'services.order-service.resources.requests.cpu',
    mentions: 'serviceDefaults.resources.limits.cpu',
  },
  {
    title: 'a memory request above the limit in another unit (template guard)',
    guard: true,
    set: ['serviceDefaults.resources.requests.memory=1G', 'serviceDefaults.resources.limits.memory=900Mi'],
    path: 'serviceDefaults.resources.requests.memory',
    mentions: 'serviceDefaults.resources.limits.memory',
  },
  {
    title: 'a sidecar proxy request above its limit (template guard)',
    guard: true,
    set: ['istio.sidecar.resources.requests.cpu=4'],
    path: 'istio.sidecar.resources.requests.cpu',
    mentions: 'istio.sidecar.resources.limits.cpu',
  },
  { title: 'no mesh mode at all (template guard)', guard: true, set: ['istio.mesh.mode=null'], path: 'istio.mesh.mode', mentions: 'global.mesh.mode' },
  {
    title: 'every service disabled (template guard)',
    guard: true,
    set: ['serviceDefaults.enabled=false'],
    path: 'services',
    mentions: 'no service is enabled',
  },
];

const scratch = mkdtempSync(path.join(tmpdir(), 'chartkit-values-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const valuesFile = (title: string, content: object): string => {
  const file = path.join(scratch, `${title.replace(/\W+/g, '-')}.yaml`);
  writeFileSync(file, JSON.stringify(content));
  return file;
};

describe.each(HELM_MAJORS)('restaurant-app values on Helm %i', (helm) => {
  describe.each(badValues)('rejects $title', (bad) => {
    let stderr: string;
    beforeAll(async () => {
      // GIVEN the dev values plus one mistake, WHEN rendered
      const extra = bad.file ? { values: [valuesFile(bad.title, bad.file)] } : { set: bad.set ?? [] };
      stderr = await renderError(appRender(helm, 'dev', extra));
    });
    it('should name the values path', () => {
      // THEN the error names where the mistake is (Helm's schema path, or the guard's message)
      if (bad.guard) expect(stderr).toMatch(new RegExp(`execution error at .*: ${bad.path.replace(/[.]/g, '\\.')}\\b`));
      else expect(errorPaths(stderr), stderr).toContain(bad.path);
      if (bad.mentions) expect(stderr).toContain(bad.mentions);
    });
  });

  describe('accepts and applies good values', () => {
    it('should fail the documented example with the path: --set services.order-service.replicas=two', async () => {
      const stderr = await renderError({ chart: 'restaurant-app', helm, set: ['services.order-service.replicas=two'] });
      expect(errorPaths(stderr)).toContain('services.order-service.replicas');
    });

    it('should add a service from values alone', async () => {
      // GIVEN a new service with only its ports
      const objects = await render(appRender(helm, 'prod', { set: ['services.review-service.ports.http.port=8006', 'services.review-service.ports.http.targetPort=8006'] }));
      // THEN it gets the defaults' full treatment
      expect(mustGet(objects, Deployment, 'review-service').spec?.template.spec?.containers[0]?.image).toMatch(/\/review-service:/);
      expect(mustGet(objects, Service, 'review-service').spec?.ports?.[0]?.port).toBe(8006);
      expect(mustGet(objects, HorizontalPodAutoscaler, 'review-service').spec?.minReplicas).toBe(2);
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
        appRender(helm, 'dev', { set: ['services.auth-service.secret.existingSecret=auth-credentials', 'services.order-service.secret.data.DB_PASSWORD=from-install-time'] }),
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
      const file = valuesFile('numeric quantities', { serviceDefaults: { resources: { requests: { cpu: 0.25, memory: 268435456 }, limits: { cpu: 2, memory: 1073741824 } } } });
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
      const objects = await render(appRender(helm, 'dev', { set: ['services.frontend.image.tag=1.0-', `services.menu-service.image.tag=2.0.${'9'.repeat(70)}`] }));
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
      const objects = await render(appRender(helm, 'dev', { values: [valuesFile('63-character service', { services: { [name]: { ports: { http: { port: 80, targetPort: 8080 } } } } })] }));
      expect(mustGet(objects, Service, name).metadata?.name).toHaveLength(63);
    });

    it('should pin an image by digest, else take the global tag', async () => {
      const digest = `sha256:${'a'.repeat(64)}`;
      const objects = await render(appRender(helm, 'dev', { set: [`services.menu-service.image.digest=${digest}`, 'global.image.tag=2.3.4', 'global.imagePullSecrets[0]=registry-pull'] }));
      const image = (name: string) => mustGet(objects, Deployment, name).spec?.template.spec?.containers[0]?.image;
      expect(image('menu-service')).toBe(`registry.example.com/restaurant/menu-service@${digest}`);
      expect(image('frontend')).toBe('registry.example.com/restaurant/frontend:2.3.4');
      expect(mustGet(objects, Deployment, 'frontend').spec?.template.spec?.imagePullSecrets).toEqual([{ name: 'registry-pull' }]);
    });
  });
});
