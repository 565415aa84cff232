// istio-mesh: every string of the values reaches the output as the same string, and every integer
// as an integer, on Helm 3 and 4. The render is read the way Kubernetes reads it (YAML 1.1, as
// go-yaml v2 resolves plain scalars: yes/on/y are booleans, 0777 is octal, 1e3 a float), so an
// unquoted `yes`, `null` or `0777` and an integer printed as `1e+06` cannot pass unnoticed; the
// harness's own YAML 1.2 reading would take most of them for strings.
import { describe, it, expect, beforeAll } from 'vitest';
import { PeerAuthentication } from '@kubernetes-models/istio/security.istio.io/v1/PeerAuthentication';
import { AuthorizationPolicy } from '@kubernetes-models/istio/security.istio.io/v1/AuthorizationPolicy';
import { Telemetry } from '@kubernetes-models/istio/telemetry.istio.io/v1/Telemetry';
import { Gateway } from '@kubernetes-models/istio/networking.istio.io/v1/Gateway';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import '../helpers/sail.js';
import { countByKind, mustGet, type KubeObject } from '../helpers/models.js';
import { HELM_MAJORS } from '../helpers/tools.js';
import { FloatNotation, leaves, writeValuesFile } from '../helpers/kubernetes-yaml.js';
import { render, type RenderOptions } from '../helpers/helm.js';
import { meshRender, type Environment } from './fixtures.js';

/** The Sail object of a kind (cluster-scoped, one per kind). */
const sail = (objects: readonly KubeObject[], kind: string) => {
  const found = objects.find((object) => object.apiVersion === 'sailoperator.io/v1' && object.kind === kind);
  if (!found) throw new Error(`no Sail ${kind} in the render`);
  return found as KubeObject & { spec: Record<string, any> };
};

/** Render options of istio-mesh with --set-string pairs (meshRender passes only --set). */
const meshRenderStrings = (helm: (typeof HELM_MAJORS)[number], environment: Environment, extra: Partial<RenderOptions>): RenderOptions => ({
  ...meshRender(helm, environment, extra),
  ...(extra.setString ? { setString: extra.setString } : {}),
});

const BIG = 1000000;

