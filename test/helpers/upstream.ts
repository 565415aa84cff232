// The real pinned upstream charts for the tests: the global setup makes sure the cache matches the
// lock (fetching from CHARTKIT_UPSTREAM_DIR or the network) and assembles the observability
// umbrella with them once per run; tests ask for that assembly here. When the artifacts cannot be
// had, every test that needs them fails with the reason and how to provide them, never skips.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { runCacheDir } from './cache.js';

/** The file in which the global setup records why the upstream artifacts are unavailable. */
export const upstreamErrorFile = (runDir: string): string => path.join(runDir, 'upstream-error.txt');

/** The folder the global setup assembles the umbrella in. */
export const umbrellaAssemblyDir = (runDir: string): string => path.join(runDir, 'umbrella');

/**
 * The observability umbrella with its real pinned dependencies (the chart folder).
 * @throws with the global setup's reason when the upstream artifacts were not available.
 */
export function realUmbrella(): string {
  const error = upstreamErrorFile(runCacheDir);
  if (existsSync(error)) throw new Error(readFileSync(error, 'utf8'));
  const chart = path.join(umbrellaAssemblyDir(runCacheDir), 'observability');
  if (!existsSync(chart))
    throw new Error(`the observability umbrella was not assembled in ${chart}: run the tests through vitest (its global setup assembles it)`);
  return chart;
}
