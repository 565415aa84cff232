// Every chart (the observability umbrella with its upstream dependencies from the cache), published with Helm 4 and with Helm 3 to a real registry,
// then used as a user would: `helm template oci://…` renders the same objects as the local chart
// (both Helm versions), and `helm install --dry-run=client` from the registry (Helm 4, offline)
// succeeds in every environment with the same objects.
import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startRegistry, type RunningRegistry } from '../helpers/registry.js';
import { HELM_MAJORS, resolveHelm } from '../helpers/tools.js';
import { helmTemplate, parseManifests, chartDir } from '../helpers/helm.js';
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

async function objectsOf(args: string[], helm: 3 | 4) {
  // A cache of its own per call: concurrent pulls into one Helm content cache can trip over each other.
  const cache = mkdtempSync(path.join(path.dirname(registry.logFile), `cache${helm}-`));
  const result = await execa(resolveHelm(helm), args, { reject: false, env: { HELM_CACHE_HOME: cache } });
  if (result.exitCode !== 0) throw new Error(`helm ${args.slice(0, 2).join(' ')} failed:\n${result.stderr}`);
  return result.stdout;
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
    const flags = ['--namespace', target.namespace, '--values', values, ...PLATFORM_API_VERSIONS.flatMap((api) => ['--api-versions', api])];
    const remote = await objectsOf(['template', target.release, `${repo(helm)}/${chart}`, '--version', version, '--plain-http', ...flags], helm);
    const local = await helmTemplate({ chart: target.local, helm, values: [values], apiVersions: PLATFORM_API_VERSIONS, namespace: target.namespace, release: target.release });
    // THEN the objects are equal
    expect(local.ok).toBe(true);
    expect(parseManifests(remote).length).toBeGreaterThan(0);
    expect(canonical(parseManifests(remote))).toEqual(canonical(parseManifests(local.stdout)));
  });
});

describe('helm install --dry-run=client from the registry (Helm 4)', () => {
  const cases = OFFLINE_CHARTS.flatMap((chart) => ENVIRONMENTS.map((environment) => ({ chart, environment })));
  it.each(cases)('should install $chart with the $environment overlay and yield the local objects', async ({ chart, environment }) => {
    // GIVEN what a user does: the published chart and the environment's values file
    const version = published.get(4)!.find((row) => row.chart === chart)!.version;
    const values = path.join(chartDir(chart), `values-${environment}.yaml`);
    const set = INSTALL_SETS[chart] ?? [];
    const target = installTarget(chart);
    // WHEN installed with --dry-run=client (no cluster)
    const out = await objectsOf(
      ['install', target.release, `${repo(4)}/${chart}`, '--version', version, '--plain-http', '--dry-run=client', '--namespace', target.namespace, '--values', values, ...set.flatMap((pair) => ['--set', pair]), '--output', 'json'],
      4,
    );
    const release = JSON.parse(out) as { manifest: string; info: { status: string } };
    const local = await helmTemplate({ chart: target.local, helm: 4, values: [values], set, namespace: target.namespace, release: target.release });
    // THEN it succeeds and renders what the local chart renders with the same inputs
    expect(release.info.status).toBe('pending-install');
    expect(local.ok, local.stderr).toBe(true);
    expect(canonical(parseManifests(release.manifest))).toEqual(canonical(parseManifests(local.stdout)));
  });
});
