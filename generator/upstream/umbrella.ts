/**
 * Puts the observability umbrella together the way `helm dependency build` would, from the
 * cache instead of the network: the generated chart, its pinned upstream packages from
 * `.cache/upstream/` and the local observability-platform chart, in a scratch folder. Tests,
 * `chartkit upstream sync` and `chartkit publish` all render or package this assembly.
 */
import { cpSync, copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { OBSERVABILITY_PINS } from './pins.js';
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
  mkdirSync(path.join(chart, 'charts'), { recursive: true });
  for (const pin of OBSERVABILITY_PINS) copyFileSync(cachedChart(root, pin), path.join(chart, 'charts', path.basename(cachedChart(root, pin))));
  // file://../observability-platform: beside the umbrella for `helm dependency` and inside it for rendering.
  cpSync(path.join(root, 'charts', 'observability-platform'), path.join(target, 'observability-platform'), { recursive: true });
  cpSync(path.join(root, 'charts', 'observability-platform'), path.join(chart, 'charts', 'observability-platform'), { recursive: true });
  return chart;
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
