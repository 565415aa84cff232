// Every chart (the observability umbrella with its upstream dependencies from the cache), published with Helm 4 and with Helm 3 to a real registry,
// then used as a user would: `helm template oci://…` renders the same objects as the local chart
// (both Helm versions), and `helm install --dry-run=client` from the registry (Helm 4, offline)
// succeeds in every environment with the same objects.
import path from 'node:path';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startRegistry, type RunningRegistry } from '../helpers/registry.js';
import { HELM_MAJORS } from '../helpers/tools.js';
import { helmTemplate, installRelease, parseManifests, chartDir, type RenderOptions } from '../helpers/helm.js';
import type { KubeObject } from '../helpers/models.js';
import { publish, type PublishedChart } from '../../generator/publish/publish.js';
import { canonical, ENVIRONMENTS, PLATFORM_API_VERSIONS } from '../restaurant-platform/fixtures.js';
import { OFFLINE_CHARTS, INSTALL_SETS, installTarget } from './fixtures.js';

let registry: RunningRegistry;
const published = new Map<number, PublishedChart[]>();
const repo = (helm: number) => `${registry.url}/charts-helm${helm}`;

beforeAll(async () => {
  // GIVEN one registry, every offline chart published into one path per Helm version
  registry = await startRegistry();
  // Helm 4 always: the install dry-run runs offline on Helm 4 only.
  const majors = [...new Set([...HELM_MAJORS, 4 as const])];
  await Promise.all(majors.map(async (helm) => published.set(helm, await publish({ registry: repo(helm), charts: OFFLINE_CHARTS, plainHttp: true, helm }))));
});
afterAll(async () => registry?.stop());

/** The documents a render through the harness prints; throws with Helm's stderr when it fails. */
async function documentsOf(options: RenderOptions): Promise<KubeObject[]> {
  const output = await helmTemplate(options);
  if (!output.ok) throw new Error(`helm ${options.helm} template ${options.chart} failed:\n${output.stderr}`);
  return parseManifests(output.stdout);
}

describe.each(HELM_MAJORS)('charts published with Helm %i', (helm) => {
  it('should publish every offline chart with a pushed digest equal to the pulled one', () => {
    const rows = published.get(helm)!;
    expect(rows.map((row) => row.chart)).toEqual(OFFLINE_CHARTS);
    for (const row of rows) {
      expect(row.action).toBe('pushed');
      expect(row.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    }
  });

  it('should find every chart unchanged when publishing again (reproducible, umbrella included)', async () => {
    // WHEN the same charts are published again (packaged afresh from a new copy)
    const again = await publish({ registry: repo(helm), charts: OFFLINE_CHARTS, plainHttp: true, helm });
    // THEN nothing is pushed and every digest is the one already there
    expect(again.map((row) => [row.chart, row.action, row.digest])).toEqual(published.get(helm)!.map((row) => [row.chart, 'unchanged', row.digest]));
  });

  it.each(OFFLINE_CHARTS)('should render %s from oci:// into the same objects as the local chart', async (chart) => {
    // WHEN the published chart is rendered from the registry with the local prod overlay
    const version = published.get(helm)!.find((row) => row.chart === chart)!.version;
    const target = installTarget(chart);
    const values = path.join(chartDir(chart), 'values-prod.yaml');
    const inputs = { helm, values: [values], apiVersions: PLATFORM_API_VERSIONS, namespace: target.namespace, release: target.release };
    const remote = await documentsOf({ ...inputs, chart: `${repo(helm)}/${chart}`, version, plainHttp: true });
    const local = await documentsOf({ ...inputs, chart: target.local });
    // THEN the objects are equal (and there are some)
    expect(remote.length).toBeGreaterThan(0);
    expect(canonical(remote)).toEqual(canonical(local));
  });
});

describe('helm install --dry-run=client from the registry (Helm 4)', () => {
  const cases = OFFLINE_CHARTS.flatMap((chart) => ENVIRONMENTS.map((environment) => ({ chart, environment })));
  it.each(cases)('should install $chart with the $environment overlay and yield the local objects', async ({ chart, environment }) => {
    // GIVEN what a user does: the published chart and the environment's values file
    const version = published.get(4)!.find((row) => row.chart === chart)!.version;
    const values = path.join(chartDir(chart), `values-${environment}.yaml`);
    const set = INSTALL_SETS;
    const target = installTarget(chart);
    const inputs = { helm: 4 as const, values: [values], set, namespace: target.namespace, release: target.release };
    // WHEN installed with --dry-run=client (no cluster)
    const release = await installRelease({ ...inputs, chart: `${repo(4)}/${chart}`, version, plainHttp: true });
    const local = await documentsOf({ ...inputs, chart: target.local });
    // THEN it succeeds and renders what the local chart renders with the same inputs
    expect(release.status).toBe('pending-install');
    expect(canonical(release.documents)).toEqual(canonical(local));
  });
});
