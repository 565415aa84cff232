// restaurant-app workloads: per service a Deployment, Service, ServiceAccount, and in the
// environments that want them an HPA and a PDB, all under restricted Pod Security.
import { describe, it, expect, beforeAll } from 'vitest';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { render } from '../helpers/helm.js';
import { all, countByKind, mustGet, type KubeObject, type TypedModel } from '../helpers/models.js';
import { assertStrict } from '../helpers/strict.js';
import { HELM_MAJORS } from '../helpers/tools.js';
import { ENVIRONMENTS, SERVICE_NAMES, appRender, source } from './fixtures.js';
import releases from '../../generator/charts/releases.json' with { type: 'json' };

const expectedReplicas = { dev: 1, staging: 2, prod: 2 } as const;
const chartVersion = releases['restaurant-app'];

describe.each(HELM_MAJORS)('restaurant-app workloads on Helm %i', (helm) => {
  describe.each(ENVIRONMENTS)('in %s', (environment) => {
    let objects: KubeObject[];
    beforeAll(async () => {
      // GIVEN the chart with the environment's overlay, WHEN rendered
      objects = await render(appRender(helm, environment));
    });

    it('should render one Deployment, Service and ServiceAccount per service', () => {
      // THEN each service has its own objects, named after it
      const names = <T,>(model: TypedModel<T>) => all(objects, model).map((object) => (object as KubeObject).metadata?.name).sort();
      expect(names(Deployment)).toEqual(SERVICE_NAMES);
      expect(names(Service)).toEqual(SERVICE_NAMES);
      expect(names(ServiceAccount)).toEqual(SERVICE_NAMES);
      expect(names(ConfigMap)).toEqual(SERVICE_NAMES);
    });

    it('should hold one of each workload kind per service', () => {
      // THEN the counts per kind follow the environment (prod: 7 of each, HPAs and PDBs included)
      const perService = SERVICE_NAMES.length;
      const counts = countByKind(objects);
      expect({
        Deployment: counts.Deployment,
        Service: counts.Service,
        ServiceAccount: counts.ServiceAccount,
        ConfigMap: counts.ConfigMap,
        HorizontalPodAutoscaler: counts.HorizontalPodAutoscaler ?? 0,
        PodDisruptionBudget: counts.PodDisruptionBudget ?? 0,
        Secret: counts.Secret ?? 0,
      }).toEqual({
        Deployment: perService,
        Service: perService,
        ServiceAccount: perService,
        ConfigMap: perService,
        HorizontalPodAutoscaler: environment === 'prod' ? perService : 0,
        PodDisruptionBudget: environment === 'dev' ? 0 : perService,
        Secret: 0,
      });
    });

    it('should autoscale and protect against disruption only where the environment asks', () => {
      const hpas = all(objects, HorizontalPodAutoscaler);
      const pdbs = all(objects, PodDisruptionBudget);
      expect(hpas.map((hpa) => hpa.metadata?.name).sort()).toEqual(environment === 'prod' ? SERVICE_NAMES : []);
      expect(pdbs.map((pdb) => pdb.metadata?.name).sort()).toEqual(environment === 'dev' ? [] : SERVICE_NAMES);
      for (const hpa of hpas) {
        expect(hpa.spec?.minReplicas).toBe(2);
        expect(hpa.spec?.maxReplicas).toBe(10);
        expect(hpa.spec?.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: hpa.metadata?.name });
        // THEN the Deployment leaves the replica count to the HPA
        expect(mustGet(objects, Deployment, hpa.metadata!.name!).spec?.replicas).toBeUndefined();
      }
      for (const pdb of pdbs) {
        const pods = mustGet(objects, Deployment, pdb.metadata!.name!).spec!.template.metadata!.labels!;
        expect(pdb.spec?.maxUnavailable).toBe(1);
        expect(Object.entries(pdb.spec!.selector!.matchLabels!).every(([key, value]) => pods[key] === value)).toBe(true);
      }
    });

    it('should run the environment\'s replica count where no HPA manages it', () => {
      for (const deployment of all(objects, Deployment)) {
        if (environment !== 'prod') expect(deployment.spec?.replicas).toBe(expectedReplicas[environment]);
      }
    });

    it.each(SERVICE_NAMES)('should run %s under restricted Pod Security', (name) => {
      const pod = mustGet(objects, Deployment, name).spec!.template.spec!;
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(pod.serviceAccountName).toBe(name);
      for (const container of pod.containers) {
        expect(container.securityContext).toMatchObject({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          runAsNonRoot: true,
          capabilities: { drop: ['ALL'] },
        });
        expect(container.securityContext?.capabilities?.add).toBeUndefined();
        expect(container.securityContext?.privileged).toBeUndefined();
        // THEN the one writable place is a /tmp emptyDir
        const tmp = container.volumeMounts?.find((mount) => mount.mountPath === '/tmp');
        expect(pod.volumes?.find((volume) => volume.name === tmp?.name)?.emptyDir).toBeDefined();
      }
      expect(pod.hostNetwork ?? false).toBe(false);
      expect(pod.hostPID ?? false).toBe(false);
    });

    it.each(SERVICE_NAMES)('should give %s probes, resources, an image and scrape annotations', (name) => {
      const template = mustGet(objects, Deployment, name).spec!.template;
      const [container] = template.spec!.containers;
      expect(container?.livenessProbe?.httpGet).toBeDefined();
      expect(container?.readinessProbe?.httpGet).toBeDefined();
      expect(container?.startupProbe?.httpGet).toBeDefined();
      expect(container?.resources?.requests).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
      expect(container?.resources?.limits).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
      expect(container?.image).toBe(`${source.defaults.global.image.registry}/${name}:${chartVersion.appVersion}`);
      expect(template.metadata?.annotations?.['checksum/config']).toMatch(/^[a-f0-9]{64}$/);
      expect(template.metadata?.annotations).toMatchObject({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9090', 'prometheus.io/path': '/metrics' });
    });

    it.each(SERVICE_NAMES)('should label %s for Istio and Kubernetes tooling', (name) => {
      const deployment = mustGet(objects, Deployment, name);
      const labels = deployment.spec!.template.metadata!.labels!;
      expect(labels).toMatchObject({
        app: name,
        version: 'v1',
        'app.kubernetes.io/name': name,
        'app.kubernetes.io/instance': 'restaurant',
        'app.kubernetes.io/part-of': 'restaurant-platform',
        'app.kubernetes.io/managed-by': 'Helm',
        'helm.sh/chart': `restaurant-app-${chartVersion.version}`,
      });
      // THEN the selector is a subset of the pod labels
      for (const [key, value] of Object.entries(deployment.spec!.selector.matchLabels!)) expect(labels[key]).toBe(value);
    });

    it.each(SERVICE_NAMES)('should expose %s on protocol-named ports that reach its pods', (name) => {
      const service = mustGet(objects, Service, name);
      const pod = mustGet(objects, Deployment, name).spec!.template;
      const containerPorts = new Set(pod.spec!.containers.flatMap((container) => container.ports?.map((port) => port.name) ?? []));
      const declared = source.defaults.services[name]!.ports;
      expect(service.spec?.type).toBe('ClusterIP');
      expect(service.spec?.ports?.map((port) => port.name).sort()).toEqual(Object.keys(declared).sort());
      for (const port of service.spec!.ports!) {
        expect(port.name).toMatch(/^(http|http2|https|grpc|grpc-web|tcp|tls)(-|$)/);
        expect(port.name!.startsWith(port.appProtocol!)).toBe(true);
        expect(port.port).toBe(declared[port.name!]!.port);
        expect(containerPorts.has(String(port.targetPort))).toBe(true);
      }
      for (const [key, value] of Object.entries(service.spec!.selector!)) expect(pod.metadata!.labels![key]).toBe(value);
    });

    it.each(SERVICE_NAMES)('should configure %s from its ConfigMap: name, environment and the stores it uses', (name) => {
      const data = mustGet(objects, ConfigMap, name).data!;
      const stores = Object.entries(source.defaults.services[name]!.stores ?? {}).filter(([, used]) => used);
      const expected: Record<string, string> = { SERVICE_NAME: name, APP_ENV: environment };
      for (const [store] of stores) {
        const { host, port, envPrefix } = source.defaults.backingStores[store]!;
        expected[`${envPrefix}_HOST`] = `${host}.${source.defaults.global.namespaces.data}.svc.cluster.local`;
        expected[`${envPrefix}_PORT`] = String(port);
      }
      expect(data).toEqual(expected);
      const container = mustGet(objects, Deployment, name).spec!.template.spec!.containers[0]!;
      expect(container.envFrom).toEqual([{ configMapRef: { name } }]);
    });

    it('should spread pods across zones and nodes in prod only', () => {
      for (const deployment of all(objects, Deployment)) {
        const constraints = deployment.spec!.template.spec!.topologySpreadConstraints ?? [];
        expect(constraints.map((constraint) => constraint.topologyKey)).toEqual(
          environment === 'prod' ? ['topology.kubernetes.io/zone', 'kubernetes.io/hostname'] : [],
        );
      }
    });

    it('should pass the strict model check (no field the Kubernetes schema does not know)', () => {
      assertStrict(objects);
    });
  });
});
