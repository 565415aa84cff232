/**
 * Puts the observability umbrella together the way `helm dependency build` would, from the
 * cache instead of the network: the generated chart, its pinned upstream packages from
 * `.cache/upstream/` and the local observability-platform chart, in a scratch folder. Tests,
 * `chartkit upstream sync` and `chartkit publish` all render or package this assembly.
 */
import { cpSync, copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { OBSERVABILITY_PINS } from '../../values-schemas/platform/pins.js';
import { cachedChart } from './cache.js';

/** The umbrella's chart folder below `charts/`. */
export const UMBRELLA = 'observability';

/**
 * Copies `charts/observability` into `<target>/observability` with its dependencies in its
 * `charts/` folder (the cache must hold them: see `ensureUpstream`); returns the chart folder.
 */
export function assembleUmbrella(root: string, target: string): string {
  const chart = path.join(target, UMBRELLA);
  cpSync(path.join(root, 'charts', UMBRELLA), chart, { recursive: true });
  // file://../observability-platform: beside the umbrella too, as `helm dependency` expects it.
  cpSync(path.join(root, 'charts', 'observability-platform'), path.join(target, 'observability-platform'), { recursive: true });
  vendorUmbrellaDependencies(root, chart);
  return chart;
}

/**
 * Fills a copy of the umbrella's `charts/` folder with its dependencies: the pinned packages from
 * the cache (verified against the lock beforehand, see `ensureUpstream`) and the local platform
 * chart, so `helm template` and `helm package` need no network and no `helm dependency build`.
 */
export function vendorUmbrellaDependencies(root: string, chartDir: string): void {
  mkdirSync(path.join(chartDir, 'charts'), { recursive: true });
  for (const pin of OBSERVABILITY_PINS) copyFileSync(cachedChart(root, pin), path.join(chartDir, 'charts', path.basename(cachedChart(root, pin))));
  cpSync(path.join(root, 'charts', 'observability-platform'), path.join(chartDir, 'charts', 'observability-platform'), { recursive: true });
}

/** One document of `helm template` output with the chart path its `# Source:` line names. */
export interface SourcedDocument {
  /** The dependency it came from (`grafana`), or undefined for the umbrella's own templates. */
  readonly dependency: string | undefined;
  readonly source: string;
  readonly text: string;
}

/** Splits `helm template` output into documents, each with the dependency its `# Source:` names. */
export function splitBySource(stdout: string): SourcedDocument[] {
  return stdout
    .split(/^---\s*$/m)
    .map((text) => {
      const source = /^# Source: (.+)$/m.exec(text)?.[1]?.trim() ?? '';
      const dependency = /^[^/]+\/charts\/([^/]+)\//.exec(source)?.[1];
      return { dependency, source, text };
    })
    .filter((document) => document.source !== '');
}
