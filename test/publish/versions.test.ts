// Versions and chart metadata: the content hash moves with content and not with the version,
// the rule "content changed but version did not", bump, and the Artifact Hub annotations every
// generated Chart.yaml carries.
import { cpSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { describe, it, expect } from 'vitest';
import { renderCharts, chartModules } from '../../generator/index.js';
import { generate } from '../../generator/commands/generate.js';
import { readChartAssets, readReleases } from '../../generator/files.js';
import { bump, nextVersion, parseChange } from '../../generator/versioning/bump.js';
import { baseRef, findVersionViolations, versionAndHash, versionViolationMessage } from '../../generator/versioning/rule.js';
import { CONTENT_HASH_ANNOTATION, imagesFromValues } from '../../generator/emit/chart-metadata.js';
import { repoRoot } from '../../generator/paths.mjs';
import type { OutputFile } from '../../generator/types.js';
import { UserError } from '../../generator/errors.js';

const render = (transform: (assets: Map<string, string>, chart: string) => void = () => {}) =>
  renderCharts(
    chartModules,
    (chart) => {
      const assets = new Map(readChartAssets(path.join(repoRoot, 'generator'), chart));
      transform(assets, chart);
      return assets;
    },
    readReleases(path.join(repoRoot, 'generator')),
  );
const chartYamlOf = (files: readonly OutputFile[], chart: string) => files.find((file) => file.path === `${chart}/Chart.yaml`)!.content;

describe('content hash', () => {
  const baseline = render();

  it('should be in every generated Chart.yaml, with Artifact Hub license and links', () => {
    for (const module of chartModules) {
      const metadata = yaml.load(chartYamlOf(baseline, module.name)) as { annotations: Record<string, string> };
      expect(metadata.annotations[CONTENT_HASH_ANNOTATION]).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(metadata.annotations['artifacthub.io/license']).toBe('Apache-2.0');
      expect(yaml.load(metadata.annotations['artifacthub.io/links']!)).toEqual(
        expect.arrayContaining([expect.objectContaining({ name: 'Chart source (generator)' })]),
      );
    }
  });

  it('should list the images restaurant-app deploys, derived from its values', () => {
    const metadata = yaml.load(chartYamlOf(baseline, 'restaurant-app')) as { annotations: Record<string, string> };
    const images = yaml.load(metadata.annotations['artifacthub.io/images']!) as Array<{ name: string; image: string }>;
    expect(images.map((image) => image.name)).toEqual(expect.arrayContaining(['frontend', 'api-gateway', 'order-service']));
    for (const image of images) expect(image.image).toMatch(/^registry\.example\.com\/restaurant\/[a-z-]+:\d+\.\d+\.\d+$/);
  });

  it('should derive images from map entries merged over their defaults, skipping disabled ones', () => {
    const values = {
      global: { image: { registry: 'r.example', tag: '' } },
      serviceDefaults: { enabled: true, image: { repository: '', tag: '' } },
      services: { web: {}, api: { image: { tag: '2.0.0' } }, off: { enabled: false } },
    };
    expect(imagesFromValues(values, '1.0.0')).toEqual([
      { name: 'api', image: 'r.example/api:2.0.0' },
      { name: 'web', image: 'r.example/web:1.0.0' },
    ]);
  });

  it('should change with a template but not with the version alone', () => {
    // GIVEN the same charts with one restaurant-app template changed, and with only its version changed
    const changed = render((assets, chart) => {
      if (chart === 'restaurant-app') assets.set('templates/NOTES.txt', `${assets.get('templates/NOTES.txt')}\nchanged\n`);
    });
    const hashOf = (files: readonly OutputFile[]) => versionAndHash(chartYamlOf(files, 'restaurant-app')).hash;
    const versionOnly = chartYamlOf(baseline, 'restaurant-app').replace(/^version: .*$/m, 'version: 9.9.9');
    // THEN the template change moves the hash, the version does not
    expect(hashOf(changed)).not.toBe(hashOf(baseline));
    expect(versionAndHash(versionOnly).hash).toBe(hashOf(baseline));
    // AND the rule flags exactly that chart, naming the bump
    const violations = findVersionViolations(changed, (chart) => chartYamlOf(baseline, chart));
    expect(violations).toEqual([{ chart: 'restaurant-app', version: expect.any(String) }]);
    expect(versionViolationMessage(violations, 'origin/main')).toMatch(/content changed but the version did not.*\n.*npm run bump -- restaurant-app patch/);
    // AND a bumped version passes
    const bumped = changed.map((file) =>
      file.path === 'restaurant-app/Chart.yaml' ? { ...file, content: file.content.replace(/^version: .*$/m, 'version: 9.9.9') } : file,
    );
    expect(findVersionViolations(bumped, (chart) => chartYamlOf(baseline, chart))).toEqual([]);
  });

  it('should not flag charts without a baseline (new charts)', () => {
    expect(findVersionViolations(baseline, () => undefined)).toEqual([]);
  });
});

describe('bump', () => {
  it.each([
    ['0.1.0', 'patch', '0.1.1'],
    ['0.1.9', 'minor', '0.2.0'],
    ['1.4.2', 'major', '2.0.0'],
    ['1.0.0-rc.1', 'patch', '1.0.1'],
  ] as const)('should raise %s by %s to %s', (from, level, to) => {
    expect(nextVersion(from, level)).toBe(to);
  });

  it('should read a change kind prefix, defaulting to changed', () => {
    expect(parseChange('fixed: probe path')).toEqual({ kind: 'fixed', description: 'probe path' });
    expect(parseChange('Add the menu cache')).toEqual({ kind: 'changed', description: 'Add the menu cache' });
  });

  it('should write the new version and its changelog entry into releases.json, then regenerate', () => {
    // GIVEN a repository root with a releases file
    const root = mkdtempSync(path.join(os.tmpdir(), 'chartkit-bump-'));
    try {
      mkdirSync(path.join(root, 'generator', 'charts'), { recursive: true });
      const file = path.join(root, 'generator', 'charts', 'releases.json');
      writeFileSync(file, JSON.stringify({ demo: { version: '0.1.0', appVersion: '1.0.0', description: 'd' } }, null, 2));
      const regenerated: string[] = [];
      // WHEN demo is bumped by minor with two changes
      const result = bump({
        root,
        chart: 'demo',
        level: 'minor',
        changes: ['added: a thing', 'security: b'],
        regenerate: (chart) => (regenerated.push(chart), 3),
      });
      // THEN releases.json holds the version and its entry, and the chart was regenerated
      expect(result).toEqual({ from: '0.1.0', to: '0.2.0', files: 3 });
      expect(JSON.parse(readFileSync(file, 'utf8')).demo).toEqual({
        version: '0.2.0',
        appVersion: '1.0.0',
        description: 'd',
        changes: {
          '0.2.0': [
            { kind: 'added', description: 'a thing' },
            { kind: 'security', description: 'b' },
          ],
        },
      });
      expect(regenerated).toEqual(['demo']);
      // AND a bump without a change, or of an unknown chart, is refused
      expect(() => bump({ root, chart: 'demo', level: 'patch', changes: [] })).toThrow(/say what changed/);
      expect(() => bump({ root, chart: 'nope', level: 'patch', changes: ['x'] })).toThrow(/unknown chart nope/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('bump, end to end', () => {
  it('should regenerate the bumped chart and the umbrella that vendors it with the new version', () => {
    // GIVEN a copy of the generator's inputs and the committed charts
    const root = mkdtempSync(path.join(os.tmpdir(), 'chartkit-bump-e2e-'));
    try {
      cpSync(path.join(repoRoot, 'generator', 'templates'), path.join(root, 'generator', 'templates'), { recursive: true });
      cpSync(path.join(repoRoot, 'generator', 'charts', 'releases.json'), path.join(root, 'generator', 'charts', 'releases.json'));
      cpSync(path.join(repoRoot, 'charts'), path.join(root, 'charts'), { recursive: true });
      const before = yaml.load(readFileSync(path.join(root, 'charts', 'restaurant-app', 'Chart.yaml'), 'utf8')) as { version: string };
      // WHEN restaurant-app is bumped in this process, regenerating as the CLI does
      const result = bump({ root, chart: 'restaurant-app', level: 'patch', changes: ['fixed: probe path'], regenerate: () => generate({ root }).files });
      // THEN the chart, its vendored copy and the umbrella's dependency all carry the new version
      const chartYaml = (file: string) =>
        yaml.load(readFileSync(path.join(root, 'charts', file), 'utf8')) as {
          version: string;
          dependencies?: Array<{ name: string; version: string }>;
          annotations: Record<string, string>;
        };
      expect(result.from).toBe(before.version);
      expect(chartYaml('restaurant-app/Chart.yaml').version).toBe(result.to);
      expect(chartYaml('restaurant-platform/charts/restaurant-app/Chart.yaml').version).toBe(result.to);
      expect(chartYaml('restaurant-platform/Chart.yaml').dependencies?.find((dependency) => dependency.name === 'restaurant-app')?.version).toBe(result.to);
      expect(chartYaml('restaurant-app/Chart.yaml').annotations['artifacthub.io/changes']).toContain('probe path');
      // AND the result is what a fresh generation gives: no drift
      expect(generate({ root, check: true }).drift).toEqual({ missing: [], extra: [], changed: [] });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe("the version rule's base ref", () => {
  it('should refuse a CHARTKIT_BASE_REF that names no commit, instead of comparing with nothing', () => {
    for (const ref of ['nonexistent', 'origin/mian']) {
      expect(() => baseRef(repoRoot, { CHARTKIT_BASE_REF: ref })).toThrow(new RegExp(`CHARTKIT_BASE_REF=${ref} does not name a commit here`));
    }
  });

  it('should fail npm run check with that message, not report the versions as checked', () => {
    const saved = process.env.CHARTKIT_BASE_REF;
    process.env.CHARTKIT_BASE_REF = 'origin/mian';
    try {
      expect(() => generate({ check: true })).toThrow(UserError);
    } finally {
      if (saved === undefined) delete process.env.CHARTKIT_BASE_REF;
      else process.env.CHARTKIT_BASE_REF = saved;
    }
  });

  it('should accept a ref that names a commit', () => {
    expect(baseRef(repoRoot, { CHARTKIT_BASE_REF: 'HEAD' })).toBe('HEAD');
  });
});
