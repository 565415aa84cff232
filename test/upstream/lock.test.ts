// The upstream lock against the real pinned artifacts: the committed lock is exactly what the
// artifacts give, and `chartkit upstream verify` fails with one line per missing or tampered
// artifact, saying how to get it.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../../generator/paths.mjs';
import { realUmbrella } from '../helpers/upstream.js';
import { PINS, OBSERVABILITY_PINS, CRD_PINS, type ChartPin } from '../../values-schemas/platform/pins.js';
import { analyzeChart, analyzeCrds } from '../../generator/upstream/lock.js';
import { UPSTREAM_LOCK } from '../../values-schemas/platform/locked.js';
import {
  cachedChart,
  cachedCrds,
  ensureUpstream,
  lockFile,
  upstreamCacheDir,
  upstreamSource,
  verifyCache,
  UPSTREAM_DIR_VARIABLE,
} from '../../generator/upstream/cache.js';
import { readTgz } from '../../generator/upstream/tar.js';
import { upstreamCommand } from '../../generator/commands/upstream.js';
import { UserError } from '../../generator/errors.js';

describe('the committed upstream lock', () => {
  beforeAll(() => {
    realUmbrella(); // the global setup verified and filled the cache, or says why not
  });

  it("should lock every pin, each chart with its key paths and, for the umbrella's, its Services per environment", () => {
    expect(Object.keys(UPSTREAM_LOCK.charts).length + Object.keys(UPSTREAM_LOCK.crds).length).toBe(PINS.length);
    for (const pin of OBSERVABILITY_PINS) {
      const locked = UPSTREAM_LOCK.charts[pin.name]!;
      expect(locked.valuesPaths.length, pin.name).toBeGreaterThan(50);
      expect(Object.keys(locked.services ?? {}).sort()).toEqual(['dev', 'prod', 'staging']);
      expect(locked.services!.prod!.length, pin.name).toBeGreaterThan(0);
    }
  });

  it.each(PINS.filter((pin): pin is ChartPin => pin.kind === 'chart').map((pin) => pin.name))('should hold what chart %s really is', (name) => {
    const pin = PINS.find((entry): entry is ChartPin => entry.kind === 'chart' && entry.name === name)!;
    const { services: _services, ...locked } = UPSTREAM_LOCK.charts[name]!;
    expect(analyzeChart(pin, readTgz(readFileSync(cachedChart(repoRoot, pin)), name))).toEqual(locked);
  });

  it.each(CRD_PINS.map((pin) => pin.name))('should hold what CRD set %s really is', (name) => {
    const pin = CRD_PINS.find((entry) => entry.name === name)!;
    const files = new Map(pin.files.map((file) => [file, readFileSync(path.join(cachedCrds(repoRoot, pin), file), 'utf8')]));
    expect(analyzeCrds(pin, files)).toEqual(UPSTREAM_LOCK.crds[name]);
    expect(UPSTREAM_LOCK.crds[name]!.kinds.length).toBeGreaterThan(0);
  });

  it('should know the kinds the charts emit', () => {
    expect(UPSTREAM_LOCK.crds['sail-operator']!.kinds).toContain('sailoperator.io/v1/Istio');
    expect(UPSTREAM_LOCK.crds.istio!.kinds).toContain('networking.istio.io/v1/VirtualService');
    expect(UPSTREAM_LOCK.crds['prometheus-operator']!.kinds).toContain('monitoring.coreos.com/v1/PrometheusRule');
  });
});

