// Security and upgrade behaviour of the real observability umbrella (pinned upstream charts), on
// Helm 3 and 4 in every environment: least-privilege RBAC, stable Kiali signing key and namespace
// scope under `helm template`, Grafana's rollout on a ReadWriteOnce volume, Jaeger's metrics
// endpoint reachable where the chart advertises it.
import { describe, it, expect, beforeAll } from 'vitest';
import yaml from 'js-yaml';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { render } from '../helpers/helm.js';
import { all, mustGet, type KubeObject } from '../helpers/models.js';
import { Service } from 'kubernetes-models/v1/Service';
import { HELM_MAJORS } from '../helpers/tools.js';
import { ENVIRONMENTS, globalDefaults, type Environment } from '../../values-schemas/common/global.js';
import { KIALI_SIGNING_SECRET, JAEGER_METRICS_PORT, NODE_EXPORTER_NAMESPACE } from '../../values-schemas/observability/index.js';
import { podSpecOf, restrictedViolations } from '../helpers/pod-security.js';
import { OBSERVABILITY_NAMESPACE, expectedServices, expectedWorkloads, umbrellaRender, umbrellaValues } from './fixtures.js';

/** Kiali's read-only ClusterRole, as the pinned kiali-server chart names it. */
const KIALI_VIEWER_ROLE = 'ClusterRole/kiali-viewer';

/**
 * The RBAC roles (`Kind/name`) an environment renders: a ClusterRole for each component that reads
 * the cluster (Alloy's pod discovery, Loki's, kube-state-metrics, the Prometheus server, Kiali's
 * viewer), and Grafana's Role in its own namespace where its values ask for namespaced RBAC.
 */
function expectedRoles(environment: Environment): string[] {
  const values = umbrellaValues(environment);
  const on = (component: string) => values.components[component].enabled === true;
  return [
    ...(on('alloy') ? [`ClusterRole/${values.alloy.fullnameOverride}`] : []),
    ...(on('loki') ? [`ClusterRole/${values.loki.fullnameOverride}-clusterrole`] : []),
    ...(on('prometheus') && values.prometheus['kube-state-metrics'].enabled ? [`ClusterRole/${values.prometheus['kube-state-metrics'].fullnameOverride}`] : []),
    ...(on('prometheus') ? [`ClusterRole/${values.prometheus.server.fullnameOverride}`] : []),
    ...(on('kiali-server') ? [KIALI_VIEWER_ROLE] : []),
    ...(on('grafana') ? [`${values.grafana.rbac.namespaced ? 'Role' : 'ClusterRole'}/${values.grafana.fullnameOverride}`] : []),
  ].sort();
}

interface Rule {
  apiGroups?: string[];
  resources?: string[];
  verbs?: string[];
}
const readsSecrets = (rule: Rule) =>
  (rule.apiGroups ?? []).includes('') && (rule.resources ?? []).some((resource) => resource === 'secrets' || resource === '*');

