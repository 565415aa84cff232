// The pinned upstream charts as folders, for tests that render one on its own (istiod, ztunnel):
// extracted once per run from the verified cache into the run folder.
import { existsSync, mkdirSync, readFileSync, writeFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { runCacheDir } from './cache.js';
import { realUmbrella } from './upstream.js';
import { repoRoot } from '../../generator/paths.mjs';
import { PINS, type ChartPin } from '../../values-schemas/platform/pins.js';
import { cachedChart } from '../../generator/upstream/cache.js';
import { readTgz } from '../../generator/upstream/tar.js';

/** The folder of a pinned chart (e.g. `istiod`), extracted from the cache. */
export function upstreamChart(name: string): string {
  realUmbrella(); // fails with the global setup's reason when the artifacts are unavailable
  const pin = PINS.find((entry): entry is ChartPin => entry.kind === 'chart' && entry.name === name);
  if (!pin) throw new Error(`no pinned chart ${name}`);
  const target = path.join(runCacheDir, 'upstream-charts', `${pin.name}-${pin.version}`);
  if (!existsSync(path.join(target, pin.name, 'Chart.yaml'))) {
    const scratch = `${target}.${process.pid}`;
    for (const [file, bytes] of readTgz(readFileSync(cachedChart(repoRoot, pin)), pin.name)) {
      mkdirSync(path.dirname(path.join(scratch, file)), { recursive: true });
      writeFileSync(path.join(scratch, file), bytes);
    }
    try {
      renameSync(scratch, target);
    } catch {
      rmSync(scratch, { recursive: true, force: true }); // another worker was first
    }
  }
  return path.join(target, pin.name);
}
