// istio-mesh: the Sail control plane and the mesh-wide configuration per environment, on Helm 3
// and 4. Istio kinds are checked by their models (strictly); the Sail kinds by test/helpers/sail.ts.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { PeerAuthentication } from '@kubernetes-models/istio/security.istio.io/v1/PeerAuthentication';
import { AuthorizationPolicy } from '@kubernetes-models/istio/security.istio.io/v1/AuthorizationPolicy';
import { Telemetry } from '@kubernetes-models/istio/telemetry.istio.io/v1/Telemetry';
import { Gateway } from '@kubernetes-models/istio/networking.istio.io/v1/Gateway';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import '../helpers/sail.js';
import { render, renderError } from '../helpers/helm.js';
import { describeRejectedValues } from '../helpers/rejected.js';
import { all, mustGet, countByKind, type KubeObject } from '../helpers/models.js';
import { canonical } from '../restaurant-platform/fixtures.js';
import { assertStrict } from '../helpers/strict.js';
import { HELM_MAJORS } from '../helpers/tools.js';
import { sailFindings } from '../helpers/sail.js';
import { ENVIRONMENTS, meshRender, source, valuesOf } from './fixtures.js';
import { DEFAULT_RELEASE, ISTIO_TRACING_PROVIDER, istioTracingProvider, observabilityTopology } from '../../values-schemas/platform/topology.js';
import { globalDefaults } from '../../values-schemas/common/global.js';

/** Where the observability umbrella (release `observability`, default namespaces) receives OTLP. */
const topology = observabilityTopology({
  release: DEFAULT_RELEASE,
  namespace: globalDefaults.namespaces.observability,
  istioNamespace: globalDefaults.namespaces.istio,
});

const rendered: KubeObject[] = [];
afterAll(() => {
  // THEN no Istio object has a field its model does not know
  assertStrict(rendered);
});

/** The Sail object of a kind (cluster-scoped, one per kind). */
const sail = (objects: readonly KubeObject[], kind: string) =>
  objects.find((object) => object.apiVersion === 'sailoperator.io/v1' && object.kind === kind) as (KubeObject & { spec: Record<string, any> }) | undefined;

/** The objects of the ingress gateway's pods, in every environment. */
const GATEWAY_POD_KINDS = { Deployment: 1, Service: 1, ServiceAccount: 1, Role: 1, RoleBinding: 1 } as const;