describe.each(HELM_MAJORS)('istio-mesh quoting on Helm %i', (helm) => {
  describe('strings YAML would re-read, given with --set-string', () => {
    let objects: KubeObject[];
    beforeAll(async () => {
      // GIVEN names, namespaces, hosts and labels that YAML 1.1 reads as booleans, null or numbers
      // (no IstioCNI: the Sail CRD insists on naming it `default`, so the control plane name could not vary)
      objects = await render(
        meshRenderStrings(helm, 'prod', {
          set: ['namespaces.create=true', 'authorization.meshDefaultDeny=true', 'cni.sidecarMode=false'],
          setString: [
            'ingressGateway.credentialName=yes',
            'ingressGateway.name=null',
            'ingressGateway.selector.istio=on',
            'global.domain=1e3',
            'global.namespaces.app=0777',
            'global.namespaces.istio=null',
            'global.namespaces.ingress=on',
            'controlPlane.revisionTag=off',
            'controlPlane.name=true',
            'tracing.provider=n',
            'tracing.service=1.5',
            'commonLabels.flag=true',
            'namespaces.labels.team=012',
          ],
        }),
      );
    });

    it('should keep the gateway name, namespace, hosts and credentialName as strings', () => {
      const gateway = mustGet(objects, Gateway, 'null');
      expect(gateway.metadata!.namespace).toBe('on');
      expect(gateway.spec!.selector).toEqual({ istio: 'on' });
      expect(gateway.spec!.servers!.map((server) => server.hosts)).toEqual([['0777/1e3'], ['0777/1e3']]);
      expect(gateway.spec!.servers![1]!.tls!.credentialName).toBe('yes');
      expect(mustGet(objects, AuthorizationPolicy, 'null-public').metadata!.namespace).toBe('on');
      expect(mustGet(objects, PeerAuthentication, 'null-health').spec!.selector!.matchLabels).toEqual({ istio: 'on' });
    });

    it('should keep the control plane name, revision tag and namespaces as strings', () => {
      expect(mustGet(objects, PeerAuthentication, 'default').metadata!.namespace).toBe('null');
      expect(mustGet(objects, AuthorizationPolicy, 'mesh-default-deny').metadata!.namespace).toBe('null');
      const telemetry = mustGet(objects, Telemetry, 'mesh-default');
      expect(telemetry.metadata!.namespace).toBe('null');
      expect(telemetry.spec!.tracing![0]!.providers).toEqual([{ name: 'n' }]);
      const istio = sail(objects, 'Istio');
      expect(istio.metadata!.name).toBe('true');
      expect(istio.spec.namespace).toBe('null');
      expect(istio.spec.values.meshConfig.extensionProviders).toEqual([{ name: 'n', opentelemetry: { service: '1.5', port: 4317 } }]);
      const tag = sail(objects, 'IstioRevisionTag');
      expect(tag.metadata!.name).toBe('off');
      expect(tag.spec.targetRef).toEqual({ kind: 'Istio', name: 'true' });
    });

    it('should keep namespace names and their labels as strings', () => {
      // THEN the app and ingress namespaces follow the revision tag `off`, not false
      for (const name of ['0777', 'on']) {
        expect(mustGet(objects, Namespace, name).metadata!.labels).toMatchObject({
          'app.kubernetes.io/name': name,
          'istio.io/rev': 'off',
          team: '012',
          flag: 'true',
        });
      }
      for (const object of objects) expect(object.metadata?.labels).toMatchObject({ flag: 'true' });
    });
  });

  it("should keep the ambient node agents' names and namespaces as strings", async () => {
    // GIVEN ambient mode with node agent namespaces YAML would re-read
    const objects = await render(
      meshRenderStrings(helm, 'dev', { set: ['mesh.mode=ambient', 'namespaces.create=true'], setString: ['ztunnel.namespace=012', 'cni.namespace=0x10'] }),
    );
    // THEN they come out as given
    expect(sail(objects, 'ZTunnel').spec.namespace).toBe('012');
    expect(sail(objects, 'IstioCNI').spec.namespace).toBe('0x10');
    for (const name of ['012', '0x10']) expect(mustGet(objects, Namespace, name).metadata!.labels).toMatchObject({ 'app.kubernetes.io/name': name });
  });

  describe('integers', () => {
    it.each([
      [
        '--set',
        [],
        [
          `controlPlane.updateStrategy.inactiveRevisionDeletionGracePeriodSeconds=${BIG}`,
          `controlPlane.pilot.autoscaleMin=${BIG}`,
          `controlPlane.pilot.autoscaleMax=${2 * BIG}`,
        ],
      ],
      [
        'a values file',
        [
          writeValuesFile('integers', {
            controlPlane: { updateStrategy: { inactiveRevisionDeletionGracePeriodSeconds: BIG }, pilot: { autoscaleMin: BIG, autoscaleMax: 2 * BIG } },
          }),
        ],
        [],
      ],
    ] as const)('should print the grace period and istiod bounds given with %s as integers', async (_how, values, set) => {
      // GIVEN a revision grace period and istiod bounds of a million or more, WHEN rendered for prod
      const objects = await render(meshRender(helm, 'prod', { values: [...values], set: [...set] }));
      // THEN each is the integer given, not 1e+06
      const spec = sail(objects, 'Istio').spec;
      expect(spec.updateStrategy.inactiveRevisionDeletionGracePeriodSeconds).toBe(BIG);
      expect([spec.values.pilot.autoscaleMin, spec.values.pilot.autoscaleMax]).toEqual([BIG, 2 * BIG]);
    });

    it('should print istiod replicas and the tracing port of a values file as integers', async () => {
      // GIVEN a fixed istiod replica count of a million, from a values file (where Helm holds numbers as floats)
      const objects = await render(
        meshRender(helm, 'dev', { values: [writeValuesFile('replicas', { controlPlane: { pilot: { replicaCount: BIG } }, tracing: { port: 65535 } })] }),
      );
      const spec = sail(objects, 'Istio').spec;
      expect(spec.values.pilot.replicaCount).toBe(BIG);
      expect(spec.values.meshConfig.extensionProviders[0].opentelemetry.port).toBe(65535);
      expect(objects.flatMap((object) => leaves(object).filter(([, value]) => value instanceof FloatNotation))).toEqual([]);
    });
  });

  describe('a prod render where every string setting is YAML-ambiguous', () => {
    // GIVEN every string setting that reaches the output at a value YAML 1.1 would re-read
    const values = {
      global: { domain: '1e3', namespaces: { app: 'null', istio: 'true', ingress: 'yes', observability: 'on' } },
      controlPlane: {
        revisionTag: 'n',
        pilot: { resources: { requests: { cpu: '1', memory: '012' }, limits: { cpu: '010', memory: '0777' } } },
        proxy: { resources: { requests: { cpu: '0.1', memory: '0777' } } },
      },
      cni: { namespace: '0x10' },
      tracing: { provider: 'off', service: 'observability-jaeger' },
      ingressGateway: { name: 'no', credentialName: 'on', selector: { istio: 'null' } },
      authorization: { meshDefaultDeny: true },
      namespaces: { create: true, labels: { 'example.com/team': '0777' } },
      commonLabels: { 'example.com/flag': 'true', 'example.com/nothing': 'null', 'example.com/mode': '0777' },
    };
    let objects: KubeObject[];
    let plain: KubeObject[];
    beforeAll(async () => {
      // WHEN rendered for prod, and with only the switches of those values (namespaces created, mesh-wide default-deny)
      [objects, plain] = await Promise.all([
        render(meshRender(helm, 'prod', { values: [writeValuesFile('ambiguous', values)] })),
        render(
          meshRender(helm, 'prod', {
            values: [writeValuesFile('ambiguous-shape', { authorization: values.authorization, namespaces: { create: values.namespaces.create } })],
          }),
        ),
      ]);
    });

    it('should carry each string to its place unchanged', () => {
      // THEN the render holds the objects of the plain one, kind for kind
      expect(countByKind(objects)).toEqual(countByKind(plain));
      for (const object of objects) expect(object.metadata?.labels).toMatchObject(values.commonLabels);
      const gateway = mustGet(objects, Gateway, 'no');
      expect(gateway.metadata!.namespace).toBe('yes');
      expect(gateway.spec!.selector).toEqual({ istio: 'null' });
      expect(gateway.spec!.servers!.flatMap((server) => server.hosts)).toEqual(['null/1e3', 'null/1e3']);
      expect(gateway.spec!.servers![1]!.tls!.credentialName).toBe('on');
      expect(mustGet(objects, AuthorizationPolicy, 'no-public').spec!.selector!.matchLabels).toEqual({ istio: 'null' });
      expect(mustGet(objects, AuthorizationPolicy, 'mesh-default-deny').metadata!.namespace).toBe('true');
      expect(mustGet(objects, PeerAuthentication, 'default').metadata!.namespace).toBe('true');
      expect(mustGet(objects, PeerAuthentication, 'no-health').metadata!.namespace).toBe('yes');
      expect(mustGet(objects, Telemetry, 'mesh-default').spec!.tracing![0]!.providers).toEqual([{ name: 'off' }]);
      const istio = sail(objects, 'Istio');
      expect(istio.spec.namespace).toBe('true');
      expect(istio.spec.values.pilot.resources).toEqual(values.controlPlane.pilot.resources);
      expect(istio.spec.values.global.proxy.resources.requests).toEqual({ cpu: '0.1', memory: '0777' });
      expect(istio.spec.values.meshConfig.extensionProviders[0]).toEqual({
        name: 'off',
        opentelemetry: { service: 'observability-jaeger.on.svc.cluster.local', port: 4317 },
      });
      expect(sail(objects, 'IstioRevisionTag').metadata!.name).toBe('n');
      expect(sail(objects, 'IstioCNI').spec.namespace).toBe('0x10');
      for (const name of ['null', 'yes'])
        expect(mustGet(objects, Namespace, name).metadata!.labels).toMatchObject({ 'istio.io/rev': 'n', 'example.com/team': '0777' });
      expect(mustGet(objects, Namespace, '0x10').metadata!.labels).toMatchObject({ 'app.kubernetes.io/name': '0x10' });
    });

    it('should leave no name, namespace, label or selector value that is not a string', () => {
      // THEN scanning every object: names, namespaces, hosts, labels, selectors and annotations are strings
      const stringPlaces = /(^|\.)(labels|matchLabels|selector|annotations)\.[^.]+$|(^|\.)(name|namespace|credentialName|service|hosts\.\d+)$/;
      const wrong = objects.flatMap((object) =>
        leaves(object)
          .filter(([at, value]) => stringPlaces.test(at) && typeof value !== 'string')
          .map(([at, value]) => `${(object as KubeObject).kind}/${(object as KubeObject).metadata?.name}: ${at} = ${JSON.stringify(value)}`),
      );
      expect(wrong).toEqual([]);
    });
  });
});
