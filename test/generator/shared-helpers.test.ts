// The helpers every platform chart shares live in one library chart (generator/templates/chartkit-common),
// vendored into each chart that uses it. Helm's define namespace is global across a chart and its
// subcharts, so every vendored copy must be byte-identical and no chart may define a library name
// itself; each chart's own helpers sit in one file per area under its own namespace, and its guards
// run from one entry point, templates/validate.yaml.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it, expect } from 'vitest';
import yaml from 'js-yaml';
import { repoRoot } from '../../generator/paths.mjs';
import { LIBRARY_CHART } from '../../generator/types.js';

const chartsDir = path.join(repoRoot, 'charts');
const librarySource = path.join(repoRoot, 'generator', 'templates', LIBRARY_CHART);
/** The charts whose templates use the library, standalone (the umbrellas vendor or assemble these). */
const USERS = ['restaurant-app', 'istio-mesh', 'observability-platform'] as const;

/** Every file below a folder, relative to it, sorted. */
function filesBelow(root: string, relative = ''): string[] {
  return readdirSync(path.join(root, relative), { withFileTypes: true })
    .flatMap((entry) => {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      return entry.isDirectory() ? filesBelow(root, child) : [child];
    })
    .sort();
}

/** Every vendored copy of the library below charts/, as a folder relative to charts/. */
function vendoredCopies(): string[] {
  return filesBelow(chartsDir)
    .filter((file) => file.endsWith(`/charts/${LIBRARY_CHART}/Chart.yaml`))
    .map((file) => path.posix.dirname(file));
}

/** The defines of a template file, each with the comment block right above it (or undefined). */
function definesOf(text: string): Array<{ name: string; purpose: string | undefined }> {
  return [...text.matchAll(/(?:\{\{\/\*\n([\s\S]*?)\*\/\}\}\n)?\{\{-? define "([^"]+)" -?\}\}/g)].map((match) => ({
    name: match[2]!,
    purpose: match[1]?.trim(),
  }));
}

/** The helper files of a chart's own templates folder, with their defines. */
function ownHelpers(chartDir: string): Array<{ file: string; defines: ReturnType<typeof definesOf> }> {
  const templates = path.join(chartDir, 'templates');
  return readdirSync(templates)
    .filter((file) => file.endsWith('.tpl'))
    .sort()
    .map((file) => ({ file, defines: definesOf(readFileSync(path.join(templates, file), 'utf8')) }));
}

const libraryHelpers = ownHelpers(path.join(chartsDir, USERS[0], 'charts', LIBRARY_CHART));
const libraryNames = libraryHelpers.flatMap(({ defines }) => defines.map(({ name }) => name));

describe('the chartkit-common library chart', () => {
  it('should be a library chart with its own version', () => {
    // GIVEN the library's source Chart.yaml
    const chart = yaml.load(readFileSync(path.join(librarySource, 'Chart.yaml'), 'utf8')) as { name: string; type: string; version: string };
    // THEN it is a library (renders nothing of its own) with a semantic version
    expect(chart).toMatchObject({ name: LIBRARY_CHART, type: 'library' });
    expect(chart.version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("should name every helper chartkit.<area>.<name>, in its area's file, with a purpose comment", () => {
    expect(libraryNames.length).toBeGreaterThan(0);
    for (const { file, defines } of libraryHelpers) {
      for (const { name, purpose } of defines) {
        expect(name, file).toMatch(/^chartkit\.[a-z]+\.[a-zA-Z]+$/);
        expect(`_${name.split('.')[1]}.tpl`, name).toBe(file);
        expect(purpose, `${name} has no purpose comment`).toMatch(/\S/);
      }
    }
  });

  it('should be vendored into every chart that uses it, every copy byte-identical', () => {
    // GIVEN every copy below charts/ (the standalone charts' and the umbrella's vendored subcharts')
    const copies = vendoredCopies();
    expect(copies).toEqual(expect.arrayContaining(USERS.map((chart) => `${chart}/charts/${LIBRARY_CHART}`)));
    expect(copies).toEqual(
      expect.arrayContaining(['restaurant-app', 'istio-mesh'].map((chart) => `restaurant-platform/charts/${chart}/charts/${LIBRARY_CHART}`)),
    );
    // THEN they hold the same files with the same bytes, and the source's files are all there
    const [first, ...others] = copies;
    const reference = filesBelow(path.join(chartsDir, first!));
    expect(reference).toEqual(filesBelow(librarySource));
    for (const copy of others) {
      expect(filesBelow(path.join(chartsDir, copy)), copy).toEqual(reference);
      for (const file of reference)
        expect(readFileSync(path.join(chartsDir, copy, file), 'utf8'), `${copy}/${file}`).toBe(readFileSync(path.join(chartsDir, first!, file), 'utf8'));
    }
  });

  it.each(vendoredCopies().map((copy) => [path.posix.dirname(path.posix.dirname(copy))]))(
    "should be listed in %s's dependencies at its version, taken from charts/",
    (chart) => {
      const library = yaml.load(readFileSync(path.join(librarySource, 'Chart.yaml'), 'utf8')) as { version: string };
      const metadata = yaml.load(readFileSync(path.join(chartsDir, chart, 'Chart.yaml'), 'utf8')) as { dependencies?: Array<Record<string, unknown>> };
      // No repository: `helm dependency build` then takes the vendored copy instead of fetching another.
      expect(metadata.dependencies?.filter((dependency) => dependency.name === LIBRARY_CHART)).toEqual([{ name: LIBRARY_CHART, version: library.version }]);
    },
  );
});

describe.each(USERS)('the helpers of %s', (chart) => {
  const chartDir = path.join(chartsDir, chart);
  const helpers = ownHelpers(chartDir);

  it('should not define a library helper again', () => {
    const own = helpers.flatMap(({ defines }) => defines.map(({ name }) => name));
    expect(own.filter((name) => libraryNames.includes(name) || name.startsWith('chartkit.'))).toEqual([]);
  });

  it("should name every helper <chart>.<area>.<name>, in its area's file, with a purpose comment", () => {
    for (const { file, defines } of helpers) {
      for (const { name, purpose } of defines) {
        expect(name, file).toMatch(new RegExp(`^${chart.replace(/[-.]/g, '\\$&')}\\.[a-z]+\\.[a-zA-Z]+$`));
        // Generated helper files (`_<area>.gen.tpl`) hold one area too.
        expect(file.replace(/\.gen\.tpl$/, '.tpl'), name).toBe(`_${name.split('.')[1]}.tpl`);
        expect(purpose, `${name} has no purpose comment`).toMatch(/\S/);
      }
    }
  });

  it('should run its guards from templates/validate.yaml alone', () => {
    // GIVEN the chart's templates that render objects
    const templates = path.join(chartDir, 'templates');
    expect(existsSync(path.join(templates, 'validate.yaml'))).toBe(true);
    const callers = readdirSync(templates).filter(
      (file) => !file.endsWith('.tpl') && /include "(chartkit|[a-z-]+)\.validate\./.test(readFileSync(path.join(templates, file), 'utf8')),
    );
    // THEN only validate.yaml calls a guard (helpers may call each other)
    expect(callers).toEqual(['validate.yaml']);
  });
});