describe.each(HELM_MAJORS)('istio-mesh on Helm %i', (helm) => {
  describe.each(ENVIRONMENTS)('in %s', (environment) => {
    /** The values this environment renders with. */
    const values = valuesOf(environment);
    const revisionBased = values.controlPlane.updateStrategy.type === 'RevisionBased';
    let objects: KubeObject[];
    beforeAll(async () => {
      // GIVEN the chart with the environment's overlay and a cluster with Sail, WHEN rendered
      objects = await render(meshRender(helm, environment));
      rendered.push(...objects);
    });

    it('should render the Sail control plane and the mesh-wide objects', () => {
      expect(countByKind(objects)).toEqual({
        Istio: 1,
        IstioCNI: 1,
        // A revision tag where upgrades go revision by revision (prod)
        ...(revisionBased ? { IstioRevisionTag: 1 } : {}),
        PeerAuthentication: 2,
        Telemetry: 1,
        Gateway: 1,
        // The ingress gateway's pods (test/istio-mesh/gateway.test.ts)
        ...GATEWAY_POD_KINDS,
        // An autoscaler where the gateway autoscales, a budget from two pods on (staging and prod)
        ...(values.ingressGateway.pods.autoscaling.enabled ? { HorizontalPodAutoscaler: 1 } : {}),
        ...((values.ingressGateway.pods.autoscaling.enabled ? values.ingressGateway.pods.autoscaling.minReplicas : values.ingressGateway.pods.replicas) >= 2
          ? { PodDisruptionBudget: 1 }
          : {}),
      });
    });

    it('should install a supported Istio version with the default profile', () => {
      const istio = sail(objects, 'Istio')!;
      expect(istio.spec.version).toBe(source.defaults.controlPlane.version);
      expect(istio.spec.namespace).toBe('istio-system');
      expect(istio.spec.profile).toBe('default');
      // THEN injected pods use the CNI agent (restricted Pod Security), not a privileged init container
      expect(istio.spec.values.pilot.cni).toEqual({ enabled: true });
      expect(sail(objects, 'IstioCNI')!.spec).toEqual({ version: istio.spec.version, namespace: 'istio-cni' });
    });

    it('should size istiod and the proxies for the environment', () => {
      // GIVEN the environment's controlPlane values (dev: one fixed replica; staging 2-3 and prod 3-5 autoscaled)
      const { pilot: expected, proxy } = values.controlPlane;
      const { pilot, global } = sail(objects, 'Istio')!.spec.values;
      // THEN istiod autoscales between the bounds, or runs the fixed count, with the resources asked for
      const scaling = expected.autoscaleEnabled
        ? { autoscaleEnabled: true, autoscaleMin: expected.autoscaleMin, autoscaleMax: expected.autoscaleMax, replicaCount: undefined }
        : { autoscaleEnabled: false, autoscaleMin: undefined, autoscaleMax: undefined, replicaCount: expected.replicaCount };
      expect({
        autoscaleEnabled: pilot.autoscaleEnabled,
        autoscaleMin: pilot.autoscaleMin,
        autoscaleMax: pilot.autoscaleMax,
        replicaCount: pilot.replicaCount,
      }).toEqual(scaling);
      expect(pilot.resources).toEqual(expected.resources);
      // AND the proxies get the environment's proxy resources
      expect(global.proxy.resources).toEqual(proxy.resources);
    });

    it('should upgrade revision by revision in prod only, with a tag that follows the active revision', () => {
      const istio = sail(objects, 'Istio')!;
      expect(revisionBased).toBe(environment === 'prod');
      if (revisionBased) {
        expect(istio.spec.updateStrategy).toEqual(values.controlPlane.updateStrategy);
        expect(sail(objects, 'IstioRevisionTag')!.metadata?.name).toBe(values.controlPlane.revisionTag);
        expect(sail(objects, 'IstioRevisionTag')!.spec).toEqual({ targetRef: { kind: 'Istio', name: values.controlPlane.name } });
      } else {
        expect(istio.spec.updateStrategy).toEqual({ type: 'InPlace' });
        expect(sail(objects, 'IstioRevisionTag')).toBeUndefined();
      }
    });

    it("should log access as JSON to stdout and trace through OpenTelemetry at the environment's rate", () => {
      const meshConfig = sail(objects, 'Istio')!.spec.values.meshConfig;
      expect(meshConfig).toMatchObject({ accessLogFile: '/dev/stdout', accessLogEncoding: 'JSON' });
      // THEN spans go to the Jaeger Service the observability umbrella creates (from the topology, not a literal)
      expect(meshConfig.extensionProviders).toEqual([istioTracingProvider(topology)]);
      const telemetry = mustGet(objects, Telemetry, 'mesh-default');
      expect(telemetry.metadata?.namespace).toBe('istio-system');
      expect(telemetry.spec?.tracing).toEqual([{ providers: [{ name: ISTIO_TRACING_PROVIDER }], randomSamplingPercentage: values.tracing.samplingPercentage }]);
      expect(telemetry.spec?.accessLogging).toEqual([{ providers: [{ name: 'envoy' }] }]);
    });

    it('should require STRICT mTLS mesh-wide, except plain-text health checks on the gateway status port', () => {
      const root = mustGet(objects, PeerAuthentication, 'default');
      expect(root.metadata?.namespace).toBe('istio-system');
      expect(root.spec).toEqual({ mtls: { mode: 'STRICT' } });
      const health = mustGet(objects, PeerAuthentication, 'ingress-gateway-health');
      expect(health.metadata?.namespace).toBe('istio-ingress');
      expect(health.spec).toEqual({
        selector: { matchLabels: { istio: 'ingressgateway' } },
        mtls: { mode: 'STRICT' },
        portLevelMtls: { 15021: { mode: 'PERMISSIVE' } },
      });
    });

    it('should serve the domain on HTTPS with the credential, redirecting HTTP outside dev', () => {
      const gateway = mustGet(objects, Gateway, 'ingress-gateway');
      const host = `${values.global.namespaces.app}/${values.global.domain}`;
      const [http, https] = gateway.spec!.servers!;
      expect(http).toMatchObject({ port: { number: 80, protocol: 'HTTP' }, hosts: [host] });
      expect(http!.tls).toEqual(values.ingressGateway.httpsRedirect ? { httpsRedirect: true } : undefined);
      expect(values.ingressGateway.httpsRedirect).toBe(environment !== 'dev');
      expect(https).toEqual({
        port: { number: 443, name: 'https', protocol: 'HTTPS' },
        hosts: [host],
        tls: { mode: 'SIMPLE', credentialName: values.ingressGateway.credentialName },
      });
    });
  });

  describe('variants', () => {
    it('should install the ambient data plane: profile ambient, IstioCNI ambient and ZTunnel', async () => {
      const objects = await render(meshRender(helm, 'prod', { set: ['mesh.mode=ambient'] }));
      rendered.push(...objects);
      expect(sail(objects, 'Istio')!.spec.profile).toBe('ambient');
      expect(sail(objects, 'Istio')!.spec.values.pilot.cni).toBeUndefined();
      expect(sail(objects, 'IstioCNI')!.spec).toEqual({ version: 'v1.30.3', namespace: 'istio-cni', profile: 'ambient' });
      // AND ztunnel follows the control plane's active revision (under RevisionBased, istiod-<revision>)
      expect(sail(objects, 'ZTunnel')!.spec).toEqual({
        version: 'v1.30.3',
        namespace: 'ztunnel',
        targetRef: { kind: 'Istio', name: source.defaults.controlPlane.name },
      });
      // AND istiod trusts ztunnel's identity from ztunnel's own namespace
      expect(sail(objects, 'Istio')!.spec.values.pilot.trustedZtunnelNamespace).toBe(source.defaults.ztunnel.namespace);
    });

    it('should trust no ztunnel namespace in sidecar mode', async () => {
      const objects = await render(meshRender(helm, 'prod'));
      expect(sail(objects, 'Istio')!.spec.values.pilot.trustedZtunnelNamespace).toBeUndefined();
    });

    it('should render no Sail resource when the control plane is installed by other means', async () => {
      const objects = await render(
        meshRender(helm, 'prod', { set: ['controlPlane.installer=none'], apiVersions: [...(await import('../helpers/api-versions.js')).ISTIO_API_VERSIONS] }),
      );
      rendered.push(...objects);
      expect(objects.filter((object) => object.apiVersion.startsWith('sailoperator.io/'))).toEqual([]);
      expect(countByKind(objects)).toEqual({
        PeerAuthentication: 2,
        Telemetry: 1,
        Gateway: 1,
        ...GATEWAY_POD_KINDS,
        HorizontalPodAutoscaler: 1,
        PodDisruptionBudget: 1,
      });
    });

    it('should deny by default mesh-wide on request, keeping the ingress gateway public', async () => {
      const objects = await render(meshRender(helm, 'prod', { set: ['authorization.meshDefaultDeny=true'] }));
      rendered.push(...objects);
      const deny = mustGet(objects, AuthorizationPolicy, 'mesh-default-deny');
      expect(deny.metadata?.namespace).toBe('istio-system');
      expect(deny.spec ?? {}).toEqual({});
      expect(mustGet(objects, AuthorizationPolicy, 'ingress-gateway-public').spec).toEqual({
        selector: { matchLabels: { istio: 'ingressgateway' } },
        action: 'ALLOW',
        rules: [{}],
      });
    });

    it.each([
      ['sidecar', 'prod', { 'istio.io/rev': 'default' }],
      ['sidecar', 'dev', { 'istio-injection': 'enabled' }],
      ['ambient', 'prod', { 'istio.io/dataplane-mode': 'ambient' }],
    ] as const)('should label the app namespace for %s mode in %s', async (mode, environment, label) => {
      const objects = await render(meshRender(helm, environment, { set: ['namespaces.create=true', `mesh.mode=${mode}`] }));
      rendered.push(...objects);
      const app = mustGet(objects, Namespace, 'restaurant');
      expect(app.metadata?.labels).toMatchObject({ ...label, 'pod-security.kubernetes.io/enforce': 'restricted' });
      // AND the node agents' namespaces (ztunnel's in ambient mode only) run privileged
      const nodeAgents = [source.defaults.cni.namespace, ...(mode === 'ambient' ? [source.defaults.ztunnel.namespace] : [])];
      const privileged = all(objects, Namespace).filter((namespace) => namespace.metadata?.labels?.['pod-security.kubernetes.io/enforce'] === 'privileged');
      expect(privileged.map((namespace) => namespace.metadata?.name).sort()).toEqual(nodeAgents.sort());
    });
  });

  describe('values at and around the limits', () => {
    it('should accept numeric quantities and print them as quantity strings', async () => {
      const objects = await render(
        meshRender(helm, 'dev', { set: ['controlPlane.pilot.resources.limits.cpu=2', 'controlPlane.pilot.resources.requests.cpu=1'] }),
      );
      const pilot = (sail(objects, 'Istio')!.spec.values as { pilot: { resources: unknown } }).pilot;
      expect(pilot.resources).toMatchObject({ limits: { cpu: '2' }, requests: { cpu: '1' } });
    });

    it('should let namespace labels override a commonLabels entry, writing each key once', async () => {
      const objects = await render(meshRender(helm, 'dev', { set: ['namespaces.create=true', 'commonLabels.team=platform', 'namespaces.labels.team=apps'] }));
      expect(mustGet(objects, Namespace, 'restaurant').metadata?.labels).toMatchObject({ team: 'apps', 'pod-security.kubernetes.io/enforce': 'restricted' });
    });

    it.each([
      [
        'exactly 512Mi in another unit',
        ['controlPlane.proxy.resources.limits.memory=0.5Gi'],
        { global: { proxy: { resources: { limits: { memory: '0.5Gi' } } } } },
      ],
      [
        'a larger limit in plain bytes and decimal units',
        ['controlPlane.proxy.resources.limits.memory=1G'],
        { global: { proxy: { resources: { limits: { memory: '1G' } } } } },
      ],
      [
        '3 istiod replicas, autoscaling to 3',
        ['controlPlane.pilot.autoscaleMin=3', 'controlPlane.pilot.autoscaleMax=3'],
        { pilot: { autoscaleEnabled: true, autoscaleMin: 3, autoscaleMax: 3 } },
      ],
    ])('should accept %s in prod', async (_title, set, applied) => {
      // GIVEN prod with a value at the edge of its requirement, WHEN rendered
      const objects = await render(meshRender(helm, 'prod', { set }));
      // THEN the Istio resource carries it
      expect(sail(objects, 'Istio')!.spec.values).toMatchObject(applied);
    });

    it('should hold dev and staging to none of the prod requirements', async () => {
      // GIVEN settings prod refuses, WHEN rendered for staging, THEN it renders
      const objects = await render(
        meshRender(helm, 'staging', {
          set: ['controlPlane.pilot.autoscaleMin=1', 'controlPlane.proxy.resources.limits.memory=256Mi', 'controlPlane.updateStrategy.type=InPlace'],
        }),
      );
      expect(sail(objects, 'Istio')!.spec.updateStrategy).toEqual({ type: 'InPlace' });
    });

    it('should say what to install when the cluster lacks the Sail and Istio APIs', async () => {
      const stderr = await renderError(meshRender(helm, 'prod', { apiVersions: [] }));
      expect(stderr).toContain('does not serve networking.istio.io/v1, security.istio.io/v1, telemetry.istio.io/v1, sailoperator.io/v1');
      expect(stderr).toContain('install the Sail Operator first');
      // AND skipCapabilityCheck renders anyway: what it renders on a cluster with the APIs
      const [skipped, checked] = await Promise.all([
        render(meshRender(helm, 'prod', { apiVersions: [], set: ['global.skipCapabilityCheck=true'] })),
        render(meshRender(helm, 'prod')),
      ]);
      expect(canonical(skipped)).toEqual(canonical(checked));
    });
  });
});

