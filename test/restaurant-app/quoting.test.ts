// restaurant-app: every string of the values reaches the output as the same string, and every
// integer as an integer, on Helm 3 and 4. The render is read the way Kubernetes reads it (YAML 1.1,
// as go-yaml v2 resolves plain scalars: yes/on/y are booleans, 0777 is octal, 1e3 a float), so an
// unquoted `yes`, `null` or `0777` and an integer printed as `1e+06` cannot pass unnoticed; the
// harness's own YAML 1.2 reading would take most of them for strings.
import { describe, it, expect, beforeAll } from 'vitest';
import { Deployment, type IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { VirtualService } from '@kubernetes-models/istio/networking.istio.io/v1/VirtualService';
import { DestinationRule } from '@kubernetes-models/istio/networking.istio.io/v1/DestinationRule';
import { AuthorizationPolicy } from '@kubernetes-models/istio/security.istio.io/v1/AuthorizationPolicy';
import { Sidecar } from '@kubernetes-models/istio/networking.istio.io/v1/Sidecar';
import { all, countByKind, mustGet, type KubeObject } from '../helpers/models.js';
import { HELM_MAJORS } from '../helpers/tools.js';
import { FloatNotation, leaves, writeValuesFile } from '../helpers/kubernetes-yaml.js';
import { render, type RenderOptions } from '../helpers/helm.js';
import { appRender, source, SERVICE_NAMES } from './fixtures.js';

const container = (deployment: IDeployment) => deployment.spec!.template.spec!.containers[0]!;
const BIG = 1000000;

describe.each(HELM_MAJORS)('restaurant-app quoting on Helm %i', (helm) => {
  describe('strings YAML would re-read, given with --set-string', () => {
    let objects: KubeObject[];
    beforeAll(async () => {
      // GIVEN strings that YAML 1.1 reads as booleans, null or numbers, set with --set-string
      objects = await render(
        appRender(helm, 'dev', {
          setString: [
            'services.frontend.secret.existingSecret=yes',
            'services.api-gateway.secret.existingSecret=null',
            'services.order-service.secret.existingSecret=0777',
            'services.menu-service.secret.existingSecret=on',
            'serviceDefaults.resources.limits.memory=0777',
            'serviceDefaults.resources.requests.memory=012',
            'serviceDefaults.resources.requests.cpu=1',
            'serviceDefaults.resources.limits.cpu=010',
            'istio.sidecar.resources.limits.memory=0777',
            'istio.sidecar.resources.requests.memory=012',
            'commonLabels.flag=true',
            'commonLabels.nothing=null',
            'commonLabels.mode=0777',
            'serviceDefaults.podLabels.pod-flag=yes',
            'serviceDefaults.podAnnotations.note=0777',
            'serviceDefaults.podAnnotations.empty=null',
            'serviceDefaults.env.FEATURE=on',
            'serviceDefaults.config.LEVEL=0x10',
            'global.domain=1e3',
            'global.image.tag=1e3',
            'services.frontend.image.tag=0777',
            'global.namespaces.app=null',
            'global.namespaces.observability=on',
            'istio.mesh.revision=0777',
          ],
        }),
      );
    });

    it('should name each existingSecret in secretRef exactly', () => {
      // THEN secretRef.name is the string given, not true, null or 511
      const secretRef = (name: string) => container(mustGet(objects, Deployment, name)).envFrom?.find((source) => source.secretRef)?.secretRef?.name;
      expect(secretRef('frontend')).toBe('yes');
      expect(secretRef('api-gateway')).toBe('null');
      expect(secretRef('order-service')).toBe('0777');
      expect(secretRef('menu-service')).toBe('on');
    });

    it('should keep resource quantities and proxy sizes as strings', () => {
      for (const name of SERVICE_NAMES) {
        const deployment = mustGet(objects, Deployment, name);
        expect(container(deployment).resources).toEqual({ requests: { cpu: '1', memory: '012' }, limits: { cpu: '010', memory: '0777' } });
        expect(deployment.spec!.template.metadata!.annotations!['sidecar.istio.io/proxyMemoryLimit']).toBe('0777');
      }
    });

    it('should keep label, annotation, env and config values as strings', () => {
      const deployment = mustGet(objects, Deployment, 'frontend');
      const pod = deployment.spec!.template.metadata!;
      // THEN commonLabels reach every object, podLabels and podAnnotations the pods, all as given
      for (const object of objects) {
        expect(object.metadata?.labels).toMatchObject({ flag: 'true', nothing: 'null', mode: '0777' });
      }
      expect(pod.labels).toMatchObject({ 'pod-flag': 'yes', 'istio.io/rev': '0777', 'app.kubernetes.io/version': '0777' });
      expect(pod.annotations).toMatchObject({ note: '0777', empty: 'null' });
      expect(container(deployment).env).toContainEqual({ name: 'FEATURE', value: 'on' });
      expect(mustGet(objects, ConfigMap, 'frontend').data).toMatchObject({ LEVEL: '0x10' });
    });

    it('should keep the domain, image tags and namespaces as strings', () => {
      expect(mustGet(objects, VirtualService, 'edge').spec!.hosts).toEqual(['1e3']);
      expect(container(mustGet(objects, Deployment, 'frontend')).image).toBe(`${source.defaults.global.image.registry}/frontend:0777`);
      expect(container(mustGet(objects, Deployment, 'api-gateway')).image).toBe(`${source.defaults.global.image.registry}/api-gateway:1e3`);
      expect(mustGet(objects, Deployment, 'api-gateway').metadata!.labels!['app.kubernetes.io/version']).toBe('1e3');
      for (const object of objects) expect(object.metadata?.namespace).toBe('null');
      const scrape = mustGet(objects, AuthorizationPolicy, 'frontend')
        .spec!.rules!.flatMap((rule) => rule.from ?? [])
        .flatMap((from) => from.source?.namespaces ?? []);
      expect(scrape).toEqual(['on']);
      expect(mustGet(objects, Sidecar, 'default').spec!.egress![0]!.hosts).toContain('on/*');
    });
  });

  describe('integers', () => {
    it.each([
      [
        '--set',
        (options: RenderOptions) => ({
          ...options,
          set: [
            `serviceDefaults.probes.liveness.periodSeconds=${BIG}`,
            `serviceDefaults.probes.readiness.timeoutSeconds=${BIG}`,
            `serviceDefaults.terminationGracePeriodSeconds=${BIG}`,
          ],
        }),
      ],
      [
        'a values file',
        (options: RenderOptions) => ({
          ...options,
          values: [
            ...(options.values ?? []),
            writeValuesFile('integers', {
              serviceDefaults: { probes: { liveness: { periodSeconds: BIG }, readiness: { timeoutSeconds: BIG } }, terminationGracePeriodSeconds: BIG },
            }),
          ],
        }),
      ],
    ] as const)('should print probe timings and grace periods given with %s as integers', async (_how, withIntegers) => {
      // GIVEN probe timings and a grace period of a million seconds, WHEN rendered
      const objects = await render(withIntegers(appRender(helm, 'dev')));
      // THEN each is the integer given, not 1e+06
      for (const deployment of all(objects, Deployment)) {
        const pod = deployment.spec!.template.spec!;
        expect(pod.terminationGracePeriodSeconds).toBe(BIG);
        expect(pod.containers[0]!.livenessProbe!.periodSeconds).toBe(BIG);
        expect(pod.containers[0]!.readinessProbe!.timeoutSeconds).toBe(BIG);
      }
    });

    it('should print every integer of a values file as an integer', async () => {
      // GIVEN every integer setting of the prod workloads and traffic policy at a million or more,
      // from a values file (where Helm holds numbers as floats)
      const file = writeValuesFile('all-integers', {
        serviceDefaults: {
          probes: { startup: { initialDelaySeconds: BIG, periodSeconds: BIG, timeoutSeconds: BIG, failureThreshold: BIG } },
          terminationGracePeriodSeconds: BIG,
          autoscaling: { minReplicas: BIG, maxReplicas: 2 * BIG },
          podDisruptionBudget: { maxUnavailable: BIG },
          topologySpread: { maxSkew: BIG },
          traffic: {
            connectionPool: { maxConnections: BIG, http1MaxPendingRequests: BIG, http2MaxRequests: 10 * BIG, maxRequestsPerConnection: BIG },
            outlierDetection: { consecutive5xxErrors: BIG },
          },
        },
        services: { frontend: { autoscaling: { enabled: false }, replicas: BIG } },
      });
      // WHEN rendered
      const objects = await render(appRender(helm, 'prod', { values: [file] }));
      // THEN they are integers at their places
      const frontend = mustGet(objects, Deployment, 'frontend');
      expect(frontend.spec!.replicas).toBe(BIG);
      const startup = container(frontend).startupProbe!;
      expect([startup.initialDelaySeconds, startup.periodSeconds, startup.timeoutSeconds, startup.failureThreshold]).toEqual([BIG, BIG, BIG, BIG]);
      expect(frontend.spec!.template.spec!.topologySpreadConstraints!.map((constraint) => constraint.maxSkew)).toEqual([BIG, BIG]);
      const hpa = mustGet(objects, HorizontalPodAutoscaler, 'api-gateway');
      expect([hpa.spec!.minReplicas, hpa.spec!.maxReplicas]).toEqual([BIG, 2 * BIG]);
      expect(mustGet(objects, PodDisruptionBudget, 'frontend').spec!.maxUnavailable).toBe(BIG);
      const pool = mustGet(objects, DestinationRule, 'frontend').spec!.trafficPolicy!;
      expect(pool.connectionPool).toMatchObject({
        tcp: { maxConnections: BIG },
        http: { http1MaxPendingRequests: BIG, http2MaxRequests: 10 * BIG, maxRequestsPerConnection: BIG },
      });
      expect(pool.outlierDetection!.consecutive5xxErrors).toBe(BIG);
      // AND no number anywhere is printed in float notation
      const floats = objects.flatMap((object) =>
        leaves(object)
          .filter(([, value]) => value instanceof FloatNotation)
          .map(([at, value]) => `${(object as KubeObject).kind}/${(object as KubeObject).metadata?.name}: ${at} = ${(value as FloatNotation).text}`),
      );
      expect(floats).toEqual([]);
    });
  });

  describe('a prod render where every string setting is YAML-ambiguous', () => {
    // GIVEN names, namespaces, labels, annotations, hosts, images and policy strings that YAML 1.1
    // would re-read as booleans, null or numbers, and a service whose very name is one
    const values = {
      global: {
        domain: '1e3',
        image: { registry: '0x10', tag: '1e3' },
        imagePullSecrets: ['null'],
        namespaces: { app: 'null', istio: 'true', ingress: 'yes', observability: 'on', data: '0777' },
      },
      commonLabels: { 'example.com/flag': 'true', 'example.com/nothing': 'null', 'example.com/mode': '0777' },
      serviceDefaults: {
        secret: { existingSecret: 'y' },
        resources: { requests: { cpu: '1', memory: '012' }, limits: { cpu: '010', memory: '0777' } },
        podLabels: { 'example.com/pod': 'yes' },
        podAnnotations: { 'example.com/note': '0777' },
        serviceAccount: { annotations: { 'example.com/role': 'off' } },
        nodeSelector: { 'example.com/pool': '0x10' },
        env: { FEATURE: 'on', null: 'NULL' },
        config: { LEVEL: '012' },
        traffic: { retries: { retryOn: 'on' } },
      },
      backingStores: { redis: { host: '1.5' } },
      services: {
        on: { ports: { http: { port: 8080, targetPort: 8080 } } },
        'api-gateway': { calls: { on: true } },
      },
      istio: {
        mesh: { revision: '0777' },
        gateway: { name: 'null', serviceAccount: 'n' },
        peerAuthentication: { portExceptions: { '9090': 'PERMISSIVE' } },
      },
    };
    // AND the same shape with plain names: one more service, called by api-gateway, one port exception
    const sameShape = {
      services: { extra: values.services.on, 'api-gateway': { calls: { extra: true } } },
      istio: { peerAuthentication: values.istio.peerAuthentication },
    };
    let objects: KubeObject[];
    let plain: KubeObject[];
    beforeAll(async () => {
      // WHEN both are rendered for prod
      [objects, plain] = await Promise.all([
        render(appRender(helm, 'prod', { values: [writeValuesFile('ambiguous', values)] })),
        render(appRender(helm, 'prod', { values: [writeValuesFile('ambiguous-shape', sameShape)] })),
      ]);
    });

    it('should carry each string to its place unchanged', () => {
      // THEN the render holds the objects of the plain-named one, kind for kind
      expect(countByKind(objects)).toEqual(countByKind(plain));
      // AND every object of the render, wherever the values put a string, holds that string
      for (const object of objects) {
        expect(object.metadata?.namespace, `${object.kind}/${object.metadata?.name}`).toBe('null');
        expect(object.metadata?.labels).toMatchObject(values.commonLabels);
      }
      const on = mustGet(objects, Deployment, 'on');
      expect(on.metadata!.labels).toMatchObject({
        app: 'on',
        'app.kubernetes.io/name': 'on',
        'app.kubernetes.io/component': 'on',
        'app.kubernetes.io/version': '1e3',
      });
      expect(on.spec!.selector.matchLabels).toMatchObject({ app: 'on', 'app.kubernetes.io/name': 'on' });
      const pod = on.spec!.template;
      expect(pod.metadata!.labels).toMatchObject({ app: 'on', 'example.com/pod': 'yes', 'istio.io/rev': '0777' });
      expect(pod.metadata!.annotations).toMatchObject({ 'example.com/note': '0777' });
      expect(pod.spec!.serviceAccountName).toBe('on');
      expect(pod.spec!.imagePullSecrets).toEqual([{ name: 'null' }]);
      expect(pod.spec!.nodeSelector).toEqual({ 'example.com/pool': '0x10' });
      const main = pod.spec!.containers[0]!;
      expect(main.name).toBe('on');
      expect(main.image).toBe('0x10/on:1e3');
      expect(main.resources).toEqual(values.serviceDefaults.resources);
      expect(main.env).toEqual(
        expect.arrayContaining([
          { name: 'FEATURE', value: 'on' },
          { name: 'null', value: 'NULL' },
        ]),
      );
      expect(main.envFrom).toEqual([{ configMapRef: { name: 'on' } }, { secretRef: { name: 'y' } }]);
      expect(mustGet(objects, ConfigMap, 'on').data).toMatchObject({ SERVICE_NAME: 'on', LEVEL: '012' });
      expect(mustGet(objects, ConfigMap, 'api-gateway').data).toMatchObject({ REDIS_HOST: '1.5' });
      expect(mustGet(objects, ConfigMap, 'order-service').data).toMatchObject({ POSTGRES_HOST: 'postgresql.0777.svc.cluster.local' });
      expect(mustGet(objects, Service, 'on').spec!.selector).toMatchObject({ app: 'on' });
      expect(mustGet(objects, ServiceAccount, 'on').metadata!.annotations).toEqual({ 'example.com/role': 'off' });
      expect(mustGet(objects, HorizontalPodAutoscaler, 'on').spec!.scaleTargetRef.name).toBe('on');
      const rule = mustGet(objects, DestinationRule, 'on');
      expect(rule.spec!.host).toBe('on.null.svc.cluster.local');
      const route = mustGet(objects, VirtualService, 'on').spec!;
      expect(route.hosts).toEqual(['on.null.svc.cluster.local']);
      expect(route.http![0]!.retries!.retryOn).toBe('on');
      const edge = mustGet(objects, VirtualService, 'edge').spec!;
      expect(edge.hosts).toEqual(['1e3']);
      expect(edge.gateways).toEqual(['yes/null']);
      const policy = mustGet(objects, AuthorizationPolicy, 'on').spec!;
      expect(policy.selector!.matchLabels).toMatchObject({ app: 'on' });
      expect(policy.rules!.flatMap((r) => r.from ?? []).flatMap((from) => [...(from.source?.principals ?? []), ...(from.source?.namespaces ?? [])])).toEqual([
        'cluster.local/ns/null/sa/api-gateway',
        'on',
      ]);
      expect(mustGet(objects, AuthorizationPolicy, 'frontend').spec!.rules![0]!.from![0]!.source!.principals).toContain('cluster.local/ns/yes/sa/n');
      expect(mustGet(objects, Sidecar, 'default').spec!.egress![0]!.hosts).toEqual(['./*', 'true/*', 'on/*', '0777/*']);
    });

    it('should leave no label, annotation or env value that is not a string', () => {
      // THEN scanning every object: label, selector, annotation, env and config values are strings
      const stringMaps =
        /(^|\.)(labels|matchLabels|selector|annotations|nodeSelector|data)\.[^.]+$|\.env\.\d+\.(name|value)$|(^|\.)(name|namespace|image|host|hosts\.\d+|principals\.\d+|namespaces\.\d+|gateways\.\d+)$/;
      const wrong = objects.flatMap((object) =>
        leaves(object)
          .filter(([at, value]) => stringMaps.test(at) && typeof value !== 'string')
          .map(([at, value]) => `${(object as KubeObject).kind}/${(object as KubeObject).metadata?.name}: ${at} = ${JSON.stringify(value)}`),
      );
      expect(wrong).toEqual([]);
    });
  });
});
