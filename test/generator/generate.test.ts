// The generator: charts/ matches its source, the drift check catches every kind of drift, output
// is deterministic, and no Handlebars or HTML-escaping artefact leaks into a chart.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generate } from '../../generator/commands/generate.js';
import { repoRoot } from '../../generator/paths.mjs';
import { chartModules, renderCharts } from '../../generator/index.js';
import { readChartAssets, readReleases } from '../../generator/files.js';
import { UserError } from '../../generator/errors.js';
import type { OutputFile } from '../../generator/types.js';
import { ENVIRONMENTS } from '../../values-schemas/common/global.js';

const generatorDir = path.join(repoRoot, 'generator');
const renderInMemory = (): OutputFile[] => renderCharts(chartModules, (chart) => readChartAssets(generatorDir, chart), readReleases(generatorDir));

function copyForCheck(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'chartkit-drift-'));
  cpSync(path.join(repoRoot, 'generator', 'templates'), path.join(root, 'generator', 'templates'), { recursive: true });
  cpSync(path.join(repoRoot, 'generator', 'charts', 'releases.json'), path.join(root, 'generator', 'charts', 'releases.json'));
  cpSync(path.join(repoRoot, 'charts'), path.join(root, 'charts'), { recursive: true });
  return root;
}

function treeOf(root: string, relative = ''): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(path.join(root, relative)).sort()) {
    const child = path.join(relative, entry);
    if (statSync(path.join(root, child)).isDirectory()) Object.assign(files, treeOf(root, child));
    else files[child] = readFileSync(path.join(root, child), 'utf8');
  }
  return files;
}

describe('generate --check', () => {
  it('should pass on the committed charts', () => {
    const result = generate({ check: true });
    expect(result.drift).toEqual({ missing: [], extra: [], changed: [] });
    expect(result.charts).toEqual(chartModules.map((module) => module.name));
  });

  describe('on a modified copy', () => {
    let root: string;
    let failure: unknown;
    beforeAll(() => {
      // GIVEN a copy of the charts with one file edited, one added and one deleted
      root = copyForCheck();
      appendFileSync(path.join(root, 'charts/restaurant-app/values.yaml'), '# hand edit\n');
      writeFileSync(path.join(root, 'charts/restaurant-app/templates/extra.yaml'), 'kind: ConfigMap\n');
      rmSync(path.join(root, 'charts/restaurant-app/templates/service.yaml'));
      // WHEN checked
      try {
        generate({ root, check: true, charts: ['restaurant-app'] });
      } catch (error) {
        failure = error;
      }
    });
    afterAll(() => rmSync(root, { recursive: true, force: true }));

    it('should fail as a user error that names every drifted file and the fix', () => {
      expect(failure).toBeInstanceOf(UserError);
      const message = (failure as Error).message;
      expect(message).toContain('changed: charts/restaurant-app/values.yaml');
      expect(message).toContain('extra:   charts/restaurant-app/templates/extra.yaml');
      expect(message).toContain('missing: charts/restaurant-app/templates/service.yaml');
      expect(message).toContain('npm run generate');
    });

    it('should pass again once the charts are regenerated', () => {
      generate({ root, charts: ['restaurant-app'] });
      expect(generate({ root, check: true, charts: ['restaurant-app'] }).drift).toEqual({ missing: [], extra: [], changed: [] });
    });
  });

  it('should reject an unknown chart as a user error', () => {
    expect(() => generate({ check: true, charts: ['no-such-chart'] })).toThrow(UserError);
  });
});

describe('generated output', () => {
  const files = renderInMemory();

  it('should be deterministic: two renders are byte-identical, and so are two written trees', () => {
    expect(renderInMemory()).toEqual(files);
    const [first, second] = [copyForCheck(), copyForCheck()];
    try {
      generate({ root: first });
      generate({ root: second });
      expect(treeOf(path.join(first, 'charts'))).toEqual(treeOf(path.join(second, 'charts')));
    } finally {
      rmSync(first, { recursive: true, force: true });
      rmSync(second, { recursive: true, force: true });
    }
  });

  it.each(files.map((file) => [file.path, file] as const))('%s has no template-engine leftovers', (_, file) => {
    expect(file.content).not.toContain('\\{{');
    expect(file.content).not.toContain('&#x');
    expect(file.content).not.toContain('&quot;');
    expect(file.content).not.toContain('&amp;');
    expect(file.content).not.toMatch(/\r/);
  });

  it.each(files.filter((file) => !file.path.endsWith('.json') && !file.path.endsWith('.tgz')).map((file) => [file.path, file] as const))(
    '%s carries the do-not-edit banner',
    (_, file) => {
      // A chart's files name its module; the vendored library chart's name the library's source folder.
      expect(file.content.split('\n').slice(0, 3).join('\n')).toMatch(
        file.path.includes('/charts/chartkit-common/')
          ? /Code generated by chartkit from generator\/templates\/chartkit-common\. DO NOT EDIT\./
          : /Code generated by chartkit from generator\/charts\/[a-z-]+\.ts\. DO NOT EDIT\./,
      );
    },
  );

  it('should give every values file the schema modeline on its first line', () => {
    const valuesFiles = files.filter((file) => /\/values(-[a-z]+)?\.yaml$/.test(file.path));
    // (every application chart, vendored copies included, has its defaults and one overlay per environment; a library chart has no values)
    const chartRoots = files
      .filter((file) => file.path.endsWith('/Chart.yaml') && !/^type: library$/m.test(file.content))
      .map((file) => path.posix.dirname(file.path));
    expect(valuesFiles.map((file) => file.path).sort()).toEqual(
      chartRoots.flatMap((root) => ['values.yaml', ...ENVIRONMENTS.map((environment) => `values-${environment}.yaml`)].map((name) => `${root}/${name}`)).sort(),
    );
    for (const file of valuesFiles) expect(file.content.split('\n')[0]).toBe('# yaml-language-server: $schema=values.schema.json');
  });

  it('should emit draft-07 schemas that forbid unknown keys on every object', () => {
    for (const file of files.filter((candidate) => candidate.path.endsWith('/values.schema.json'))) {
      const schema = JSON.parse(file.content) as Record<string, unknown>;
      expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
      const open: string[] = [];
      const visit = (node: unknown, at: string) => {
        if (Array.isArray(node)) return node.forEach((child, index) => visit(child, `${at}[${index}]`));
        if (node === null || typeof node !== 'object') return;
        const record = node as Record<string, unknown>;
        if ((record.type === 'object' || record.properties || record.patternProperties) && record.additionalProperties !== false) open.push(at);
        for (const [key, child] of Object.entries(record)) visit(child, `${at}/${key}`);
      };
      visit(schema, file.path);
      expect(open).toEqual([]);
      expect(file.content).not.toMatch(/"\$ref":\s*"https?:/);
      expect(file.content).not.toMatch(/unevaluatedProperties|dependentSchemas|prefixItems/);
    }
  });
});