/** A prod requirement broken: refused by a template guard, naming the path. */
const PROD_REQUIREMENT = /prod requires|must not exceed/;

// GIVEN the prod overlay with one mistake each
describeRejectedValues('istio-mesh refuses bad prod values', (helm) => meshRender(helm, 'prod'), [
  { name: 'an end-of-life Istio version', set: ['controlPlane.version=v1.27.3'], path: 'controlPlane.version' },
  { name: 'a version newer than Sail supports', set: ['controlPlane.version=v1.31.0'], path: 'controlPlane.version' },
  { name: 'a patch release the pinned Sail Operator does not list', set: ['controlPlane.version=v1.29.7'], path: 'controlPlane.version' },
  { name: 'an unknown mesh mode', set: ['mesh.mode=mesh'], path: 'mesh.mode' },
  { name: 'an unknown update strategy', set: ['controlPlane.updateStrategy.type=Canary'], path: 'controlPlane.updateStrategy.type' },
  { name: 'a sampling percentage above 100', set: ['tracing.samplingPercentage=150'], path: 'tracing.samplingPercentage' },
  {
    name: 'PERMISSIVE mTLS in prod',
    set: ['peerAuthentication.mode=PERMISSIVE'],
    path: 'peerAuthentication.mode',
    message: 'peerAuthentication.mode is PERMISSIVE: prod requires STRICT mTLS',
  },
  // The production requirements, each broken once (template guards)
  {
    name: 'istiod without autoscaling in prod',
    set: ['controlPlane.pilot.autoscaleEnabled=false'],
    path: 'controlPlane.pilot.autoscaleEnabled',
    message: PROD_REQUIREMENT,
  },
  {
    name: 'fewer than 3 istiod replicas in prod',
    set: ['controlPlane.pilot.autoscaleMin=2'],
    path: 'controlPlane.pilot.autoscaleMin',
    message: PROD_REQUIREMENT,
  },
  {
    name: 'an autoscale maximum below the minimum in prod',
    set: ['controlPlane.pilot.autoscaleMax=3', 'controlPlane.pilot.autoscaleMin=4'],
    path: 'controlPlane.pilot.autoscaleMin',
    message: 'controlPlane.pilot.autoscaleMin (4) must not exceed controlPlane.pilot.autoscaleMax (3)',
  },
  {
    name: 'a proxy memory limit below 512Mi in prod (binary)',
    set: ['controlPlane.proxy.resources.limits.memory=511Mi'],
    path: 'controlPlane.proxy.resources.limits.memory',
    message: PROD_REQUIREMENT,
  },
  {
    name: 'a proxy memory limit below 512Mi in prod (decimal: 500M is 476.8Mi)',
    set: ['controlPlane.proxy.resources.limits.memory=500M'],
    path: 'controlPlane.proxy.resources.limits.memory',
    message: PROD_REQUIREMENT,
  },
  {
    name: 'a proxy memory limit below 512Mi in prod (fraction)',
    set: ['controlPlane.proxy.resources.limits.memory=0.4Gi'],
    path: 'controlPlane.proxy.resources.limits.memory',
    message: PROD_REQUIREMENT,
  },
  { name: 'in-place upgrades in prod', set: ['controlPlane.updateStrategy.type=InPlace'], path: 'controlPlane.updateStrategy.type', message: PROD_REQUIREMENT },
]);

