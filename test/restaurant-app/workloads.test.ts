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
import { ENVIRONMENTS, SERVICE_NAMES, appRender, serviceSettings, source } from './fixtures.js';
import releases from '../../generator/charts/releases.json' with { type: 'json' };

const chartVersion = releases['restaurant-app'];

describe.each(HELM_MAJORS)('restaurant-app workloads on Helm %i', (helm) => {
  describe.each(ENVIRONMENTS)('in %s', (environment) => {
    /** Each service's settings in this environment, as the chart merges them. */
    const settings = (name: string) => serviceSettings(environment, name);
    const autoscaled = SERVICE_NAMES.filter((name) => settings(name).autoscaling.enabled);
    const budgeted = SERVICE_NAMES.filter((name) => settings(name).podDisruptionBudget.enabled);
    let objects: KubeObject[];
    beforeAll(async () => {
      // GIVEN the chart with the environment's overlay, WHEN rendered
      objects = await render(appRender(helm, environment));
    });

    it('should render one Deployment, Service and ServiceAccount per service', () => {
      // THEN each service has its own objects, named after it
      const names = <T>(model: TypedModel<T>) =>
        all(objects, model)
          .map((object) => (object as KubeObject).metadata?.name)
          .sort();
      expect(names(Deployment)).toEqual(SERVICE_NAMES);
      expect(names(Service)).toEqual(SERVICE_NAMES);
      expect(names(ServiceAccount)).toEqual(SERVICE_NAMES);
      expect(names(ConfigMap)).toEqual(SERVICE_NAMES);
    });

    it('should hold one of each workload kind per service', () => {
      // THEN the counts per kind follow the environment's values (an HPA and a PDB where a service turns them on)
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
        HorizontalPodAutoscaler: autoscaled.length,
        PodDisruptionBudget: budgeted.length,
        Secret: 0,
      });
    });

    it('should autoscale and protect against disruption only where the environment asks', () => {
      const hpas = all(objects, HorizontalPodAutoscaler);
      const pdbs = all(objects, PodDisruptionBudget);
      // THEN exactly the services whose values turn them on have them (prod: all of them, staging: budgets only, dev: none)
      expect(hpas.map((hpa) => hpa.metadata?.name).sort()).toEqual(autoscaled);
      expect(pdbs.map((pdb) => pdb.metadata?.name).sort()).toEqual(budgeted);
      for (const hpa of hpas) {
        const { minReplicas, maxReplicas } = settings(hpa.metadata!.name!).autoscaling;
        expect(hpa.spec?.minReplicas).toBe(minReplicas);
        expect(hpa.spec?.maxReplicas).toBe(maxReplicas);
        expect(hpa.spec?.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: hpa.metadata?.name });
        // THEN the Deployment leaves the replica count to the HPA
        expect(mustGet(objects, Deployment, hpa.metadata!.name!).spec?.replicas).toBeUndefined();
      }
      for (const pdb of pdbs) {
        const pods = mustGet(objects, Deployment, pdb.metadata!.name!).spec!.template.metadata!.labels!;
        expect(pdb.spec?.maxUnavailable).toBe(settings(pdb.metadata!.name!).podDisruptionBudget.maxUnavailable);
        expect(Object.entries(pdb.spec!.selector!.matchLabels!).every(([key, value]) => pods[key] === value)).toBe(true);
      }
    });

    it.each(SERVICE_NAMES)('should run %s at the replica count of its values, or leave the count to its HPA', (name) => {
      // GIVEN the service's settings in this environment (prod: autoscaled, so no fixed count)
      const { replicas, autoscaling } = settings(name);
      // THEN the Deployment runs that many pods, or names no count where an HPA manages it
      expect(mustGet(objects, Deployment, name).spec?.replicas).toBe(autoscaling.enabled ? undefined : replicas);
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
        // THEN the one writable place is a size-limited /tmp emptyDir
        expect(container.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
        expect(pod.volumes).toEqual([{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }]);
      }
      expect(pod.hostNetwork ?? false).toBe(false);
      expect(pod.hostPID ?? false).toBe(false);
    });

    it.each(SERVICE_NAMES)('should give %s the probes, resources, image and scrape annotations of its values', (name) => {
      // GIVEN the service's settings: its probes aim at its first port by name (the chart takes the names in order)
      const { probes, resources, metrics, ports } = settings(name);
      const port = Object.keys(ports).sort()[0]!;
      const probe = (config: (typeof probes)['liveness']) =>
        config.enabled
          ? {
              httpGet: { path: config.path, port },
              initialDelaySeconds: config.initialDelaySeconds,
              periodSeconds: config.periodSeconds,
              timeoutSeconds: config.timeoutSeconds,
              failureThreshold: config.failureThreshold,
            }
          : undefined;
      const template = mustGet(objects, Deployment, name).spec!.template;
      const [container] = template.spec!.containers;
      // THEN each probe is the one the values describe
      expect(
        JSON.parse(JSON.stringify({ liveness: container?.livenessProbe, readiness: container?.readinessProbe, startup: container?.startupProbe })),
      ).toEqual(JSON.parse(JSON.stringify({ liveness: probe(probes.liveness), readiness: probe(probes.readiness), startup: probe(probes.startup) })));
      expect(container?.resources).toEqual(resources);
      expect(container?.image).toBe(`${source.defaults.global.image.registry}/${name}:${chartVersion.appVersion}`);
      expect(template.metadata?.annotations?.['checksum/config']).toMatch(/^[a-f0-9]{64}$/);
      expect(template.metadata?.annotations).toMatchObject({
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': String(metrics.port),
        'prometheus.io/path': metrics.path,
      });
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

    it.each(SERVICE_NAMES)('should spread %s across zones and nodes where its values ask (prod)', (name) => {
      const { topologySpread } = settings(name);
      const constraints = mustGet(objects, Deployment, name).spec!.template.spec!.topologySpreadConstraints ?? [];
      expect(constraints.map((constraint) => [constraint.topologyKey, constraint.maxSkew, constraint.whenUnsatisfiable])).toEqual(
        topologySpread.enabled
          ? ['topology.kubernetes.io/zone', 'kubernetes.io/hostname'].map((key) => [key, topologySpread.maxSkew, topologySpread.whenUnsatisfiable])
          : [],
      );
    });

    it('should pass the strict model check (no field the Kubernetes schema does not know)', () => {
      assertStrict(objects);
    });
  });
});
