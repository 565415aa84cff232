/**
 * `helm lint --strict` of every generated chart with each environment's values, on the Helm
 * versions the tests use (`CHARTKIT_HELM_MAJORS`, default both). The observability umbrella is
 * linted with its real pinned dependencies from the verified upstream cache (filled from
 * `CHARTKIT_UPSTREAM_DIR` or the network); when they cannot be had, that is a failure, not a skip.
 * Exits 1 when any lint fails.
 *
 *   npm run lint
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { chartNames } from '../generator/index.js';
import { HELM_MAJORS, resolveHelm } from '../generator/toolchain.js';
import { repoRoot } from './tools/paths.mjs';
import { ensureUpstream } from '../generator/upstream/cache.js';
import { OBSERVABILITY_PINS } from '../generator/upstream/pins.js';
import { assembleUmbrella, UMBRELLA } from '../generator/upstream/umbrella.js';

let failed = 0;
const scratch = mkdtempSync(path.join(os.tmpdir(), 'chartkit-lint-'));
process.once('exit', () => rmSync(scratch, { recursive: true, force: true }));
for (const chart of chartNames()) {
  let dir = path.join(repoRoot, 'charts', chart);
  const namespace: string[] = [];
  const meta = yaml.load(readFileSync(path.join(dir, 'Chart.yaml'), 'utf8')) as { dependencies?: Array<{ repository?: string }> };
  if ((meta.dependencies ?? []).some((d) => d.repository && !d.repository.startsWith('file://'))) {
    if (chart !== UMBRELLA) throw new Error(`lint: ${chart} has dependencies from chart repositories and no way to get them offline`);
    // The umbrella with its pinned dependencies from the verified cache (mirror or network), in
    // the namespace it refuses to render outside of.
    try {
      await ensureUpstream({ root: repoRoot, pins: OBSERVABILITY_PINS });
    } catch (error) {
      console.error(`lint: ${chart}: ${(error as Error).message}`);
      failed += 1;
      continue;
    }
    dir = assembleUmbrella(repoRoot, scratch);
    namespace.push('--namespace', 'observability');
  }
  for (const helm of HELM_MAJORS) {
    for (const environment of ['dev', 'staging', 'prod']) {
      const values = path.join(dir, `values-${environment}.yaml`);
      const args = ['lint', '--strict', dir, ...namespace, ...(existsSync(values) ? ['--values', values] : [])];
      try {
        execFileSync(resolveHelm(helm), args, { stdio: ['ignore', 'pipe', 'pipe'] });
        console.log(`lint: ${chart} (${environment}, Helm ${helm}): ok`);
      } catch (error) {
        failed += 1;
        const err = error as { stdout?: Buffer; stderr?: Buffer };
        console.error(`lint: ${chart} (${environment}, Helm ${helm}) failed:\n${err.stdout ?? ''}${err.stderr ?? ''}`);
      }
    }
  }
}
process.exit(failed ? 1 : 0);