describe('chartkit upstream verify on a cache with problems', () => {
  let root: string;
  const lines: string[] = [];
  beforeAll(() => {
    realUmbrella();
    // GIVEN a project copy with the lock and a copy of the verified cache
    root = mkdtempSync(path.join(os.tmpdir(), 'chartkit-upstream-'));
    mkdirSync(path.dirname(lockFile(root)), { recursive: true });
    cpSync(lockFile(repoRoot), lockFile(root));
    cpSync(upstreamCacheDir(repoRoot), upstreamCacheDir(root), { recursive: true });
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('should pass on the intact copy', async () => {
    expect(verifyCache(root, UPSTREAM_LOCK)).toEqual([]);
    expect(await upstreamCommand(['verify'], { root, out: (line) => lines.push(line) })).toBe(0);
    expect(lines).toHaveLength(PINS.length);
  });

  it('should name a missing chart, a tampered chart and a tampered CRD file, one line each, with how to get them', async () => {
    // WHEN one package is deleted, one replaced by other bytes, and one CRD file edited
    const [grafana, loki] = [OBSERVABILITY_PINS[1], OBSERVABILITY_PINS[2]];
    rmSync(cachedChart(root, grafana));
    writeFileSync(cachedChart(root, loki), readFileSync(cachedChart(root, OBSERVABILITY_PINS[3])));
    const sail = CRD_PINS.find((pin) => pin.name === 'sail-operator')!;
    appendFileSync(path.join(cachedCrds(root, sail), sail.files[0]!), '\n# edited\n');
    // THEN verify fails with exactly those, one line each
    const error = await upstreamCommand(['verify'], { root, out: () => {} }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UserError);
    const message = (error as Error).message.split('\n');
    expect(message.filter((line) => line.startsWith('chart ') || line.startsWith('CRDs '))).toEqual([
      `chart grafana 12.11.1: missing: .cache/upstream/charts/grafana-12.11.1.tgz is not cached`,
      expect.stringMatching(/^chart loki 18\.11\.0: tampered: /),
      expect.stringMatching(/^CRDs sail-operator 1\.30\.3: tampered: sailoperator\.io_istios\.yaml differs/),
    ]);
    expect(message.at(-1)).toContain(UPSTREAM_DIR_VARIABLE);
  });

  it('should repair the cache from the mirror with --fetch', async () => {
    const mirror = process.env[UPSTREAM_DIR_VARIABLE];
    if (!mirror) throw new Error(`${UPSTREAM_DIR_VARIABLE} is not set: point it at the mirror (e.g. ../shared/upstream) to run this test`);
    expect(await upstreamCommand(['verify', '--fetch', '--from', mirror], { root, out: () => {} })).toBe(0);
    expect(verifyCache(root, UPSTREAM_LOCK)).toEqual([]);
  });

  it('should refuse a mirror that does not exist, naming where it came from', async () => {
    expect(() => upstreamSource(path.join(root, 'no-such-mirror'))).toThrow(/does not exist \(from --from\)/);
    await expect(ensureUpstream({ root: mkdtempSync(path.join(os.tmpdir(), 'chartkit-empty-')), from: path.join(root, 'no-such-mirror') })).rejects.toThrow(
      /values-schemas\/platform\/upstream-lock\.json is missing/,
    );
  });

  it('should refuse an unknown action', async () => {
    await expect(upstreamCommand(['frobnicate'], { root, out: () => {} })).rejects.toThrow(/unknown upstream action "frobnicate": use sync or verify/);
  });
});

describe('chartkit upstream sync', () => {
  it('should write exactly the committed lock from the mirror (no drift)', async () => {
    const mirror = process.env[UPSTREAM_DIR_VARIABLE];
    if (!mirror) throw new Error(`${UPSTREAM_DIR_VARIABLE} is not set: point it at the mirror (e.g. ../shared/upstream) to run this test`);
    // GIVEN a project copy with the generated umbrella and no cache
    const root = mkdtempSync(path.join(os.tmpdir(), 'chartkit-sync-'));
    try {
      for (const chart of ['observability', 'observability-platform'])
        cpSync(path.join(repoRoot, 'charts', chart), path.join(root, 'charts', chart), { recursive: true });
      mkdirSync(path.dirname(lockFile(root)), { recursive: true });
      // WHEN the lock is synced from the mirror
      const out: string[] = [];
      expect(await upstreamCommand(['sync', '--from', mirror], { root, out: (line) => out.push(line) })).toBe(0);
      // THEN it is byte for byte the committed one
      expect(readFileSync(lockFile(root), 'utf8')).toBe(readFileSync(lockFile(repoRoot), 'utf8'));
      expect(out).toEqual([`chartkit: locked 11 charts and 4 CRD sets in values-schemas/platform/upstream-lock.json`]);
      // AND the check mode agrees, and names the entry once the lock is edited
      expect(await upstreamCommand(['sync', '--check', '--from', mirror], { root, out: () => {} })).toBe(0);
      writeFileSync(lockFile(root), readFileSync(lockFile(root), 'utf8').replace('"version": "12.11.1"', '"version": "12.11.0"'));
      await expect(upstreamCommand(['sync', '--check', '--from', mirror], { root, out: () => {} })).rejects.toThrow(
        /upstream-lock\.json is out of date \(charts\.grafana differ/,
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
