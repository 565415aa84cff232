// The README's "Sidecar or ambient" table, held to the renders: every row is checked against the
// prod platform render in both modes (Helm 3 and 4), the code it quotes must be in the cell, and a
// row without a check (or a check without a row) fails.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it, expect, beforeAll } from 'vitest';
import { repoRoot } from '../../generator/paths.mjs';
import { HELM_MAJORS } from '../helpers/tools.js';
import type { MeshObject } from '../../generator/checks/mesh/index.js';
import { renderPlatform } from './fixtures.js';
import { SERVICE_NAMES, serviceSettings, valuesOf } from '../restaurant-app/fixtures.js';

type Cells = Record<string, { sidecar: string; ambient: string }>;

/** The rows of the README table under "### Sidecar or ambient": aspect → the two cells. */
function readmeTable(): Cells {
  const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const section = readme.split('### Sidecar or ambient')[1]?.split('\n### ')[0] ?? '';
  const rows: Cells = {};
  for (const line of section.split('\n').filter((candidate) => candidate.startsWith('| ') && !candidate.startsWith('| |'))) {
    const [aspect, sidecar, ambient] = line.split(' | ').map((cell) => cell.replace(/^\| ?| ?\|$/g, '').trim());
    if (aspect && sidecar !== undefined && ambient !== undefined) rows[aspect] = { sidecar, ambient };
  }
  return rows;
}

type Json = Record<string, any>;
const of = (objects: readonly MeshObject[], kind: string) => objects.filter((object) => object.kind === kind) as Json[];
const named = (objects: readonly MeshObject[], kind: string, name: string) => of(objects, kind).find((object) => object.metadata.name === name)!;
/** The pod templates of the app namespace's Deployments: one per restaurant service the values declare (asserted, so no row loops over nothing). */
const appPods = (objects: readonly MeshObject[]) => {
  const deployments = of(objects, 'Deployment').filter((deployment) => deployment.metadata.namespace === PROD.global.namespaces.app);
  expect(deployments.map((deployment) => deployment.metadata.name).sort()).toEqual(SERVICE_NAMES);
  return deployments.map((deployment) => deployment.spec.template.metadata);
};

/** The restaurant-app values of the prod render. */
const PROD = valuesOf('prod');

