/**
 * `helm lint --strict` of every generated chart with each environment's values, on the Helm
 * versions the tests use (`CHARTKIT_HELM_MAJORS`, default both). Charts whose dependencies come
 * from chart repositories (the upstream observability umbrella) are skipped with a note: lint
 * needs them downloaded. Exits 1 when any lint fails.
 *
 *   npm run lint
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { chartNames } from '../generator/index.js';
import { HELM_MAJORS, resolveHelm } from '../generator/toolchain.js';
import { repoRoot } from './tools/paths.mjs';

let failed = 0;
for (const chart of chartNames()) {
  const dir = path.join(repoRoot, 'charts', chart);
  const meta = yaml.load(readFileSync(path.join(dir, 'Chart.yaml'), 'utf8')) as { dependencies?: Array<{ repository?: string }> };
  if ((meta.dependencies ?? []).some((d) => d.repository && !d.repository.startsWith('file://'))) {
    console.log(`lint: ${chart}: skipped (its dependencies come from chart repositories; lint it after helm dependency build)`);
    continue;
  }
  for (const helm of HELM_MAJORS) {
    for (const environment of ['dev', 'staging', 'prod']) {
      const values = path.join(dir, `values-${environment}.yaml`);
      const args = ['lint', '--strict', dir, ...(existsSync(values) ? ['--values', values] : [])];
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
