// The restaurant-platform umbrella: renders offline on Helm 3 and 4 in every environment, installs
// exactly what its subcharts render on their own with the same environment, honours the shared
// global block and the components switches, and rejects bad values anywhere through one schema.
import { cpSync, mkdtempSync, readFileSync, rmSync, readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { errorPaths, helmLint, helmTemplate, parseManifests, render, renderError, chartDir } from '../helpers/helm.js';
import '../helpers/sail.js';
import { HELM_MAJORS, resolveHelm } from '../helpers/tools.js';
import type { KubeObject } from '../helpers/models.js';
import { SUBCHARTS } from '../../values-schemas/restaurant-platform/index.js';
import { globalDefaults } from '../../values-schemas/common/global.js';
import { PLATFORM_API_VERSIONS, ENVIRONMENTS, canonical, idOf } from './fixtures.js';

const CHART = 'restaurant-platform';
const base = { chart: CHART, apiVersions: PLATFORM_API_VERSIONS, namespace: 'restaurant', release: 'platform' } as const;

async function objects(options: Parameters<typeof helmTemplate>[0]): Promise<KubeObject[]> {
  const output = await helmTemplate(options);
  if (!output.ok) throw new Error(`helm ${options.helm} template ${options.chart} failed:\n${output.stderr}`);
  return parseManifests(output.stdout);
}

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
        ...SUBCHARTS.map((subchart) =>
          objects({ ...base, chart: subchart.name, helm: c.helm, values: [`values-${c.environment}.yaml`] }),
        ),
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
    expect(objectsOfUmbrella.length).toBeGreaterThan(20);
    expect(canonical(objectsOfUmbrella)).toEqual(canonical(standalone.get(key(c))!));
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
    const deployments = rendered.filter((object) => object.kind === 'Deployment' && object.metadata?.namespace === globalDefaults.namespaces.app) as Array<KubeObject & { spec: { template: { spec: { containers: Array<{ image: string }> } } } }>;
    expect(deployments.length).toBeGreaterThanOrEqual(7);
    for (const deployment of deployments) {
      for (const container of deployment.spec.template.spec.containers) expect(container.image).toMatch(/^mirror\.example\.org\/team\/[a-z-]+:9\.9\.9$/);
    }
  });

  it.each([
    ['global.environment=production', 'global.environment'],
    ['restaurant-app.serviceDefaults.replicaz=2', 'restaurant-app.serviceDefaults'],
    ['components.istio-mesh.enable=false', 'components.istio-mesh'],
    ['unknownChart.x=1', '(root)'],
  ])('should reject %s naming the values path', async (pair, valuesPath) => {
    // WHEN a bad value is set anywhere in the umbrella's values
    const stderr = await renderError({ ...base, helm, set: [pair] });
    // THEN the schema names its path
    expect(errorPaths(stderr)).toContain(valuesPath);
  });

  it.each([
    [
      'a CPU request above the limit',
      ['restaurant-app.services.order-service.resources.requests.cpu=8'],
      'restaurant-app.services.order-service.resources.requests.cpu (8) exceeds restaurant-app.serviceDefaults.resources.limits.cpu',
    ],
    ['a canary without the stable version', ['restaurant-app.services.menu-service.canary.v2.weight=100'], 'restaurant-app.services.menu-service.canary: must include the stable version'],
    ['every service disabled', ['restaurant-app.serviceDefaults.enabled=false'], 'restaurant-app.services: no service is enabled (restaurant-app.serviceDefaults.enabled is false'],
    [
      'an istiod minimum above its maximum',
      ['istio-mesh.controlPlane.pilot.autoscaleMin=9', 'istio-mesh.controlPlane.pilot.autoscaleMax=4'],
      'istio-mesh.controlPlane.pilot.autoscaleMin (9) must not exceed istio-mesh.controlPlane.pilot.autoscaleMax (4)',
    ],
  ])('should name the full values path when a subchart guard refuses %s', async (_title, set, message) => {
    // WHEN a subchart's template guard fails inside the umbrella
    const stderr = await renderError({ ...base, helm, values: ['values-dev.yaml'], set });
    // THEN every path in the message is the one to edit in the umbrella's values (prefixed with the subchart key)
    expect(stderr).toContain(message);
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
  it('should be byte-identical copies of the generated subcharts', () => {
    for (const subchart of SUBCHARTS) {
      const original = chartDir(subchart.name);
      const vendored = path.join(chartDir(CHART), 'charts', subchart.name);
      expect(listFiles(vendored).sort()).toEqual(listFiles(original).sort());
      for (const file of listFiles(original)) {
        expect(readFileSync(path.join(vendored, file)).equals(readFileSync(path.join(original, file))), `${subchart.name}/${file}`).toBe(true);
      }
    }
  });

  describe('helm dependency build from the file:// repositories, offline', () => {
    let work: string;
    beforeAll(() => {
      // GIVEN a copy of charts/ whose umbrella has no vendored subcharts
      work = mkdtempSync(path.join(os.tmpdir(), 'chartkit-depbuild-'));
      for (const name of [CHART, ...SUBCHARTS.map((s) => s.name)]) cpSync(chartDir(name), path.join(work, name), { recursive: true });
      rmSync(path.join(work, CHART, 'charts'), { recursive: true, force: true });
    });
    afterAll(() => rmSync(work, { recursive: true, force: true }));

    it.each(HELM_MAJORS)('should rebuild the subcharts with Helm %i and render the same objects', async (helm) => {
      const copy = path.join(work, `${CHART}`);
      const env = { HELM_CACHE_HOME: path.join(work, `cache${helm}`), HELM_CONFIG_HOME: path.join(work, `config${helm}`), HELM_DATA_HOME: path.join(work, `data${helm}`) };
      // WHEN helm dependency build runs (no network: file:// repositories only)
      await execa(resolveHelm(helm), ['dependency', 'build', copy], { env });
      // THEN the rebuilt chart renders what the vendored one does
      const built = await execa(resolveHelm(helm), ['template', 'platform', copy, '--namespace', 'restaurant', '-f', path.join(copy, 'values-prod.yaml'), ...PLATFORM_API_VERSIONS.flatMap((api) => ['--api-versions', api])], { env });
      expect(canonical(parseManifests(built.stdout))).toEqual(canonical(umbrella.get(`${helm}/prod`)!));
      rmSync(path.join(copy, 'charts'), { recursive: true, force: true });
      rmSync(path.join(copy, 'Chart.lock'), { force: true });
    });
  });
});

