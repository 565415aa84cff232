// The restaurant-platform umbrella: renders offline on Helm 3 and 4 in every environment, installs
// exactly what its subcharts render on their own with the same environment, honours the shared
// global block and the components switches, and rejects bad values anywhere through one schema.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it, expect, beforeAll } from 'vitest';
import { helmDependencyBuild, helmLint, helmTemplate, parseManifests, render, chartDir } from '../helpers/helm.js';
import { describeRejectedValues } from '../helpers/rejected.js';
import '../helpers/sail.js';
import { HELM_MAJORS } from '../helpers/tools.js';
import type { KubeObject } from '../helpers/models.js';
import { SUBCHARTS } from '../../values-schemas/restaurant-platform/index.js';
import { globalDefaults } from '../../values-schemas/common/global.js';
import { istioMeshValues } from '../../values-schemas/istio-mesh/index.js';
import { SERVICE_NAMES } from '../restaurant-app/fixtures.js';
import { PLATFORM_API_VERSIONS, ENVIRONMENTS, canonical, idOf } from './fixtures.js';

const CHART = 'restaurant-platform';
const base = { chart: CHART, apiVersions: PLATFORM_API_VERSIONS, namespace: 'restaurant', release: 'platform' } as const;

async function objects(options: Parameters<typeof helmTemplate>[0]): Promise<KubeObject[]> {
  const output = await helmTemplate(options);
  if (!output.ok) throw new Error(`helm ${options.helm} template ${options.chart} failed:\n${output.stderr}`);
  return parseManifests(output.stdout);
}

type AppDeployment = KubeObject & { spec: { template: { metadata: { labels: Record<string, string> }; spec: { containers: Array<{ image: string }> } } } };

/** The Deployments in the app namespace: restaurant-app's services (the ingress gateway runs in its own namespace). */
const appDeployments = (objects: readonly KubeObject[]) =>
  objects.filter((object) => object.kind === 'Deployment' && object.metadata?.namespace === globalDefaults.namespaces.app) as AppDeployment[];

function listFiles(root: string, relative = ''): string[] {
  return readdirSync(path.join(root, relative)).flatMap((entry) => {
    const child = relative ? `${relative}/${entry}` : entry;
    return statSync(path.join(root, child)).isDirectory() ? listFiles(root, child) : [child];
  });
}

type Case = { helm: 3 | 4; environment: (typeof ENVIRONMENTS)[number] };
const cases: Case[] = HELM_MAJORS.flatMap((helm) => ENVIRONMENTS.map((environment) => ({ helm, environment })));
const umbrella = new Map<string, KubeObject[]>();
const standalone = new Map<string, KubeObject[]>();
const key = (c: Case) => `${c.helm}/${c.environment}`;

beforeAll(async () => {
  // GIVEN the umbrella and each subchart on its own, rendered per Helm version and environment
  await Promise.all(
    cases.map(async (c) => {
      const [all, ...parts] = await Promise.all([
        objects({ ...base, helm: c.helm, values: [`values-${c.environment}.yaml`] }),
        ...SUBCHARTS.map((subchart) => objects({ ...base, chart: subchart.name, helm: c.helm, values: [`values-${c.environment}.yaml`] })),
      ]);
      umbrella.set(key(c), all!);
      standalone.set(key(c), parts.flat());
    }),
  );
});