// GIVEN the dev overlay with one mistake each
describeRejectedValues('istio-mesh refuses bad dev values', (helm) => meshRender(helm, 'dev'), [
  { name: 'a Gateway name over 63 characters', set: [`ingressGateway.name=${'g'.repeat(64)}`], path: 'ingressGateway.name' },
  { name: 'a Gateway name starting with a digit (it names a Service)', set: ['ingressGateway.name=1gateway'], path: 'ingressGateway.name' },
  {
    name: 'a tracing host over 253 characters',
    set: [`tracing.service=${Array.from({ length: 5 }, () => 't'.repeat(60)).join('.')}`],
    path: 'tracing.service',
  },
  { name: 'a label value with a space', set: ['commonLabels.team=platform team'], path: 'commonLabels.team' },
  { name: 'a gateway selector value over 63 characters', set: [`ingressGateway.selector.istio=${'i'.repeat(64)}`], path: 'ingressGateway.selector.istio' },
  { name: 'an istiod maximum of 2147483648 (above int32)', set: ['controlPlane.pilot.autoscaleMax=2147483648'], path: 'controlPlane.pilot.autoscaleMax' },
  {
    name: 'a revision grace period of 2147483648 seconds',
    set: ['controlPlane.updateStrategy.inactiveRevisionDeletionGracePeriodSeconds=2147483648'],
    path: 'controlPlane.updateStrategy.inactiveRevisionDeletionGracePeriodSeconds',
  },
  {
    name: 'a memory quantity in a unit Kubernetes does not know',
    set: ['controlPlane.pilot.resources.limits.memory=2GB'],
    path: 'controlPlane.pilot.resources.limits.memory',
  },
  // Template guards
  {
    name: 'an istiod CPU request above its limit',
    set: ['controlPlane.pilot.resources.requests.cpu=64'],
    path: 'controlPlane.pilot.resources.requests.cpu',
    message: 'controlPlane.pilot.resources.limits.cpu',
  },
  {
    name: 'a proxy memory request above its limit',
    set: ['controlPlane.proxy.resources.requests.memory=4Gi'],
    path: 'controlPlane.proxy.resources.requests.memory',
    message: 'controlPlane.proxy.resources.limits.memory',
  },
  {
    name: 'commonLabels replacing app.kubernetes.io/name',
    set: ['commonLabels.app\\.kubernetes\\.io/name=mesh'],
    path: 'commonLabels.app.kubernetes.io/name',
    message: 'the chart sets this label itself',
  },
  {
    name: 'namespace labels replacing the Pod Security level',
    set: ['namespaces.labels.pod-security\\.kubernetes\\.io/enforce=privileged'],
    path: 'namespaces.labels.pod-security.kubernetes.io/enforce',
    message: 'the chart sets this label itself',
  },
  {
    name: 'namespace labels replacing the injection label',
    set: ['namespaces.labels.istio-injection=disabled'],
    path: 'namespaces.labels.istio-injection',
    message: 'the chart sets this label itself',
  },
  // With autoscaling off (dev), min and max still reach the Istio resource
  {
    name: 'an autoscale minimum above the maximum with autoscaling off',
    set: ['controlPlane.pilot.autoscaleMin=5', 'controlPlane.pilot.autoscaleMax=3'],
    path: 'controlPlane.pilot.autoscaleMin',
    message: 'controlPlane.pilot.autoscaleMin (5) must not exceed controlPlane.pilot.autoscaleMax (3)',
  },
]);

describe('the Sail Istio CRD', () => {
  it('should reject a misspelt field and a version it does not list', () => {
    // GIVEN a valid Istio resource with one typo and one version Sail does not install
    const istio = {
      apiVersion: 'sailoperator.io/v1',
      kind: 'Istio',
      metadata: { name: 'default' },
      spec: { version: 'v1.20.0', namespace: 'istio-system', values: { pilot: { autoscaleMinimum: 3 } } },
    };
    // THEN both are reported with their paths
    expect(sailFindings(istio)).toEqual([
      expect.stringMatching(/^spec\.version: "v1\.20\.0" is not one of/),
      'spec.values.pilot.autoscaleMinimum: unknown field',
    ]);
  });
});