describe.each(HELM_MAJORS)('restaurant-platform mesh mode on Helm %i', (helm) => {
  it('should take the mesh mode from global.mesh.mode alone, for both subcharts', async () => {
    // GIVEN one setting, WHEN the platform renders, THEN the control plane and the pods agree
    const objects = (await render({ ...base, helm, values: ['values-prod.yaml'], set: ['global.mesh.mode=ambient'] })) as Array<KubeObject & { spec?: any }>;
    const istio = objects.find((object) => object.kind === 'Istio')!;
    expect(istio.spec.profile).toBe('ambient');
    expect(objects.some((object) => object.kind === 'ZTunnel')).toBe(true);
    const pods = objects.filter((object) => object.kind === 'Deployment' && object.metadata?.namespace === globalDefaults.namespaces.app).map((deployment) => deployment.spec.template.metadata.labels);
    expect(pods.length).toBeGreaterThan(0);
    for (const labels of pods) expect(labels['istio.io/dataplane-mode']).toBe('ambient');
  });

  it('should render the sidecar mode by default in both subcharts', async () => {
    const objects = (await render({ ...base, helm, values: ['values-prod.yaml'] })) as Array<KubeObject & { spec?: any }>;
    expect(objects.find((object) => object.kind === 'Istio')!.spec.profile).toBe('default');
    expect(objects.some((object) => object.kind === 'Sidecar')).toBe(true);
  });

  it.each([
    ['restaurant-app.istio.mesh.mode=ambient', 'restaurant-app.istio.mesh.mode'],
    ['istio-mesh.mesh.mode=ambient', 'istio-mesh.mesh.mode'],
  ])('should refuse a subchart-level mode (%s), naming the path: global.mesh.mode is the one source', async (pair, valuesPath) => {
    const stderr = await renderError({ ...base, helm, values: ['values-prod.yaml'], set: [pair] });
    expect(errorPaths(stderr), stderr).toContain(valuesPath);
  });
});
