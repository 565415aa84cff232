// The layering runs one way: every relative import of generator/, values-schemas/, scripts/ and
// test/ goes to its own layer or a lower one (the table is in ./layers.ts and README.md, "Layout").
// The checker is tested on synthetic edges too, so a green run cannot mean it saw nothing.
import { describe, it, expect } from 'vitest';
import { repoRoot } from '../../generator/paths.mjs';
import { LAYERS, layerOf, layerViolations, relativeImports, repositoryImports, resolveImport, sourceFiles, type ImportEdge } from './layers.js';

const edge = (from: string, to: string): ImportEdge => ({ from, specifier: to, to });

describe('the repository layering', () => {
  const files = sourceFiles(repoRoot);
  const edges = repositoryImports(repoRoot);

  it('should find source files in every layer, and imports to check', () => {
    // GIVEN every source file below the scanned roots
    // WHEN each is classified
    const populated = new Set(files.map((file) => layerOf(file)?.name));
    // THEN no layer of the table is empty (a mistyped path would make its checks vacuous)
    expect(LAYERS.map((layer) => layer.name).filter((name) => !populated.has(name))).toEqual([]);
    expect(edges.length).toBeGreaterThan(100);
  });

  it('should import only from the same or a lower layer', () => {
    // WHEN every relative import is judged against the table
    // THEN none goes upwards, names no file, or leaves the layers
    expect(layerViolations(edges)).toEqual([]);
  });
});

describe('layerOf', () => {
  it.each([
    ['values-schemas/common/merge.ts', 'common'],
    ['values-schemas/platform/pins.ts', 'platform'],
    ['values-schemas/platform/upstream-lock.json', 'platform'],
    ['values-schemas/istio-mesh/schema.ts', 'values'],
    ['generator/index.ts', 'core'],
    ['generator/paths.mjs', 'core'],
    ['generator/upstream/cache.ts', 'core'],
    ['generator/publish/sign.ts', 'release'],
    ['generator/versioning/rule.ts', 'release'],
    ['generator/commands/generate.ts', 'commands'],
    ['generator/cli.ts', 'cli'],
    ['generator/bin/chartkit.js', 'cli'],
    ['scripts/tools/helm.mjs', 'scripts'],
    ['test/helpers/helm.ts', 'test'],
  ])('should put %s in layer %s', (file, layer) => {
    expect(layerOf(file)?.name).toBe(layer);
  });

  it('should put a file beside the layers in none', () => {
    expect(layerOf('vitest.config.ts')).toBeUndefined();
  });
});

describe('relativeImports and resolveImport', () => {
  it('should read static, re-exported, type-only and dynamic imports, and nothing in comments or strings', () => {
    // GIVEN a source with every import form, and import-like text that is none
    const source = [
      "/** import { a } from './in-comment.js'; */",
      "import lock from './lock.json' with { type: 'json' };",
      "import {\n  a,\n  b,\n} from './multi.js';",
      "import type { T } from '../type.js';",
      "export { x } from './again.js';",
      "export * from './all.js';",
      "import 'node:fs';",
      "import yaml from 'js-yaml';",
      'const text = "import x from \'./in-string.js\'";',
      "const later = async () => (await import('../dynamic.js')).value;",
    ].join('\n');
    // WHEN its relative imports are read
    // THEN exactly the real ones are, package and builtin imports left out
    expect(relativeImports(source)).toEqual(['./lock.json', './multi.js', '../type.js', './again.js', './all.js', '../dynamic.js']);
  });

  it('should resolve an ESM specifier to the TypeScript source it names', () => {
    const files = new Set(['generator/index.ts', 'generator/paths.mjs', 'values-schemas/platform/upstream-lock.json']);
    const exists = (file: string) => files.has(file);
    expect(resolveImport('generator/commands/lint.ts', '../index.js', exists)).toBe('generator/index.ts');
    expect(resolveImport('scripts/tools/helm.mjs', '../../generator/paths.mjs', exists)).toBe('generator/paths.mjs');
    expect(resolveImport('values-schemas/platform/locked.ts', './upstream-lock.json', exists)).toBe('values-schemas/platform/upstream-lock.json');
    expect(resolveImport('generator/cli.ts', './missing.js', exists)).toBeUndefined();
  });
});

describe('layerViolations', () => {
  it.each([
    ['values-schemas/common/merge.ts', 'values-schemas/platform/pins.ts', 'common', 'platform'],
    ['values-schemas/platform/topology.ts', 'generator/observability/dashboards.ts', 'platform', 'core'],
    ['values-schemas/observability/build.ts', 'generator/observability/relabel.ts', 'values', 'core'],
    ['generator/upstream/tar.ts', 'generator/publish/sign.ts', 'core', 'release'],
    ['generator/commands/generate.ts', 'generator/cli.ts', 'commands', 'cli'],
    ['generator/versioning/rule.ts', 'generator/commands/generate.ts', 'release', 'commands'],
    ['generator/publish/publish.ts', 'generator/cli.ts', 'release', 'cli'],
    ['generator/toolchain.ts', 'scripts/tools/helm.mjs', 'core', 'scripts'],
    ['scripts/bench.ts', 'test/helpers/api-versions.ts', 'scripts', 'test'],
  ])('should report %s importing %s', (from, to, fromLayer, toLayer) => {
    // GIVEN a synthetic edge from a layer to one above it
    // WHEN it is judged
    // THEN it is reported as from → to, naming both layers
    expect(layerViolations([edge(from, to)])).toEqual([`${from} → ${to} (layer ${fromLayer} imports layer ${toLayer})`]);
  });

  it('should pass imports within a layer and downwards', () => {
    expect(
      layerViolations([
        edge('values-schemas/restaurant-platform/subcharts.ts', 'values-schemas/istio-mesh/index.ts'),
        edge('values-schemas/platform/locked.ts', 'values-schemas/common/merge.ts'),
        edge('generator/commands/golden.ts', 'generator/commands/lint.ts'),
        edge('generator/publish/publish.ts', 'generator/versioning/rule.ts'),
        edge('test/helpers/golden.ts', 'generator/commands/golden.ts'),
      ]),
    ).toEqual([]);
  });

  it('should report an import that names no file or leaves the layers', () => {
    expect(layerViolations([{ from: 'generator/cli.ts', specifier: './gone.js', to: undefined }])).toEqual(['generator/cli.ts → ./gone.js (names no file)']);
    expect(layerViolations([edge('generator/cli.ts', 'package.json')])).toEqual([
      'generator/cli.ts → package.json (layer cli imports a file outside every layer)',
    ]);
  });
});
