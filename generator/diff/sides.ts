/**
 * The two sides of a chart upgrade, made renderable offline: the chart as committed at a git ref
 * (with the rest of `charts/` at that ref, so a `file://` dependency finds its sibling), or a chart
 * directory; a chart whose dependencies are not vendored (the observability umbrella) is assembled
 * beside it from its siblings and the pinned upstream packages in the cache, as `helm dependency
 * build` would. Rendering is `helm template` into a cluster with every API the charts expect.
 */
import { cpSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import yaml from 'js-yaml';
import { UserError } from '../errors.js';
import { cachedChart, ensureUpstream, fetchLockedChart } from '../upstream/cache.js';
import { clusterApiVersions, templateArgs } from '../scenarios.js';
import { resolveHelm, type HelmMajor } from '../toolchain.js';
import type { KubeObject } from '../checks/object.js';
import { CLUSTER_SCOPED } from '../verify/render.js';
import { isMap } from '../../values-schemas/common/merge.js';
import { OBSERVABILITY_PINS, chartPackageName, type ChartPin } from '../../values-schemas/platform/pins.js';
import type { UpstreamLock } from '../../values-schemas/platform/locked.js';

/** The commit a git ref names in the repository at `root`, or undefined when it names none. */
export async function commitOf(root: string, ref: string): Promise<string | undefined> {
  const commit = await execa('git', ['-C', root, 'rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { reject: false });
  return commit.exitCode === 0 ? commit.stdout.trim() : undefined;
}

/**
 * Extracts `charts/` as committed at `commit` into `<scratch>/<commit>/charts` (once per commit and
 * scratch folder); returns the folder of `chart` in it, or undefined when that commit has no such chart.
 */
export async function chartAtCommit(root: string, commit: string, chart: string, scratch: string): Promise<string | undefined> {
  const tree = path.join(scratch, commit);
  if (!existsSync(tree)) {
    const archive = await execa('git', ['-C', root, 'archive', '--format=tar', commit, 'charts'], { reject: false, encoding: 'buffer' });
    if (archive.exitCode !== 0) return undefined;
    mkdirSync(tree, { recursive: true });
    await execa('tar', ['-x', '-C', tree], { input: archive.stdout });
  }
  const dir = path.join(tree, 'charts', chart);
  return existsSync(path.join(dir, 'Chart.yaml')) ? dir : undefined;
}

/** The upstream lock as committed at `commit`, or undefined when that commit has none. */
export async function lockAtCommit(root: string, commit: string): Promise<UpstreamLock | undefined> {
  const shown = await execa('git', ['-C', root, 'show', `${commit}:values-schemas/platform/upstream-lock.json`], { reject: false });
  return shown.exitCode === 0 ? (JSON.parse(shown.stdout) as UpstreamLock) : undefined;
}

interface Dependency {
  readonly name: string;
  readonly version: string;
  readonly repository?: string;
}

/**
 * A chart folder `helm template` can render: the folder itself when every dependency it declares
 * is in its `charts/`, else a copy in `scratch` with them vendored: a `file://` dependency from the
 * folder it names, a remote one from the upstream cache when it is one of today's pins (fetched from
 * the mirror or the network first), else from the mirror or the network, verified against `lock`
 * (the upstream lock of the version that pinned it, see {@link lockAtCommit}). A dependency that
 * cannot be found or verified is an error, never rendered without.
 */
export async function renderableChart(root: string, chartDir: string, scratch: string, lock?: UpstreamLock): Promise<string> {
  const metadata = yaml.load(readFileSync(path.join(chartDir, 'Chart.yaml'), 'utf8')) as { name?: string; dependencies?: Dependency[] };
  const dependencies = metadata.dependencies ?? [];
  const vendored = (dependency: Dependency) =>
    existsSync(path.join(chartDir, 'charts', dependency.name)) || existsSync(path.join(chartDir, 'charts', `${dependency.name}-${dependency.version}.tgz`));
  if (dependencies.every(vendored)) return chartDir;
  const copy = path.join(mkdtempSync(path.join(scratch, 'assembled-')), metadata.name ?? 'chart');
  cpSync(chartDir, copy, { recursive: true });
  mkdirSync(path.join(copy, 'charts'), { recursive: true });
  const remote: ChartPin[] = [];
  for (const dependency of dependencies.filter((candidate) => !vendored(candidate))) {
    if (dependency.repository?.startsWith('file://')) {
      const source = path.resolve(chartDir, dependency.repository.slice('file://'.length));
      if (!existsSync(path.join(source, 'Chart.yaml')))
        throw new UserError(`${chartDir}: dependency ${dependency.name} (${dependency.repository}) is not there`, 2);
      cpSync(source, path.join(copy, 'charts', dependency.name), { recursive: true });
      continue;
    }
    const pin = OBSERVABILITY_PINS.find((candidate) => candidate.name === dependency.name && candidate.version === dependency.version);
    if (pin) {
      remote.push(pin);
      continue;
    }
    if (!dependency.repository)
      throw new UserError(`${chartDir}: dependency ${dependency.name} ${dependency.version} names no repository and is not vendored in its charts/ folder`, 2);
    // Pinned by another version than today's: fetched as that version's lock recorded it.
    const older: ChartPin = {
      kind: 'chart',
      name: dependency.name,
      version: dependency.version,
      repository: dependency.repository,
      source: dependency.repository,
    };
    try {
      await fetchLockedChart(older, lock, path.join(copy, 'charts', chartPackageName(older)));
    } catch (error) {
      if (error instanceof UserError) throw new UserError(`${chartDir}: cannot assemble its dependencies: ${error.message}`, 2);
      throw error;
    }
  }
  if (remote.length > 0) await ensureUpstream({ root, pins: remote });
  for (const pin of remote) copyFileSync(cachedChart(root, pin), path.join(copy, 'charts', path.basename(cachedChart(root, pin))));
  return copy;
}

/** What one side is rendered with. */
export interface SideRender {
  readonly helm: HelmMajor;
  readonly release: string;
  readonly namespace: string;
  /** Values files, in order (the environment's overlay first, then the user's). */
  readonly values: readonly string[];
  readonly set: readonly string[];
  /** Render as an upgrade (`.Release.IsUpgrade`): the new side. @default false */
  readonly upgrade?: boolean;
}

/** One side's render: the objects, or Helm's error (values the chart refuses, mostly). */
export type Rendered = { readonly ok: true; readonly objects: KubeObject[] } | { readonly ok: false; readonly error: string };

/** `helm template` of one side of an upgrade. */
export async function renderSide(chartDir: string, run: SideRender): Promise<Rendered> {
  const args = templateArgs({
    release: run.release,
    chart: chartDir,
    namespace: run.namespace,
    values: run.values,
    set: run.set,
    apiVersions: clusterApiVersions(),
  });
  // --is-upgrade: the new side renders as `helm upgrade` would (.Release.IsUpgrade), the old as it was installed.
  const result = await execa(resolveHelm(run.helm), [...args, ...(run.upgrade ? ['--is-upgrade'] : [])], { reject: false });
  if (result.exitCode !== 0) return { ok: false, error: result.stderr.trim() };
  // An object that names no namespace goes to the release's, as `helm upgrade` sends it: the identity both sides are paired by.
  const objects = yaml
    .loadAll(result.stdout)
    .filter(isMap)
    .map((document) => {
      const metadata = isMap(document['metadata']) ? document['metadata'] : {};
      return metadata['namespace'] === undefined && !CLUSTER_SCOPED.has(String(document['kind']))
        ? { ...document, metadata: { ...metadata, namespace: run.namespace } }
        : document;
    }) as unknown as KubeObject[];
  return { ok: true, objects };
}