/** Per row: the code each cell must quote, and what the render in that mode must show. */
const ROWS: Record<string, { quotes: { sidecar: string[]; ambient: string[] }; check: (mode: 'sidecar' | 'ambient', objects: readonly MeshObject[]) => void }> =
  {
    Pods: {
      quotes: { sidecar: ['sidecar.istio.io/inject: "true"', 'istio.sidecar.resources'], ambient: ['istio.io/dataplane-mode: ambient'] },
      check: (mode, objects) => {
        for (const pod of appPods(objects)) {
          if (mode === 'sidecar') {
            expect(pod.labels['sidecar.istio.io/inject']).toBe('true');
            expect(pod.annotations['sidecar.istio.io/proxyMemoryLimit']).toBe(PROD.istio.sidecar.resources.limits.memory);
          } else {
            expect(pod.labels['istio.io/dataplane-mode']).toBe('ambient');
            expect(Object.keys(pod.annotations).filter((key) => key.startsWith('sidecar.istio.io/'))).toEqual([]);
          }
        }
      },
    },
    'L7 policy': {
      quotes: { sidecar: [], ambient: ['istio-waypoint', 'istio.io/use-waypoint', 'istio.io/ingress-use-waypoint'] },
      check: (mode, objects) => {
        const waypoints = of(objects, 'Gateway').filter((gateway) => gateway.spec.gatewayClassName === 'istio-waypoint');
        expect(waypoints).toHaveLength(mode === 'ambient' ? 1 : 0);
        if (mode === 'ambient') expect(waypoints[0]!.spec.listeners).toEqual([{ name: 'mesh', port: 15008, protocol: 'HBONE' }]);
        for (const service of of(objects, 'Service').filter((candidate) => candidate.metadata.namespace === 'restaurant')) {
          expect(service.metadata.labels['istio.io/use-waypoint']).toBe(mode === 'ambient' ? 'waypoint' : undefined);
        }
      },
    },
    AuthorizationPolicy: {
      quotes: { sidecar: ['selector'], ambient: ['targetRefs', 'allow-waypoint'] },
      check: (mode, objects) => {
        const policy = named(objects, 'AuthorizationPolicy', 'order-service');
        expect(Object.keys(policy.spec)).toContain(mode === 'sidecar' ? 'selector' : 'targetRefs');
        expect(of(objects, 'AuthorizationPolicy').some((candidate) => candidate.metadata.name === 'allow-waypoint')).toBe(mode === 'ambient');
      },
    },
    'Egress scope': {
      quotes: { sidecar: ['Sidecar'], ambient: [] },
      check: (mode, objects) => expect(of(objects, 'Sidecar')).toHaveLength(mode === 'sidecar' ? 1 : 0),
    },
    'Metrics under STRICT mTLS': {
      quotes: { sidecar: ['15020'], ambient: ['allow-waypoint'] },
      check: (mode, objects) => {
        const workloadPolicies = of(objects, 'PeerAuthentication').filter((policy) => policy.metadata.namespace === 'restaurant' && policy.spec.selector);
        if (mode === 'sidecar') {
          expect(workloadPolicies).toEqual([]);
          for (const pod of appPods(objects)) expect(pod.annotations['prometheus.io/scrape']).toBe('true');
        } else {
          // THEN one policy per service, opening exactly its metrics port to plaintext
          const metricsPorts = SERVICE_NAMES.map((name) => [name, serviceSettings('prod', name).metrics] as const).filter(([, metrics]) => metrics.enabled);
          expect(Object.fromEntries(workloadPolicies.map((policy) => [policy.metadata.name, policy.spec.portLevelMtls]))).toEqual(
            Object.fromEntries(metricsPorts.map(([name, metrics]) => [name, { [String(metrics.port)]: { mode: 'PERMISSIVE' } }])),
          );
        }
      },
    },
    'Control plane': {
      quotes: { sidecar: ['default'], ambient: ['ambient', 'targetRef', 'pilot.trustedZtunnelNamespace'] },
      check: (mode, objects) => {
        const istio = of(objects, 'Istio')[0]!;
        expect(istio.spec.profile).toBe(mode === 'ambient' ? 'ambient' : 'default');
        expect(of(objects, 'IstioCNI')).toHaveLength(1);
        const ztunnels = of(objects, 'ZTunnel');
        expect(ztunnels).toHaveLength(mode === 'ambient' ? 1 : 0);
        if (mode === 'ambient') {
          expect(ztunnels[0]!.spec.targetRef).toEqual({ kind: 'Istio', name: istio.metadata.name });
          expect(istio.spec.values.pilot.trustedZtunnelNamespace).toBe(ztunnels[0]!.spec.namespace);
        }
      },
    },
  };

describe("the README's sidecar-or-ambient table", () => {
  const table = readmeTable();

  it('should have exactly the rows this test checks', () => {
    expect(Object.keys(table).sort()).toEqual(Object.keys(ROWS).sort());
  });

  it.each(Object.keys(ROWS))('should quote in the %s row what the renders show', (aspect) => {
    for (const mode of ['sidecar', 'ambient'] as const) {
      for (const quote of ROWS[aspect]!.quotes[mode]) expect(table[aspect]?.[mode], `${aspect} (${mode})`).toContain(quote);
    }
  });

  describe.each(HELM_MAJORS)('on Helm %i', (helm) => {
    const renders: Record<string, MeshObject[]> = {};
    beforeAll(async () => {
      // GIVEN the prod platform rendered in each mode
      for (const mode of ['sidecar', 'ambient'] as const) renders[mode] = await renderPlatform(helm, 'prod', { mode });
    });

    it.each(Object.keys(ROWS))('should hold the %s row in both modes', (aspect) => {
      for (const mode of ['sidecar', 'ambient'] as const) ROWS[aspect]!.check(mode, renders[mode]!);
    });
  });
});