describe.each(HELM_MAJORS)('observability umbrella security on Helm %i', (helm) => {
  const rendered = new Map<Environment, KubeObject[]>();
  beforeAll(async () => {
    for (const environment of ENVIRONMENTS) rendered.set(environment, await render(umbrellaRender(helm, environment)));
  });

  it.each(ENVIRONMENTS)('should let no ClusterRole read Secrets, and a Role only in the observability namespace, in %s', (environment) => {
    const roles = rendered.get(environment)!.filter((object) => object.kind === 'ClusterRole' || object.kind === 'Role') as Array<
      KubeObject & { rules?: Rule[] }
    >;
    // (the roles judged are every component's: one per workload that talks to the API server)
    expect(roles.map((role) => `${role.kind}/${role.metadata?.name}`).sort()).toEqual(expectedRoles(environment));
    const clusterWide = roles.filter((role) => role.kind === 'ClusterRole' && (role.rules ?? []).some(readsSecrets)).map((role) => role.metadata?.name);
    expect(clusterWide).toEqual([]);
    for (const role of roles.filter((entry) => entry.kind === 'Role' && (entry.rules ?? []).some(readsSecrets))) {
      expect(role.metadata?.namespace ?? OBSERVABILITY_NAMESPACE, role.metadata?.name).toBe(OBSERVABILITY_NAMESPACE);
    }
  });

  it.each(ENVIRONMENTS)('should expose no Service outside the cluster in %s', (environment) => {
    const services = all(rendered.get(environment)!, Service);
    expect(services.map((service) => service.metadata?.name).sort()).toEqual(expectedServices(environment));
    expect(
      services
        .filter((service) => service.spec?.type !== undefined && service.spec.type !== 'ClusterIP')
        .map((service) => `${service.metadata?.name}: ${service.spec?.type}`),
    ).toEqual([]);
  });

  it.each(ENVIRONMENTS)('should give Kiali only read rights, anonymous dev included, in %s', (environment) => {
    const kialiRoles = rendered.get(environment)!.filter((object) => /Role$/.test(object.kind) && /^kiali/.test(object.metadata?.name ?? '')) as Array<
      KubeObject & { rules?: Rule[] }
    >;
    // (Kiali's chart gives its viewer role whatever the auth strategy: cluster-wide read access is asked for)
    expect(kialiRoles.map((role) => `${role.kind}/${role.metadata?.name}`)).toEqual([KIALI_VIEWER_ROLE]);
    const writes = kialiRoles.flatMap((role) =>
      (role.rules ?? [])
        .filter((rule) => (rule.verbs ?? []).some((verb) => ['create', 'update', 'patch', 'delete', 'deletecollection', '*'].includes(verb)))
        .map((rule) => `${role.metadata?.name}: ${rule.resources?.join(',')}`),
    );
    // Kiali's viewer role still creates port forwards (to read a proxy's Envoy config) and token
    // reviews (the token login): nothing that changes a workload or the mesh.
    expect(writes).toEqual(['kiali-viewer: pods/portforward', 'kiali-viewer: tokenreviews']);
  });

  it.each(ENVIRONMENTS)('should give Kiali a signing key from a Secret and the platform namespaces without lookup in %s', (environment) => {
    const objects = rendered.get(environment)!;
    const config = yaml.load(mustGet(objects, ConfigMap, 'kiali').data!['config.yaml']!) as {
      login_token: { signing_key: string };
      deployment: { cluster_wide_access: boolean; discovery_selectors: { default: Array<{ matchExpressions: Array<{ values: string[] }> }> } };
    };
    // A random key per render would log everyone out on every upgrade and never match in GitOps.
    expect(config.login_token.signing_key).toBe(`secret:${KIALI_SIGNING_SECRET.name}:${KIALI_SIGNING_SECRET.key}`);
    const kiali = mustGet(objects, Deployment, 'kiali').spec!.template.spec!;
    expect(
      kiali.volumes!.some((volume) => volume.secret?.secretName === KIALI_SIGNING_SECRET.name && volume.secret.items?.[0]?.key === KIALI_SIGNING_SECRET.key),
    ).toBe(true);
    // Under helm template the chart's namespace lookup sees nothing; the selectors must carry the scope themselves.
    expect(config.deployment.cluster_wide_access).toBe(true);
    const namespaces = config.deployment.discovery_selectors.default.flatMap((selector) =>
      selector.matchExpressions.flatMap((expression) => expression.values),
    );
    expect(namespaces.sort()).toEqual(
      Object.values({ ...globalDefaults.namespaces, data: undefined })
        .filter(Boolean)
        .sort(),
    );
  });

  it("should render Kiali's configuration identically twice", async () => {
    // GIVEN two renders that cannot share a memo (different, irrelevant --set)
    const [first, second] = await Promise.all([
      render(umbrellaRender(helm, 'prod', { set: ['grafana.podAnnotations.render=one'] })),
      render(umbrellaRender(helm, 'prod', { set: ['grafana.podAnnotations.render=two'] })),
    ]);
    expect(mustGet(first, ConfigMap, 'kiali').data).toEqual(mustGet(second, ConfigMap, 'kiali').data);
  });

  it.each(ENVIRONMENTS)('should roll Grafana out with Recreate where it has a ReadWriteOnce volume in %s', (environment) => {
    const objects = rendered.get(environment)!;
    const grafana = mustGet(objects, Deployment, 'observability-grafana');
    const claim = objects.find((object) => object.kind === 'PersistentVolumeClaim' && object.metadata?.name === 'observability-grafana') as
      | (KubeObject & { spec: { accessModes: string[] } })
      | undefined;
    // THEN a claim exists exactly where the values ask for persistence (not in dev)
    if (umbrellaValues(environment).grafana.persistence.enabled) expect(claim!.spec.accessModes).toContain('ReadWriteOnce');
    else expect(claim).toBeUndefined();
    expect(grafana.spec!.strategy!.type).toBe(claim ? 'Recreate' : 'RollingUpdate');
  });

  it.each(ENVIRONMENTS)("should serve Jaeger's metrics on all interfaces at the port its scrape annotation names in %s", (environment) => {
    const objects = rendered.get(environment)!;
    const jaeger = mustGet(objects, Deployment, 'observability-jaeger').spec!.template;
    expect(jaeger.metadata!.annotations!['prometheus.io/scrape']).toBe('true');
    const advertised = Number(jaeger.metadata!.annotations!['prometheus.io/port']);
    const config = yaml.load(mustGet(objects, ConfigMap, 'user-config').data!['user-config.yaml']!) as {
      service: { telemetry: { metrics: { readers: Array<{ pull: { exporter: { prometheus: { host: string; port: number } } } }> } } };
    };
    const listener = config.service.telemetry.metrics.readers[0]!.pull.exporter.prometheus;
    expect(listener).toEqual({ host: '0.0.0.0', port: advertised });
    expect(advertised).toBe(JAEGER_METRICS_PORT);
  });
});

describe.each(HELM_MAJORS)('observability workloads under Pod Security on Helm %i', (helm) => {
  it('should find a violation in a pod that breaks the restricted profile (the check can fail)', () => {
    expect(restrictedViolations({ hostPID: true, containers: [{ name: 'c', securityContext: { runAsNonRoot: true } }] })).toEqual([
      'hostPID',
      'c: securityContext.allowPrivilegeEscalation must be false',
      'c: securityContext.capabilities.drop must include ALL',
      'c: securityContext.seccompProfile.type must be RuntimeDefault or Localhost',
    ]);
  });

  it.each(ENVIRONMENTS)('should run every workload of the observability namespace under restricted, the node exporter isolated, in %s', async (environment) => {
    const objects = await render(umbrellaRender(helm, environment));
    const workloads = objects.filter((object) => podSpecOf(object) !== undefined);
    expect(workloads.map((object) => `${object.kind}/${object.metadata?.name}`).sort()).toEqual(expectedWorkloads(environment));
    for (const workload of workloads) {
      const namespace = workload.metadata?.namespace ?? OBSERVABILITY_NAMESPACE;
      if (namespace === OBSERVABILITY_NAMESPACE) expect(restrictedViolations(podSpecOf(workload)!), `${workload.kind}/${workload.metadata?.name}`).toEqual([]);
      else
        expect(`${workload.kind}/${workload.metadata?.name} in ${namespace}`).toBe(
          `DaemonSet/observability-prometheus-node-exporter in ${NODE_EXPORTER_NAMESPACE}`,
        );
    }
  });
});
