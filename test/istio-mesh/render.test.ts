// istio-mesh: the Sail control plane and the mesh-wide configuration per environment, on Helm 3
// and 4. Istio kinds are checked by their models (strictly); the Sail kinds by test/helpers/sail.ts.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { PeerAuthentication } from '@kubernetes-models/istio/security.istio.io/v1/PeerAuthentication';
import { AuthorizationPolicy } from '@kubernetes-models/istio/security.istio.io/v1/AuthorizationPolicy';
import { Telemetry } from '@kubernetes-models/istio/telemetry.istio.io/v1/Telemetry';
import { Gateway } from '@kubernetes-models/istio/networking.istio.io/v1/Gateway';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import '../helpers/sail.js';
import { render, renderError, errorPaths } from '../helpers/helm.js';
import { mustGet, countByKind, type KubeObject } from '../helpers/models.js';
import { assertStrict } from '../helpers/strict.js';
import { HELM_MAJORS } from '../helpers/tools.js';
import { sailFindings } from '../helpers/sail.js';
import { ENVIRONMENTS, meshRender, source } from './fixtures.js';
import { DEFAULT_RELEASE, ISTIO_TRACING_PROVIDER, istioTracingProvider, observabilityTopology } from '../../generator/observability/topology.js';
import { globalDefaults } from '../../values-schemas/common/global.js';

/** Where the observability umbrella (release `observability`, default namespaces) receives OTLP. */
const topology = observabilityTopology({ release: DEFAULT_RELEASE, namespace: globalDefaults.namespaces.observability, istioNamespace: globalDefaults.namespaces.istio });

const rendered: KubeObject[] = [];
afterAll(() => {
  // THEN no Istio object has a field its model does not know
  assertStrict(rendered);
});

/** The Sail object of a kind (cluster-scoped, one per kind). */
const sail = (objects: readonly KubeObject[], kind: string) => objects.find((object) => object.apiVersion === 'sailoperator.io/v1' && object.kind === kind) as
  | (KubeObject & { spec: Record<string, any> })
  | undefined;

/** The objects of the ingress gateway's pods, in every environment. */
const GATEWAY_POD_KINDS = { Deployment: 1, Service: 1, ServiceAccount: 1, Role: 1, RoleBinding: 1 } as const;

const expectedSampling = { dev: 100, staging: 10, prod: 1 } as const;

