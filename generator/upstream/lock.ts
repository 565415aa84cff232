/**
 * Builds the upstream lock (`values-schemas/platform/upstream-lock.json`, whose format and reader
 * are `values-schemas/platform/locked.ts`): what the project relies on about each pinned artifact,
 * derived from the artifact itself. The analysis here is pure (bytes in, lock entries out);
 * `generator/upstream/cache.ts` does the I/O.
 *
 * A chart is recognised by a digest of its content, not of its archive: `helm package` rewrites
 * `Chart.yaml` and archive metadata, so the same chart packaged twice (or mirrored) differs as an
 * archive while every file the project depends on is byte-identical.
 */
import { createHash } from 'node:crypto';
import yaml from 'js-yaml';
import type { ArchiveFiles } from './tar.js';
import type { ChartPin, CrdPin } from '../../values-schemas/platform/pins.js';
import { joinPath, leafPaths, type LockedChart, type LockedCrds, type UpstreamLock } from '../../values-schemas/platform/locked.js';

/** `sha256:<hex>` of some bytes. */
export const sha256 = (bytes: Uint8Array | string): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** sha256 over the files of a tree, `Chart.yaml` files excluded, in path order. */
export function contentDigest(files: ArchiveFiles, root: string): string {
  const hash = createHash('sha256');
  for (const file of [...files.keys()].filter((name) => name.startsWith(`${root}/`)).sort()) {
    if (file === 'Chart.yaml' || file.endsWith('/Chart.yaml')) continue;
    hash
      .update(file.slice(root.length + 1))
      .update('\0')
      .update(files.get(file)!)
      .update('\0');
  }
  return `sha256:${hash.digest('hex')}`;
}

const decoder = new TextDecoder();

/** Analyses a chart package's files against its pin. @throws when the package is not the pinned chart. */
export function analyzeChart(pin: ChartPin, files: ArchiveFiles): Omit<LockedChart, 'services'> {
  const root = pin.name;
  const read = (file: string) => {
    const bytes = files.get(`${root}/${file}`);
    if (!bytes) throw new Error(`chart ${pin.name} ${pin.version}: the package has no ${root}/${file}`);
    return decoder.decode(bytes);
  };
  const chart = yaml.load(read('Chart.yaml')) as { name?: string; version?: string; appVersion?: string };
  if (chart.name !== pin.name || String(chart.version) !== pin.version) {
    throw new Error(`chart ${pin.name} ${pin.version}: the package is ${chart.name} ${chart.version}`);
  }
  const valuesText = read('values.yaml');
  const values = (yaml.load(valuesText) ?? {}) as Record<string, unknown>;
  const subcharts: Record<string, string> = {};
  // A subchart's own defaults are the keys below its name (Helm merges them under it).
  const subchartPaths: string[][] = [];
  for (const file of [...files.keys()].sort()) {
    const match = new RegExp(`^${root}/charts/([^/]+)/Chart\\.yaml$`).exec(file);
    if (!match) continue;
    const subchart = match[1]!;
    subcharts[subchart] = String((yaml.load(decoder.decode(files.get(file)!)) as { version?: string }).version);
    const subValues = files.get(`${root}/charts/${subchart}/values.yaml`);
    if (subValues) subchartPaths.push(...leafPaths(yaml.load(decoder.decode(subValues)) ?? {}, [subchart]));
  }
  // Paths the templates read that values.yaml leaves out (documented only in comments, or optional).
  const listed = new Set([...leafPaths(values), ...subchartPaths].flatMap((leaf) => leaf.map((_, index) => joinPath(leaf.slice(0, index + 1)))));
  const referenced = new Set<string>();
  for (const [file, bytes] of files) {
    if (!file.startsWith(`${root}/templates/`)) continue;
    for (const match of decoder.decode(bytes).matchAll(/\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)/g)) {
      const path = match[1]!.slice(1);
      if (!listed.has(path)) referenced.add(path);
    }
  }
  return {
    version: pin.version,
    appVersion: String(chart.appVersion ?? ''),
    repository: pin.repository,
    source: pin.source,
    contentDigest: contentDigest(files, root),
    valuesDigest: sha256(valuesText),
    subcharts,
    valuesPaths: [...new Set([...leafPaths(values), ...subchartPaths].map(joinPath))].sort(),
    templatePaths: [...referenced].sort(),
  };
}

/** The parts of a CustomResourceDefinition the lock reads: its group, kind and served versions' `spec.version` enum. */
interface CrdDocument {
  readonly kind?: string;
  readonly spec?: {
    readonly group?: string;
    readonly names?: { readonly kind?: string };
    readonly versions?: ReadonlyArray<{
      readonly name: string;
      readonly served?: boolean;
      readonly schema?: {
        readonly openAPIV3Schema?: { readonly properties?: { readonly spec?: { readonly properties?: { readonly version?: { readonly enum?: unknown } } } } };
      };
    }>;
  };
}

/** Analyses a CRD set's files (name → YAML text). */
export function analyzeCrds(pin: CrdPin, files: ReadonlyMap<string, string>): LockedCrds {
  const kinds = new Set<string>();
  const digests: Record<string, string> = {};
  const specVersions: Record<string, string[]> = {};
  for (const file of pin.files) {
    const text = files.get(file);
    if (text === undefined) throw new Error(`CRDs ${pin.name} ${pin.version}: ${file} is missing`);
    digests[file] = sha256(text);
    for (const document of yaml.loadAll(text) as Array<CrdDocument | null>) {
      if (document?.kind !== 'CustomResourceDefinition') continue;
      for (const version of document.spec?.versions ?? []) {
        if (!version.served) continue;
        const kind = `${document.spec?.group}/${version.name}/${document.spec?.names?.kind}`;
        kinds.add(kind);
        const values = version.schema?.openAPIV3Schema?.properties?.spec?.properties?.version?.enum;
        if (Array.isArray(values)) specVersions[kind] = values.map(String);
      }
    }
  }
  const sortedVersions = Object.fromEntries(Object.entries(specVersions).sort(([a], [b]) => a.localeCompare(b)));
  return {
    version: pin.version,
    source: pin.source,
    files: digests,
    kinds: [...kinds].sort(),
    ...(Object.keys(sortedVersions).length > 0 ? { specVersions: sortedVersions } : {}),
  };
}

/** Serialises a lock deterministically (keys in insertion order, which the sync keeps sorted). */
export function formatLock(lock: UpstreamLock): string {
  return `${JSON.stringify(lock, null, 2)}\n`;
}
