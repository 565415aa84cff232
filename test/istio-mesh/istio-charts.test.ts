// What Sail asks of Istio takes effect: istio-mesh's Sail resources, turned into Helm values the
// way the Sail Operator 1.30.3 does (test/helpers/sail-istio.ts), rendered with Istio's own pinned
// istiod, cni and ztunnel charts, on Helm 3 and 4; the production checklist is asserted on the
// objects Istio would create, not on the values asked for.
import { describe, it, expect, beforeAll } from 'vitest';
import yaml from 'js-yaml';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Deployment, type IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import { DaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { IContainer } from 'kubernetes-models/v1/Container';
import { Telemetry } from '@kubernetes-models/istio/telemetry.istio.io/v1/Telemetry';
import '../helpers/sail.js';
import { render } from '../helpers/helm.js';
import { all, mustGet, type KubeObject } from '../helpers/models.js';
import { assertStrict } from '../helpers/strict.js';
import { upstreamChart } from '../helpers/upstream-charts.js';
import { HELM_MAJORS } from '../helpers/tools.js';
import { activeRevisionName, istiodValues, renderIstioCharts, ztunnelValues, type IstioChartsRender } from '../helpers/sail-istio.js';
import { meshRender, source } from './fixtures.js';
import { mergeValues } from '../../values-schemas/common/merge.js';
import { DEFAULT_RELEASE, istioTracingProvider, observabilityTopology } from '../../values-schemas/platform/topology.js';
import { globalDefaults } from '../../values-schemas/common/global.js';

/** Where the observability umbrella (release `observability`, default namespaces) receives OTLP. */
const topology = observabilityTopology({
  release: DEFAULT_RELEASE,
  namespace: globalDefaults.namespaces.observability,
  istioNamespace: globalDefaults.namespaces.istio,
});

/** The revision Sail names per environment: prod upgrades revision by revision (`<name>-<version>`), dev in place (`default` → ""). */
const EXPECTED_REVISION: Record<'prod' | 'dev', string> = { prod: 'default-v1-30-3', dev: '' };

const CASES = [
  ['prod', 'sidecar'],
  ['dev', 'sidecar'],
  ['prod', 'ambient'],
  ['dev', 'ambient'],
] as const;

/**
 * Resource quantities as the API server stores them: the istiod chart prints them unquoted
 * (`istiod.resources` in its `_helpers.tpl`), so `cpu: "2"` arrives as the number 2, which a
 * Quantity accepts and serialises as "2".
 */
const quantities = (resources: unknown): Record<string, Record<string, string>> =>
  Object.fromEntries(
    Object.entries((resources ?? {}) as Record<string, Record<string, unknown>>).map(([kind, list]) => [
      kind,
      Object.fromEntries(Object.entries(list).map(([name, value]) => [name, String(value)])),
    ]),
  );

/** A container's plain env values by name. */
const envOf = (container: IContainer | undefined): Record<string, string | undefined> =>
  Object.fromEntries((container?.env ?? []).map((variable) => [variable.name, variable.value]));

describe.each(HELM_MAJORS)('Istio charts as Sail installs istio-mesh, on Helm %i', (helm) => {
  describe.each(CASES)('in %s, %s mode', (environment, mode) => {
    const values = mergeValues(source.defaults, source.overlays[environment]);
    const cp = values.controlPlane;
    const istioNamespace = values.global.namespaces.istio;
    const revision = EXPECTED_REVISION[environment];
    const istiodName = revision ? `istiod-${revision}` : 'istiod';
    const suffix = revision ? `-${revision}` : '';
    let mesh: KubeObject[];
    let charts: IstioChartsRender;
    let istiod: IDeployment;
    beforeAll(async () => {
      // GIVEN istio-mesh rendered for the environment and mode on a cluster with Sail
      mesh = await render(meshRender(helm, environment, { set: [`mesh.mode=${mode}`] }));
      // WHEN Istio's charts are rendered with the values Sail derives from its resources
      charts = await renderIstioCharts(mesh, helm);
      istiod = mustGet(charts.istiod.objects, Deployment, istiodName);
    });

    it('should install istiod as the expected revision, in the control plane namespace', () => {
      expect(charts.revision).toBe(revision || 'default');
      expect(charts.istiod.namespace).toBe(istioNamespace);
      expect(istiod.metadata?.namespace).toBe(istioNamespace);
      const service = mustGet(charts.istiod.objects, Service, istiodName);
      expect(service.metadata?.namespace).toBe(istioNamespace);
      expect(service.spec?.ports?.map((port) => port.port)).toContain(15012);
      // THEN the Service selects the revision's istiod pods
      expect(istiod.spec?.template.metadata?.labels).toMatchObject(service.spec?.selector ?? { missing: 'selector' });
    });

    if (environment === 'prod') {
      it('should autoscale istiod from at least three replicas, as controlPlane.pilot asks', () => {
        const hpa = mustGet(charts.istiod.objects, HorizontalPodAutoscaler, istiodName);
        expect(hpa.spec?.minReplicas).toBeGreaterThanOrEqual(3);
        expect(hpa.spec?.minReplicas).toBe(cp.pilot.autoscaleMin);
        expect(hpa.spec?.maxReplicas).toBe(cp.pilot.autoscaleMax);
        expect(hpa.spec?.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: istiodName });
      });

      it('should keep istiod available through voluntary disruptions with a PodDisruptionBudget', () => {
        const pdb = mustGet(charts.istiod.objects, PodDisruptionBudget, istiodName);
        expect(pdb.metadata?.namespace).toBe(istioNamespace);
        // THEN the budget is the istiod chart's own (its defaults, under whatever Sail sets): minAvailable, unless maxUnavailable is given
        const chartDefaults = (
          yaml.load(readFileSync(path.join(upstreamChart('istiod'), 'values.yaml'), 'utf8')) as {
            _internal_defaults_do_not_set: { pdb: Record<string, unknown> };
          }
        )._internal_defaults_do_not_set.pdb;
        const budget = mergeValues(chartDefaults, (charts.istiod.values as { pdb?: Record<string, unknown> }).pdb ?? {});
        expect({ minAvailable: pdb.spec?.minAvailable, maxUnavailable: pdb.spec?.maxUnavailable }).toEqual(
          'maxUnavailable' in budget
            ? { minAvailable: undefined, maxUnavailable: budget.maxUnavailable }
            : { minAvailable: budget.minAvailable, maxUnavailable: undefined },
        );
        expect(istiod.spec?.template.metadata?.labels).toMatchObject(pdb.spec?.selector?.matchLabels ?? { missing: 'selector' });
      });
    } else {
      it('should run the fixed istiod replica count without autoscaler or PodDisruptionBudget', () => {
        expect(istiod.spec?.replicas).toBe(cp.pilot.replicaCount);
        expect(all(charts.istiod.objects, HorizontalPodAutoscaler)).toEqual([]);
        expect(all(charts.istiod.objects, PodDisruptionBudget)).toEqual([]);
      });
    }

    it('should size istiod with controlPlane.pilot.resources', () => {
      const discovery = istiod.spec?.template.spec?.containers.find((container) => container.name === 'discovery');
      expect(quantities(discovery?.resources)).toEqual(quantities(cp.pilot.resources));
    });

    it('should inject proxies sized with controlPlane.proxy.resources', () => {
      const injector = mustGet(charts.istiod.objects, ConfigMap, `istio-sidecar-injector${suffix}`);
      const injection = JSON.parse(injector.data?.values ?? '{}') as {
        global?: { proxy?: { resources?: unknown } };
        pilot?: { cni?: { enabled?: boolean } };
        revision?: string;
      };
      expect(injection.global?.proxy?.resources).toEqual(cp.proxy.resources);
      expect(injection.revision).toBe(revision);
      // THEN sidecar pods get their redirection from the CNI agent, not a privileged init container
      if (mode === 'sidecar') expect(injection.pilot?.cni?.enabled).toBe(true);
    });

    it('should log access to stdout, export traces to the collector and keep the trust domain', () => {
      const config = yaml.load(mustGet(charts.istiod.objects, ConfigMap, `istio${suffix}`).data?.mesh ?? '') as Record<string, any>;
      expect(config).toMatchObject({
        accessLogFile: '/dev/stdout',
        accessLogEncoding: cp.accessLog.encoding,
        trustDomain: 'cluster.local',
        rootNamespace: istioNamespace,
      });
      expect(config.extensionProviders).toContainEqual(istioTracingProvider(topology));
      expect(config.defaultConfig.discoveryAddress).toBe(`${istiodName}.${istioNamespace}.svc:15012`);
      // THEN the mesh Telemetry samples at the environment's rate through a provider the mesh config defines
      const telemetry = mustGet(mesh, Telemetry, 'mesh-default');
      const [tracing] = telemetry.spec?.tracing ?? [];
      expect(tracing?.randomSamplingPercentage).toBe(values.tracing.samplingPercentage);
      expect(config.extensionProviders.map((provider: { name: string }) => provider.name)).toContain(tracing?.providers?.[0]?.name);
    });

    it(`should run the CNI agent in ${values.cni.namespace}${mode === 'ambient' ? ' with ambient capture' : ' without ambient capture'}`, () => {
      expect(charts.cni?.namespace).toBe(values.cni.namespace);
      mustGet(charts.cni?.objects ?? [], DaemonSet, 'istio-cni-node');
      expect(mustGet(charts.cni?.objects ?? [], ConfigMap, 'istio-cni-config').data?.AMBIENT_ENABLED).toBe(String(mode === 'ambient'));
    });

    if (mode === 'ambient') {
      it("should point ztunnel at the revision's istiod Service for certificates and xDS", () => {
        expect(charts.ztunnel?.namespace).toBe(values.ztunnel.namespace);
        const ztunnel = mustGet(charts.ztunnel?.objects ?? [], DaemonSet, 'ztunnel');
        const env = envOf(ztunnel.spec?.template.spec?.containers.find((container) => container.name === 'istio-proxy'));
        expect({ CA_ADDRESS: env.CA_ADDRESS, XDS_ADDRESS: env.XDS_ADDRESS }).toEqual({
          CA_ADDRESS: `${istiodName}.${istioNamespace}.svc:15012`,
          XDS_ADDRESS: `${istiodName}.${istioNamespace}.svc:15012`,
        });
      });

      it("should make istiod trust ztunnel's service account in ztunnel's namespace, with ambient on", () => {
        const ztunnel = mustGet(charts.ztunnel?.objects ?? [], DaemonSet, 'ztunnel');
        const account = ztunnel.spec?.template.spec?.serviceAccountName ?? '<none>';
        expect(mustGet(charts.ztunnel?.objects ?? [], ServiceAccount, account).metadata?.namespace).toBe(values.ztunnel.namespace);
        const env = envOf(istiod.spec?.template.spec?.containers.find((container) => container.name === 'discovery'));
        expect(env.CA_TRUSTED_NODE_ACCOUNTS).toBe(`${values.ztunnel.namespace}/${account}`);
        expect(env.PILOT_ENABLE_AMBIENT).toBe('true');
      });
    } else {
      it('should install no ztunnel', () => {
        expect(charts.ztunnel).toBeUndefined();
      });
    }

    it('should render only objects that pass the strict model check and the Kubernetes API rules', () => {
      assertStrict([...charts.istiod.objects, ...(charts.cni?.objects ?? []), ...(charts.ztunnel?.objects ?? [])]);
    });
  });
});

