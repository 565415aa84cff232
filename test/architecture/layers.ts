// The repository's layers, bottom to top, and the checker that holds every relative import to
// them: a file may import its own layer and the layers below it (plus npm packages and node
// builtins, which are not relative imports and so never checked). The table is the one written
// down in README.md, section "Layout".
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** One layer: the repository paths it holds (folders end in `/`) and what it is for. */
export interface Layer {
  readonly name: string;
  readonly paths: readonly string[];
  readonly holds: string;
}

/** The layers, bottom first; a layer's position in this list is its rank. */
export const LAYERS: readonly Layer[] = [
  { name: 'common', paths: ['values-schemas/common/'], holds: 'schema building blocks: Kubernetes patterns, schema helpers, merge, the global block' },
  {
    name: 'platform',
    paths: ['values-schemas/platform/'],
    holds: 'the platform model: upstream pins and lock, topology, upstream purposes, the alert catalogue',
  },
  { name: 'values', paths: ['values-schemas/'], holds: "each chart's schema, defaults, overlays and CI scenarios" },
  { name: 'core', paths: ['generator/'], holds: 'the generator: emitters, chart modules, checks, upstream cache and assembly, toolchain' },
  { name: 'release', paths: ['generator/publish/', 'generator/versioning/'], holds: 'packaging, signing, pushing, verifying; versions and the version rule' },
  { name: 'commands', paths: ['generator/commands/'], holds: 'one module per chartkit command' },
  { name: 'cli', paths: ['generator/cli.ts', 'generator/bin/'], holds: 'argv to command functions, and its executable' },
  { name: 'scripts', paths: ['scripts/'], holds: 'tool installation, signing key, benchmark' },
  { name: 'test', paths: ['test/'], holds: 'the test suite and its helpers' },
];

/** The folders whose files the checker reads. */
export const SCANNED_ROOTS = ['generator', 'values-schemas', 'scripts', 'test'] as const;

/** Extensions of the files whose imports are checked. */
const SOURCE_FILE = /\.(ts|mts|mjs|js)$/;

/**
 * The layer of a repository path (forward slashes, relative to the root): the one with the longest
 * path that holds it, so `generator/publish/x.ts` is release although `generator/` is core.
 */
export function layerOf(file: string): Layer | undefined {
  let best: { layer: Layer; length: number } | undefined;
  for (const layer of LAYERS) {
    for (const prefix of layer.paths) {
      const holds = prefix.endsWith('/') ? file.startsWith(prefix) : file === prefix;
      if (holds && (!best || prefix.length > best.length)) best = { layer, length: prefix.length };
    }
  }
  return best?.layer;
}

/** A layer's rank: 0 at the bottom. */
export const rankOf = (layer: Layer): number => LAYERS.indexOf(layer);

/**
 * The relative module specifiers a source text imports: static `import … from`, `export … from`,
 * side-effect imports and dynamic `import('…')`. TypeScript's own pre-processor reads them, so a
 * specifier inside a comment or a string is not mistaken for one.
 */
export function relativeImports(source: string): string[] {
  return ts
    .preProcessFile(source, true, true)
    .importedFiles.map((file) => file.fileName)
    .filter((specifier) => specifier.startsWith('./') || specifier.startsWith('../'));
}

/**
 * The repository file a relative specifier of `from` names, or undefined when none exists. ESM
 * specifiers name the emitted file (`./x.js`), which TypeScript resolves to the source (`./x.ts`).
 */
export function resolveImport(from: string, specifier: string, exists: (file: string) => boolean): string | undefined {
  const target = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  const candidates = [target, target.replace(/\.js$/, '.ts'), target.replace(/\.mjs$/, '.mts')];
  return candidates.find((candidate) => exists(candidate));
}

/** One import of one file: `to` is undefined when the specifier names no file. */
export interface ImportEdge {
  readonly from: string;
  readonly specifier: string;
  readonly to: string | undefined;
}

/** Every source file below the scanned roots, as repository paths. */
export function sourceFiles(root: string): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
      const relative = path.posix.join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : walk(relative);
      return SOURCE_FILE.test(entry.name) ? [relative] : [];
    });
  return SCANNED_ROOTS.flatMap((dir) => walk(dir)).sort();
}

/** Every relative import of every source file, resolved against the repository. */
export function repositoryImports(root: string): ImportEdge[] {
  const exists = (file: string) => existsSync(path.join(root, file));
  return sourceFiles(root).flatMap((from) =>
    relativeImports(readFileSync(path.join(root, from), 'utf8')).map((specifier) => ({ from, specifier, to: resolveImport(from, specifier, exists) })),
  );
}

/**
 * The imports that break the layering, each as one line: `from → to (layer a imports layer b)` for
 * an import upwards, and a line naming the problem for an import that names no file or a file
 * outside every layer (neither can be judged, so neither passes).
 */
export function layerViolations(edges: readonly ImportEdge[]): string[] {
  const violations: string[] = [];
  for (const edge of edges) {
    const from = layerOf(edge.from);
    if (!from) {
      violations.push(`${edge.from}: outside every layer`);
      continue;
    }
    if (edge.to === undefined) {
      violations.push(`${edge.from} → ${edge.specifier} (names no file)`);
      continue;
    }
    const to = layerOf(edge.to);
    if (!to) violations.push(`${edge.from} → ${edge.to} (layer ${from.name} imports a file outside every layer)`);
    else if (rankOf(to) > rankOf(from)) violations.push(`${edge.from} → ${edge.to} (layer ${from.name} imports layer ${to.name})`);
  }
  return violations;
}