describe.each(HELM_MAJORS)('istio-mesh on Helm %i', (helm) => {
  describe.each(ENVIRONMENTS)('in %s', (environment) => {
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
        ...(environment === 'prod' ? { IstioRevisionTag: 1 } : {}),
        PeerAuthentication: 2,
        Telemetry: 1,
        Gateway: 1,
        // The ingress gateway's pods (test/istio-mesh/gateway.test.ts)
        ...GATEWAY_POD_KINDS,
        ...(environment === 'dev' ? {} : { HorizontalPodAutoscaler: 1, PodDisruptionBudget: 1 }),
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
      const { pilot, global } = sail(objects, 'Istio')!.spec.values;
      if (environment === 'prod') {
        expect(pilot).toMatchObject({ autoscaleEnabled: true, autoscaleMin: 3, autoscaleMax: 5 });
        expect(global.proxy.resources).toEqual({ requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } });
      } else if (environment === 'dev') {
        expect(pilot).toMatchObject({ autoscaleEnabled: false, replicaCount: 1 });
        expect(pilot.autoscaleMin).toBeUndefined();
      }
    });

    it('should upgrade revision by revision in prod only, with a tag that follows the active revision', () => {
      const istio = sail(objects, 'Istio')!;
      if (environment === 'prod') {
        expect(istio.spec.updateStrategy).toEqual({ type: 'RevisionBased', inactiveRevisionDeletionGracePeriodSeconds: 300, updateWorkloads: false });
        expect(sail(objects, 'IstioRevisionTag')!.spec).toEqual({ targetRef: { kind: 'Istio', name: 'default' } });
      } else {
        expect(istio.spec.updateStrategy).toEqual({ type: 'InPlace' });
        expect(sail(objects, 'IstioRevisionTag')).toBeUndefined();
      }
    });

    it('should log access as JSON to stdout and trace through OpenTelemetry at the environment\'s rate', () => {
      const meshConfig = sail(objects, 'Istio')!.spec.values.meshConfig;
      expect(meshConfig).toMatchObject({ accessLogFile: '/dev/stdout', accessLogEncoding: 'JSON' });
      // THEN spans go to the Jaeger Service the observability umbrella creates (from the topology, not a literal)
      expect(meshConfig.extensionProviders).toEqual([istioTracingProvider(topology)]);
      const telemetry = mustGet(objects, Telemetry, 'mesh-default');
      expect(telemetry.metadata?.namespace).toBe('istio-system');
      expect(telemetry.spec?.tracing).toEqual([{ providers: [{ name: ISTIO_TRACING_PROVIDER }], randomSamplingPercentage: expectedSampling[environment] }]);
      expect(telemetry.spec?.accessLogging).toEqual([{ providers: [{ name: 'envoy' }] }]);
    });

    it('should require STRICT mTLS mesh-wide, except plain-text health checks on the gateway status port', () => {
      const root = mustGet(objects, PeerAuthentication, 'default');
      expect(root.metadata?.namespace).toBe('istio-system');
      expect(root.spec).toEqual({ mtls: { mode: 'STRICT' } });
      const health = mustGet(objects, PeerAuthentication, 'ingress-gateway-health');
      expect(health.metadata?.namespace).toBe('istio-ingress');
      expect(health.spec).toEqual({ selector: { matchLabels: { istio: 'ingressgateway' } }, mtls: { mode: 'STRICT' }, portLevelMtls: { 15021: { mode: 'PERMISSIVE' } } });
    });

    it('should serve the domain on HTTPS with the credential, redirecting HTTP outside dev', () => {
      const gateway = mustGet(objects, Gateway, 'ingress-gateway');
      const domain = environment === 'staging' ? 'staging.restaurant.example.com' : 'restaurant.example.com';
      const [http, https] = gateway.spec!.servers!;
      expect(http).toMatchObject({ port: { number: 80, protocol: 'HTTP' }, hosts: [`restaurant/${domain}`] });
      expect(http!.tls).toEqual(environment === 'dev' ? undefined : { httpsRedirect: true });
      expect(https).toEqual({ port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: [`restaurant/${domain}`], tls: { mode: 'SIMPLE', credentialName: 'restaurant-tls' } });
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
      expect(sail(objects, 'ZTunnel')!.spec).toEqual({ version: 'v1.30.3', namespace: 'ztunnel', targetRef: { kind: 'Istio', name: source.defaults.controlPlane.name } });
      // AND istiod trusts ztunnel's identity from ztunnel's own namespace
      expect(sail(objects, 'Istio')!.spec.values.pilot.trustedZtunnelNamespace).toBe(source.defaults.ztunnel.namespace);
    });

    it('should trust no ztunnel namespace in sidecar mode', async () => {
      const objects = await render(meshRender(helm, 'prod'));
      expect(sail(objects, 'Istio')!.spec.values.pilot.trustedZtunnelNamespace).toBeUndefined();
    });

    it('should render no Sail resource when the control plane is installed by other means', async () => {
      const objects = await render(meshRender(helm, 'prod', { set: ['controlPlane.installer=none'], apiVersions: [...(await import('../helpers/api-versions.js')).ISTIO_API_VERSIONS] }));
      rendered.push(...objects);
      expect(objects.filter((object) => object.apiVersion.startsWith('sailoperator.io/'))).toEqual([]);
      expect(countByKind(objects)).toEqual({ PeerAuthentication: 2, Telemetry: 1, Gateway: 1, ...GATEWAY_POD_KINDS, HorizontalPodAutoscaler: 1, PodDisruptionBudget: 1 });
    });

    it('should deny by default mesh-wide on request, keeping the ingress gateway public', async () => {
      const objects = await render(meshRender(helm, 'prod', { set: ['authorization.meshDefaultDeny=true'] }));
      rendered.push(...objects);
      const deny = mustGet(objects, AuthorizationPolicy, 'mesh-default-deny');
      expect(deny.metadata?.namespace).toBe('istio-system');
      expect(deny.spec ?? {}).toEqual({});
      expect(mustGet(objects, AuthorizationPolicy, 'ingress-gateway-public').spec).toEqual({ selector: { matchLabels: { istio: 'ingressgateway' } }, action: 'ALLOW', rules: [{}] });
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
      expect(mustGet(objects, Namespace, 'istio-cni').metadata?.labels?.['pod-security.kubernetes.io/enforce']).toBe('privileged');
      if (mode === 'ambient') expect(mustGet(objects, Namespace, 'ztunnel')).toBeDefined();
    });
  });

  describe('rejects bad values with the values path', () => {
    it.each([
      ['an end-of-life Istio version', ['controlPlane.version=v1.27.3'], 'controlPlane.version'],
      ['a version newer than Sail supports', ['controlPlane.version=v1.31.0'], 'controlPlane.version'],
      ['a patch release the pinned Sail Operator does not list', ['controlPlane.version=v1.29.7'], 'controlPlane.version'],
      ['an unknown mesh mode', ['mesh.mode=mesh'], 'mesh.mode'],
      ['an unknown update strategy', ['controlPlane.updateStrategy.type=Canary'], 'controlPlane.updateStrategy.type'],
      ['a sampling percentage above 100', ['tracing.samplingPercentage=150'], 'tracing.samplingPercentage'],
    ])('should reject %s', async (_title, set, path) => {
      const stderr = await renderError(meshRender(helm, 'prod', { set }));
      expect(errorPaths(stderr), stderr).toContain(path);
    });

    it.each([
      ['a Gateway name over 63 characters', [`ingressGateway.name=${'g'.repeat(64)}`], 'ingressGateway.name'],
      ['a tracing host over 253 characters', [`tracing.service=${Array.from({ length: 5 }, () => 't'.repeat(60)).join('.')}`], 'tracing.service'],
      ['a label value with a space', ['commonLabels.team=platform team'], 'commonLabels.team'],
      ['a gateway selector value over 63 characters', [`ingressGateway.selector.istio=${'i'.repeat(64)}`], 'ingressGateway.selector.istio'],
      ['an istiod maximum of 2147483648 (above int32)', ['controlPlane.pilot.autoscaleMax=2147483648'], 'controlPlane.pilot.autoscaleMax'],
      ['a revision grace period of 2147483648 seconds', ['controlPlane.updateStrategy.inactiveRevisionDeletionGracePeriodSeconds=2147483648'], 'controlPlane.updateStrategy.inactiveRevisionDeletionGracePeriodSeconds'],
      ['a memory quantity in a unit Kubernetes does not know', ['controlPlane.pilot.resources.limits.memory=2GB'], 'controlPlane.pilot.resources.limits.memory'],
    ])('should reject %s', async (_title, set, path) => {
      const stderr = await renderError(meshRender(helm, 'dev', { set }));
      expect(errorPaths(stderr), stderr).toContain(path);
    });

    it.each([
      ['an istiod CPU request above its limit', ['controlPlane.pilot.resources.requests.cpu=64'], 'controlPlane.pilot.resources.requests.cpu', 'controlPlane.pilot.resources.limits.cpu'],
      ['a proxy memory request above its limit', ['controlPlane.proxy.resources.requests.memory=4Gi'], 'controlPlane.proxy.resources.requests.memory', 'controlPlane.proxy.resources.limits.memory'],
      ['commonLabels replacing app.kubernetes.io/name', ['commonLabels.app\\.kubernetes\\.io/name=mesh'], 'commonLabels.app.kubernetes.io/name', 'the chart sets this label itself'],
      ['namespace labels replacing the Pod Security level', ['namespaces.labels.pod-security\\.kubernetes\\.io/enforce=privileged'], 'namespaces.labels.pod-security.kubernetes.io/enforce', 'the chart sets this label itself'],
      ['namespace labels replacing the injection label', ['namespaces.labels.istio-injection=disabled'], 'namespaces.labels.istio-injection', 'the chart sets this label itself'],
    ])('should refuse %s (template guard), naming the values path', async (_title, set, path, mentions) => {
      const stderr = await renderError(meshRender(helm, 'dev', { set }));
      expect(stderr).toMatch(new RegExp(`execution error at .*: ${path.replace(/[.]/g, '\\.')}\\b`));
      expect(stderr).toContain(mentions);
    });

    it('should accept numeric quantities and print them as quantity strings', async () => {
      const objects = await render(meshRender(helm, 'dev', { set: ['controlPlane.pilot.resources.limits.cpu=2', 'controlPlane.pilot.resources.requests.cpu=1'] }));
      const pilot = (sail(objects, 'Istio')!.spec.values as { pilot: { resources: unknown } }).pilot;
      expect(pilot.resources).toMatchObject({ limits: { cpu: '2' }, requests: { cpu: '1' } });
    });

    it('should let namespace labels override a commonLabels entry, writing each key once', async () => {
      const objects = await render(meshRender(helm, 'dev', { set: ['namespaces.create=true', 'commonLabels.team=platform', 'namespaces.labels.team=apps'] }));
      expect(mustGet(objects, Namespace, 'restaurant').metadata?.labels).toMatchObject({ team: 'apps', 'pod-security.kubernetes.io/enforce': 'restricted' });
    });

    it('should refuse PERMISSIVE mTLS in prod', async () => {
      const stderr = await renderError(meshRender(helm, 'prod', { set: ['peerAuthentication.mode=PERMISSIVE'] }));
      expect(stderr).toContain('peerAuthentication.mode is PERMISSIVE: prod requires STRICT mTLS');
    });

    it.each([
      ['istiod without autoscaling', ['controlPlane.pilot.autoscaleEnabled=false'], 'controlPlane.pilot.autoscaleEnabled'],
      ['fewer than 3 istiod replicas', ['controlPlane.pilot.autoscaleMin=2'], 'controlPlane.pilot.autoscaleMin'],
      ['an autoscale maximum below the minimum', ['controlPlane.pilot.autoscaleMax=3', 'controlPlane.pilot.autoscaleMin=4'], 'controlPlane.pilot.autoscaleMax'],
      ['a proxy memory limit below 512Mi (binary)', ['controlPlane.proxy.resources.limits.memory=511Mi'], 'controlPlane.proxy.resources.limits.memory'],
      ['a proxy memory limit below 512Mi (decimal: 500M is 476.8Mi)', ['controlPlane.proxy.resources.limits.memory=500M'], 'controlPlane.proxy.resources.limits.memory'],
      ['a proxy memory limit below 512Mi (fraction)', ['controlPlane.proxy.resources.limits.memory=0.4Gi'], 'controlPlane.proxy.resources.limits.memory'],
      ['in-place upgrades', ['controlPlane.updateStrategy.type=InPlace'], 'controlPlane.updateStrategy.type'],
    ])('should refuse %s in prod, naming the values path', async (_title, set, path) => {
      // GIVEN the prod overlay with one production requirement broken, WHEN rendered, THEN the render fails naming the path
      const stderr = await renderError(meshRender(helm, 'prod', { set }));
      expect(stderr).toContain(`${path} `);
      expect(stderr).toMatch(/prod requires|must not exceed/);
    });

    it.each([
      ['exactly 512Mi in another unit', ['controlPlane.proxy.resources.limits.memory=0.5Gi']],
      ['a larger limit in plain bytes and decimal units', ['controlPlane.proxy.resources.limits.memory=1G']],
      ['3 istiod replicas, autoscaling to 3', ['controlPlane.pilot.autoscaleMin=3', 'controlPlane.pilot.autoscaleMax=3']],
    ])('should accept %s in prod', async (_title, set) => {
      const objects = await render(meshRender(helm, 'prod', { set }));
      expect(sail(objects, 'Istio')).toBeDefined();
    });

    it('should refuse an autoscale minimum above the maximum with autoscaling off too, naming both paths', async () => {
      // GIVEN dev (autoscaling off) with min 5 and max 3: both still reach the Istio resource
      const stderr = await renderError(meshRender(helm, 'dev', { set: ['controlPlane.pilot.autoscaleMin=5', 'controlPlane.pilot.autoscaleMax=3'] }));
      expect(stderr).toContain('controlPlane.pilot.autoscaleMin (5) must not exceed controlPlane.pilot.autoscaleMax (3)');
    });

    it('should hold dev and staging to none of the prod requirements', async () => {
      // GIVEN settings prod refuses, WHEN rendered for staging, THEN it renders
      const objects = await render(meshRender(helm, 'staging', { set: ['controlPlane.pilot.autoscaleMin=1', 'controlPlane.proxy.resources.limits.memory=256Mi', 'controlPlane.updateStrategy.type=InPlace'] }));
      expect(sail(objects, 'Istio')!.spec.updateStrategy).toEqual({ type: 'InPlace' });
    });

    it('should say what to install when the cluster lacks the Sail and Istio APIs', async () => {
      const stderr = await renderError(meshRender(helm, 'prod', { apiVersions: [] }));
      expect(stderr).toContain('does not serve networking.istio.io/v1, security.istio.io/v1, telemetry.istio.io/v1, sailoperator.io/v1');
      expect(stderr).toContain('install the Sail Operator first');
      // AND skipCapabilityCheck renders anyway
      const objects = await render(meshRender(helm, 'prod', { apiVersions: [], set: ['skipCapabilityCheck=true'] }));
      expect(sail(objects, 'Istio')).toBeDefined();
    });
  });
});

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