describe('the values Sail derives', () => {
  const istio = (updateStrategy: string, extra: Record<string, unknown> = {}): KubeObject => ({
    apiVersion: 'sailoperator.io/v1',
    kind: 'Istio',
    metadata: { name: 'mesh' },
    spec: { version: 'v1.30.3', namespace: 'cp', updateStrategy: { type: updateStrategy }, ...extra },
  });

  it.each([
    ['InPlace', 'mesh'],
    ['RevisionBased', 'mesh-v1-30-3'],
  ])('should name the revision of an Istio updated %s %s', (strategy, expected) => {
    expect(activeRevisionName(istio(strategy))).toBe(expected);
  });

  it('should let spec.values override the profile, and its own overrides win over spec.values', () => {
    // GIVEN spec.values that set what the default profile and Sail's overrides also set
    const values = istiodValues(
      istio('InPlace', { values: { revision: 'other', defaultRevision: 'x', global: { istioNamespace: 'elsewhere', configValidation: false } } }),
    );
    // THEN the user's value beats the profile, but revision, namespace and defaultRevision are Sail's
    expect(values).toMatchObject({ revision: 'mesh', global: { istioNamespace: 'cp', configValidation: false } });
    expect(values).not.toHaveProperty('defaultRevision');
  });

  it('should give ztunnel only global, meshConfig and revision of the referenced revision', () => {
    const revision = istiodValues(istio('RevisionBased', { values: { pilot: { autoscaleMin: 3 }, meshConfig: { accessLogFile: '/dev/stdout' } } }));
    const ztunnel: KubeObject = {
      apiVersion: 'sailoperator.io/v1',
      kind: 'ZTunnel',
      metadata: { name: 'default' },
      spec: { version: 'v1.30.3', namespace: 'zt', targetRef: { kind: 'Istio', name: 'mesh' } },
    };
    const values = ztunnelValues(ztunnel, revision);
    expect(values).toMatchObject({
      profile: 'ambient',
      revision: 'mesh-v1-30-3',
      global: { istioNamespace: 'cp' },
      meshConfig: { accessLogFile: '/dev/stdout' },
    });
    expect(values).not.toHaveProperty('pilot');
  });

  it('should refuse a ZTunnel targetRef without the revision it resolves to', () => {
    const ztunnel: KubeObject = {
      apiVersion: 'sailoperator.io/v1',
      kind: 'ZTunnel',
      metadata: { name: 'default' },
      spec: { version: 'v1.30.3', namespace: 'zt', targetRef: { kind: 'Istio', name: 'mesh' } },
    };
    expect(() => ztunnelValues(ztunnel)).toThrow(/targetRef/);
  });
});
