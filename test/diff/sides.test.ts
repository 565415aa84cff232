// The old side of an upgrade whose upstream pin is not today's (the pull request that bumps an
// upstream chart): its package is fetched from the mirror and verified against the lock of the
// version that pinned it, or the comparison is refused. The older release is the real pinned
// package with only its Chart.yaml version changed (the lock's content digest leaves Chart.yaml
// out, so the digest is the real one); the umbrella renders it with the real helm.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../../generator/paths.mjs';
import { readTgz, writeTgz } from '../../generator/archive.js';
import { UserError } from '../../generator/errors.js';
import { renderableChart, renderSide } from '../../generator/diff/sides.js';
import { UPSTREAM_DIR_VARIABLE } from '../../generator/upstream/cache.js';
import { UPSTREAM_LOCK, type UpstreamLock } from '../../values-schemas/platform/locked.js';
import { OBSERVABILITY_PINS } from '../../values-schemas/platform/pins.js';

const OLDER = '12.11.0';
const grafana = OBSERVABILITY_PINS.find((pin) => pin.name === 'grafana')!;
let work: string;
let umbrella: string;
let previousMirror: string | undefined;

beforeAll(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'chartkit-diff-sides-'));
  const upstream = process.env[UPSTREAM_DIR_VARIABLE];
  if (!upstream) throw new Error(`${UPSTREAM_DIR_VARIABLE} is not set: point it at the upstream mirror (../shared/upstream), as .ci/run does`);
  // GIVEN a mirror holding today's pins (the cache may still be empty) and grafana as an older
  // release: today's package relabelled OLDER
  const mirror = path.join(work, 'mirror');
  mkdirSync(path.join(mirror, 'charts'), { recursive: true });
  for (const entry of readdirSync(path.join(upstream, 'charts'))) symlinkSync(path.join(upstream, 'charts', entry), path.join(mirror, 'charts', entry));
  const files = readTgz(readFileSync(path.join(upstream, 'charts', `grafana-${grafana.version}.tgz`))).map((file) =>
    file.path === 'grafana/Chart.yaml'
      ? { ...file, content: new TextEncoder().encode(new TextDecoder().decode(file.content).replace(/^version: .*$/m, `version: ${OLDER}`)) }
      : file,
  );
  writeFileSync(path.join(mirror, 'charts', `grafana-${OLDER}.tgz`), writeTgz(files));
  previousMirror = upstream;
  process.env[UPSTREAM_DIR_VARIABLE] = mirror;
  // AND the observability umbrella as a version that pinned it (with its file:// sibling beside it)
  cpSync(path.join(repoRoot, 'charts', 'observability'), path.join(work, 'old', 'observability'), { recursive: true });
  cpSync(path.join(repoRoot, 'charts', 'observability-platform'), path.join(work, 'old', 'observability-platform'), { recursive: true });
  umbrella = path.join(work, 'old', 'observability');
  const chartYaml = path.join(umbrella, 'Chart.yaml');
  const text = readFileSync(chartYaml, 'utf8');
  const pinned = `  - name: grafana\n    version: "${grafana.version}"`;
  if (!text.includes(pinned)) throw new Error(`${chartYaml} has no ${JSON.stringify(pinned)}: the test's edit is stale`);
  writeFileSync(chartYaml, text.replace(pinned, `  - name: grafana\n    version: "${OLDER}"`));
});
afterAll(() => {
  process.env[UPSTREAM_DIR_VARIABLE] = previousMirror;
  rmSync(work, { recursive: true, force: true });
});

/** That version's lock: today's, with grafana at OLDER and the given content digest. */
const lockWith = (contentDigest: string): UpstreamLock => ({
  ...UPSTREAM_LOCK,
  charts: { ...UPSTREAM_LOCK.charts, grafana: { ...UPSTREAM_LOCK.charts['grafana']!, version: OLDER, contentDigest } },
});

describe('an old umbrella pinning an upstream chart today does not pin', () => {
  it('should fetch it from the mirror, verify it against its lock and render with it', async () => {
    const dir = await renderableChart(repoRoot, umbrella, work, lockWith(UPSTREAM_LOCK.charts['grafana']!.contentDigest));
    const rendered = await renderSide(dir, {
      helm: 4,
      release: 'observability',
      namespace: 'observability',
      values: [path.join(umbrella, 'values-prod.yaml')],
      set: [],
    });
    expect(rendered.ok && rendered.objects.some((object) => object.kind === 'Deployment' && object.metadata?.name?.includes('grafana'))).toBe(true);
  });

  it('should refuse a package whose content differs from the lock of the version that pinned it', async () => {
    const refused = renderableChart(repoRoot, umbrella, work, lockWith(`sha256:${'0'.repeat(64)}`));
    await expect(refused).rejects.toThrow(UserError);
    await expect(refused).rejects.toThrow(
      `grafana ${OLDER}: content ${UPSTREAM_LOCK.charts['grafana']!.contentDigest} differs from its lock's sha256:${'0'.repeat(64)}`,
    );
  });

  it('should refuse it without a lock to verify it with (an old version given as a folder)', async () => {
    await expect(renderableChart(repoRoot, umbrella, work)).rejects.toThrow('has no lock entry for it, so its package cannot be verified');
  });
});
