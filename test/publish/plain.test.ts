// Publishing to a real OCI registry (CNCF distribution, plain HTTP on loopback) with Helm 3 and
// Helm 4: reproducible packages, push, pull back with equal digests, immutable versions.
import { mkdtempSync, readFileSync, rmSync, cpSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startRegistry, type RunningRegistry } from '../helpers/registry.js';
import { resolveHelm } from '../helpers/tools.js';

// Reproducibility across Helm versions needs both, whatever CHARTKIT_HELM_MAJORS selects: the
// install step always provides both binaries.
const HELM_MAJORS = [3, 4] as const;
import { publish, formatPublishTable, type PublishedChart } from '../../generator/publish/publish.js';
import { packageChart } from '../../generator/publish/package.js';
import { HelmRunner } from '../../generator/publish/helm-cli.js';
import { repoRoot } from '../../generator/paths.mjs';

const CHART = 'restaurant-app';
let registry: RunningRegistry;
const published = new Map<number, PublishedChart[]>();

beforeAll(async () => {
  // GIVEN one plain-HTTP registry, and the chart published to it once per Helm version
  registry = await startRegistry();
  await Promise.all(
    HELM_MAJORS.map(async (helm) => {
      published.set(helm, await publish({ registry: `${registry.url}/helm${helm}`, charts: [CHART], plainHttp: true, helm }));
    }),
  );
});
afterAll(async () => {
  await registry?.stop();
});

describe.each(HELM_MAJORS)('chartkit publish with Helm %i', (helm) => {
  it('should push the chart and pull it back with the same digest', () => {
    // THEN one row, pushed, with a manifest digest
    const [row] = published.get(helm)!;
    expect(row).toMatchObject({ chart: CHART, action: 'pushed', ref: `${registry.url}/helm${helm}/${CHART}` });
    expect(row!.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('should treat publishing the same content again as a no-op', async () => {
    // WHEN the same chart is published again
    const [again] = await publish({ registry: `${registry.url}/helm${helm}`, charts: [CHART], plainHttp: true, helm });
    // THEN nothing is pushed and the digest is the one already there
    expect(again).toMatchObject({ action: 'unchanged', digest: published.get(helm)![0]!.digest });
  });
});

describe('reproducible packaging', () => {
  it('should give the same package and manifest digest whichever Helm packaged and pushed it', () => {
    // THEN Helm 3 and Helm 4 pushed byte-identical packages with identical manifests
    const [three] = published.get(3)!;
    const [four] = published.get(4)!;
    expect(three!.packageDigest).toBe(four!.packageDigest);
    expect(three!.digest).toBe(four!.digest);
  });

  it('should give the same bytes for a copy of the chart with other file times', async () => {
    // GIVEN a copy of the chart whose files have other modification times
    const work = mkdtempSync(path.join(os.tmpdir(), 'chartkit-repro-'));
    try {
      const copy = path.join(work, CHART);
      cpSync(path.join(repoRoot, 'charts', CHART), copy, { recursive: true, preserveTimestamps: false });
      const helm = new HelmRunner({ bin: resolveHelm(3), env: {}, secrets: [] });
      // WHEN both are packaged with Helm 3 (which stamps the packaging time into the tar headers)
      const [a, b] = await Promise.all([
        packageChart(helm, path.join(repoRoot, 'charts', CHART), mkdtempSync(path.join(work, 'a-'))),
        packageChart(helm, copy, mkdtempSync(path.join(work, 'b-'))),
      ]);
      // THEN the canonical packages are byte-identical
      expect(a.sha256).toBe(b.sha256);
      expect(readFileSync(a.file).equals(readFileSync(b.file))).toBe(true);
      expect(`sha256:${a.sha256}`).toBe(published.get(4)![0]!.packageDigest);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});

describe('immutable versions', () => {
  it('should refuse to publish changed content under a published version, naming the bump', async () => {
    // GIVEN a copy of the repository's chart whose content changed but whose version did not
    const root = mkdtempSync(path.join(os.tmpdir(), 'chartkit-changed-'));
    try {
      cpSync(path.join(repoRoot, 'charts', CHART), path.join(root, 'charts', CHART), { recursive: true });
      const notes = path.join(root, 'charts', CHART, 'templates', 'NOTES.txt');
      writeFileSync(notes, `${readFileSync(notes, 'utf8')}\nchanged\n`);
      // WHEN it is published to where that version already is
      const attempt = publish({ root, registry: `${registry.url}/helm4`, charts: [CHART], plainHttp: true, helm: 4 });
      // THEN it is refused with the version to bump and where
      await expect(attempt).rejects.toThrow(
        new RegExp(
          `${CHART} ${published.get(4)![0]!.version.replace(/\./g, '\\.')} is already published .* with different content.*npm run bump -- ${CHART} patch.*generator/charts/releases\\.json`,
        ),
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('chartkit publish --exclude', () => {
  it('should publish every chart but the excluded ones (dry run)', async () => {
    const rows = await publish({ registry: `${registry.url}/exclude`, exclude: ['observability', 'restaurant-platform'], plainHttp: true, dryRun: true });
    expect(rows.map((row) => row.chart)).toEqual(['restaurant-app', 'istio-mesh', 'observability-platform']);
    expect(rows.every((row) => row.action === 'would push')).toBe(true);
    // No manifest exists yet: DIGEST is the registry's manifest digest in every run, so it is empty here.
    expect(rows.every((row) => row.digest === undefined && /^sha256:[0-9a-f]{64}$/.test(row.packageDigest))).toBe(true);
    const table = formatPublishTable(rows).split('\n');
    expect(table[0]).toMatch(/^CHART\s+VERSION\s+DIGEST\s+PACKAGE\s+ACTION\s+SIGNED$/);
    expect(table[1]).toMatch(/^restaurant-app\s+\S+\s+-\s+sha256:[0-9a-f]{64}\s+would push\s+-$/);
  });

  it("should show the registry's manifest digest in a dry run of a version it already has", async () => {
    const [real] = published.get(4)!;
    const [dry] = await publish({ registry: `${registry.url}/helm4`, charts: [CHART], plainHttp: true, dryRun: true, helm: 4 });
    expect(dry).toMatchObject({ action: 'would skip', digest: real!.digest, packageDigest: real!.packageDigest });
  });

  it('should refuse to exclude a chart that does not exist, naming it', async () => {
    await expect(publish({ registry: `${registry.url}/exclude`, exclude: ['grafana'], plainHttp: true, dryRun: true })).rejects.toThrow(
      /--exclude grafana: not a chart/,
    );
  });
});

describe('chartkit publish to a plain-HTTP registry without --plain-http', () => {
  it('should fail saying to add --plain-http', async () => {
    await expect(publish({ registry: `${registry.url}/no-flag`, charts: [CHART], helm: 4 })).rejects.toThrow(
      /the registry speaks plain HTTP: add --plain-http/,
    );
  });
});