describe.each(cases)('restaurant-platform on Helm $helm, $environment', (c) => {
  it('should render exactly the objects its subcharts render on their own with the same environment', () => {
    // THEN the umbrella's objects equal the union of the subcharts' (global and overlays carried over)
    const objectsOfUmbrella = umbrella.get(key(c))!;
    expect(canonical(objectsOfUmbrella)).toEqual(canonical(standalone.get(key(c))!));
    // AND both hold the services the values declare, and the control plane (the comparison is not of two empty lists)
    expect(
      appDeployments(objectsOfUmbrella)
        .map((deployment) => deployment.metadata?.name)
        .sort(),
    ).toEqual(SERVICE_NAMES);
    expect(objectsOfUmbrella.filter((object) => object.kind === 'Istio').map((object) => object.metadata?.name)).toEqual([
      istioMeshValues.defaults.controlPlane.name,
    ]);
  });

  it('should render every object once', () => {
    const ids = umbrella.get(key(c))!.map(idOf);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe.each(HELM_MAJORS)('restaurant-platform switches and globals on Helm %i', (helm) => {
  it('should install nothing of a subchart whose component is disabled', async () => {
    // WHEN istio-mesh is switched off
    const rendered = await objects({ ...base, helm, values: ['values-prod.yaml'], set: ['components.istio-mesh.enabled=false'] });
    // THEN no Sail object is rendered, and the other subcharts still are
    expect(rendered.filter((object) => object.apiVersion.startsWith('sailoperator.io/'))).toEqual([]);
    expect(rendered.some((object) => object.kind === 'Deployment')).toBe(true);
    expect(umbrella.get(`${helm}/prod`)!.some((object) => object.apiVersion.startsWith('sailoperator.io/'))).toBe(true);
  });

  it('should hand the global image registry and tag to every subchart', async () => {
    // WHEN the global registry and tag are set once on the umbrella
    const rendered = await objects({ ...base, helm, set: ['global.image.registry=mirror.example.org/team', 'global.image.tag=9.9.9'] });
    // THEN every restaurant service's container uses them
    // (the ingress gateway's image is `auto`, for Istio's injector to fill in)
    const deployments = appDeployments(rendered);
    expect(deployments.map((deployment) => deployment.metadata?.name).sort()).toEqual(SERVICE_NAMES);
    for (const deployment of deployments) {
      for (const container of deployment.spec.template.spec.containers) expect(container.image).toMatch(/^mirror\.example\.org\/team\/[a-z-]+:9\.9\.9$/);
    }
  });

  it('should pass helm lint --strict in prod', async () => {
    const output = await helmLint({ chart: CHART, helm, values: ['values-prod.yaml'] });
    expect(output.ok, output.stdout + output.stderr).toBe(true);
  });
});

describe('restaurant-platform values schema', () => {
  const schema = JSON.parse(readFileSync(path.join(chartDir(CHART), 'values.schema.json'), 'utf8'));

  it('should cover global, the components and each subchart under its key, with no remote $ref', () => {
    expect(Object.keys(schema.properties).sort()).toEqual(['components', 'global', ...SUBCHARTS.map((s) => s.name)].sort());
    expect(schema.additionalProperties).toBe(false);
    expect(JSON.stringify(schema)).not.toMatch(/"\$ref"/);
    // Each subchart's part is its own schema inlined (same properties), made optional
    for (const subchart of SUBCHARTS) {
      const own = JSON.parse(readFileSync(path.join(chartDir(subchart.name), 'values.schema.json'), 'utf8'));
      expect(Object.keys(schema.properties[subchart.name].properties).sort()).toEqual(Object.keys(own.properties).sort());
      expect(schema.properties[subchart.name].required).toBeUndefined();
    }
  });
});

describe('vendored subcharts', () => {
  it('should be byte-identical copies of the generated subcharts, but for the folders their .helmignore leaves out', () => {
    for (const subchart of SUBCHARTS) {
      const original = chartDir(subchart.name);
      const vendored = path.join(chartDir(CHART), 'charts', subchart.name);
      // The CI scenarios (ci/) are left out of packages and vendored copies
      const ignoredFolders = readFileSync(path.join(original, '.helmignore'), 'utf8')
        .split('\n')
        .filter((line) => line.endsWith('/') && !line.startsWith('#'));
      expect(ignoredFolders).toContain('ci/');
      const shipped = listFiles(original).filter((file) => !ignoredFolders.some((folder) => file.startsWith(folder) || file.includes(`/${folder}`)));
      expect(listFiles(vendored).sort()).toEqual(shipped.sort());
      for (const file of shipped) {
        expect(readFileSync(path.join(vendored, file)).equals(readFileSync(path.join(original, file))), `${subchart.name}/${file}`).toBe(true);
      }
    }
  });

  it.each(HELM_MAJORS)('should be rebuilt by helm dependency build (Helm %i) from the file:// repositories, offline, into the same objects', async (helm) => {
    // GIVEN a copy of the umbrella without its vendored subcharts, WHEN helm dependency build
    // rebuilds them (no network: file:// repositories only)
    const built = await helmDependencyBuild({ chart: CHART, helm });
    expect(built.ok, built.stderr).toBe(true);
    // THEN the rebuilt chart renders what the vendored one does
    const rebuilt = await objects({ ...base, chart: built.chart, helm, values: ['values-prod.yaml'] });
    expect(canonical(rebuilt)).toEqual(canonical(umbrella.get(`${helm}/prod`)!));
  });
});

describe.each(HELM_MAJORS)('restaurant-platform mesh mode on Helm %i', (helm) => {
  it('should take the mesh mode from global.mesh.mode alone, for both subcharts', async () => {
    // GIVEN one setting, WHEN the platform renders, THEN the control plane and the pods agree
    const objects = (await render({ ...base, helm, values: ['values-prod.yaml'], set: ['global.mesh.mode=ambient'] })) as Array<KubeObject & { spec?: any }>;
    const istio = objects.find((object) => object.kind === 'Istio')!;
    expect(istio.spec.profile).toBe('ambient');
    expect(objects.some((object) => object.kind === 'ZTunnel')).toBe(true);
    const deployments = appDeployments(objects);
    expect(deployments.map((deployment) => deployment.metadata?.name).sort()).toEqual(SERVICE_NAMES);
    for (const deployment of deployments) expect(deployment.spec.template.metadata.labels['istio.io/dataplane-mode']).toBe('ambient');
  });

  it('should render the sidecar mode by default in both subcharts', async () => {
    const objects = (await render({ ...base, helm, values: ['values-prod.yaml'] })) as Array<KubeObject & { spec?: any }>;
    expect(objects.find((object) => object.kind === 'Istio')!.spec.profile).toBe('default');
    expect(objects.some((object) => object.kind === 'Sidecar')).toBe(true);
  });
});

// GIVEN the umbrella's defaults with a bad value anywhere in its values
describeRejectedValues('restaurant-platform refuses bad values through its one schema', (helm) => ({ ...base, helm }), [
  { name: 'a value outside an enum in global', set: ['global.environment=production'], path: 'global.environment' },
  {
    name: "an unknown key in a subchart's block",
    set: ['restaurant-app.serviceDefaults.replicaz=2'],
    path: 'restaurant-app.serviceDefaults',
    message: 'replicaz',
  },
  { name: 'an unknown key in a components switch', set: ['components.istio-mesh.enable=false'], path: 'components.istio-mesh', message: 'enable' },
  { name: 'an unknown top-level key', set: ['unknownChart.x=1'], path: '(root)', message: 'unknownChart' },
]);

// GIVEN the dev values with a value a subchart's template guard refuses: the path is the umbrella's (prefixed with the subchart key)
describeRejectedValues(
  'restaurant-platform names the full values path when a subchart guard refuses',
  (helm) => ({ ...base, helm, values: ['values-dev.yaml'] }),
  [
    {
      name: 'a CPU request above the limit',
      set: ['restaurant-app.services.order-service.resources.requests.cpu=8'],
      path: 'restaurant-app.services.order-service.resources.requests.cpu',
      message: 'restaurant-app.services.order-service.resources.requests.cpu (8) exceeds restaurant-app.serviceDefaults.resources.limits.cpu',
    },
    {
      name: 'a canary without the stable version',
      set: ['restaurant-app.services.menu-service.canary.v2.weight=100'],
      path: 'restaurant-app.services.menu-service.canary',
      message: 'restaurant-app.services.menu-service.canary: must include the stable version',
    },
    {
      name: 'every service disabled',
      set: ['restaurant-app.serviceDefaults.enabled=false'],
      path: 'restaurant-app.services',
      message: 'restaurant-app.services: no service is enabled (restaurant-app.serviceDefaults.enabled is false',
    },
    {
      name: 'an istiod minimum above its maximum',
      set: ['istio-mesh.controlPlane.pilot.autoscaleMin=9', 'istio-mesh.controlPlane.pilot.autoscaleMax=4'],
      path: 'istio-mesh.controlPlane.pilot.autoscaleMin',
      message: 'istio-mesh.controlPlane.pilot.autoscaleMin (9) must not exceed istio-mesh.controlPlane.pilot.autoscaleMax (4)',
    },
  ],
);

// GIVEN the prod values with a subchart-level mesh mode: global.mesh.mode is the one source
describeRejectedValues('restaurant-platform refuses a subchart-level mesh mode', (helm) => ({ ...base, helm, values: ['values-prod.yaml'] }), [
  { name: 'restaurant-app.istio.mesh.mode', set: ['restaurant-app.istio.mesh.mode=ambient'], path: 'restaurant-app.istio.mesh.mode' },
  { name: 'istio-mesh.mesh.mode', set: ['istio-mesh.mesh.mode=ambient'], path: 'istio-mesh.mesh.mode' },
]);
