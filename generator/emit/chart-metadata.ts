/**
 * The annotations every generated Chart.yaml gets, whatever its `.hbs` says: the chart's content
 * hash (what makes "content changed but version did not" detectable) and the Artifact Hub metadata
 * (images derived from the values, license, links, the version's changelog entry). Added here,
 * centrally, so no chart module or Chart.yaml.hbs has to do anything. Pure.
 */
import { isMap, mergeValues } from '../../values-schemas/common/merge.js';
import { createHash } from 'node:crypto';
import yaml from 'js-yaml';

/** Annotation holding the chart's content hash. */
export const CONTENT_HASH_ANNOTATION = 'chartkit/content-hash';

/** The license every chart is published under (the repository's). */
const CHART_LICENSE = 'Apache-2.0';

/** Change kinds Artifact Hub knows. */
export const CHANGE_KINDS = ['added', 'changed', 'deprecated', 'removed', 'fixed', 'security'] as const;

/** One changelog line of a chart version, as `artifacthub.io/changes` lists it. */
export interface ChartChange {
  /** One of {@link CHANGE_KINDS}. */
  readonly kind: string;
  readonly description: string;
}

/** One container image a chart deploys, as `artifacthub.io/images` lists it. */
export interface ChartImage {
  readonly name: string;
  readonly image: string;
}

/**
 * The content hash of a chart: SHA-256 over every file (path and bytes, sorted by path), with
 * Chart.yaml taken without its `version:` line, so a version bump alone does not change it, and
 * without the annotations added here.
 */
export function contentHash(files: ReadonlyMap<string, string>): string {
  const hash = createHash('sha256');
  for (const path of [...files.keys()].sort()) {
    const content = path === 'Chart.yaml' ? files.get(path)!.replace(/^version:.*\n/m, '') : files.get(path)!;
    hash.update(path).update('\0').update(content).update('\0');
  }
  return `sha256:${hash.digest('hex')}`;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Derives the images a chart deploys from its default values: every object with a string
 * `repository` and a `tag` (an image reference block). Subtrees with `enabled: false` and blocks
 * below a `…Defaults` key (templates for entries, not entries) are skipped. An empty repository
 * means the name of the map entry the block belongs to; the registry is the block's `registry`,
 * else `global.image.registry`; the tag is the block's, else `global.image.tag`, else appVersion;
 * a `digest` pins the image.
 */
export function imagesFromValues(values: unknown, appVersion: string): ChartImage[] {
  const root = values as { global?: { image?: { registry?: string; tag?: string } } };
  const globalRegistry = root?.global?.image?.registry ?? '';
  const globalTag = root?.global?.image?.tag ?? '';
  const images = new Map<string, string>();
  const walk = (node: Json, trail: string[]) => {
    if (!isMap(node)) return;
    if ((node as Record<string, Json>).enabled === false) return;
    if (trail.some((key) => /Defaults$/.test(key))) return;
    const block = node as Record<string, Json>;
    if (typeof block.repository === 'string' && 'tag' in block && trail.length > 0) {
      const owner = trail.at(-1) === 'image' ? trail.at(-2) : trail.at(-1);
      const repository = block.repository || owner || '';
      const registry = typeof block.registry === 'string' && block.registry ? block.registry : globalRegistry;
      const tag = (typeof block.tag === 'string' && block.tag) || globalTag || appVersion;
      const reference = `${registry ? `${registry}/` : ''}${repository}${typeof block.digest === 'string' && block.digest ? `@${block.digest}` : `:${tag}`}`;
      if (repository) images.set(owner ?? repository, reference);
      return;
    }
    // The repository's convention for maps of entries: `services.<name>` deep-merged over
    // `serviceDefaults` (the templates' merge preamble). Walk the merged entries.
    const merged = new Set<string>();
    for (const [key, template] of Object.entries(block)) {
      const entries = block[`${key.replace(/Defaults$/, '')}s`];
      if (!key.endsWith('Defaults') || !isMap(entries) || !isMap(template)) continue;
      merged.add(key).add(`${key.replace(/Defaults$/, '')}s`);
      for (const [entry, overrides] of Object.entries(entries)) walk(mergeValues(template, overrides), [...trail, entry]);
    }
    for (const [key, child] of Object.entries(block)) if (key !== 'global' && !merged.has(key)) walk(child, [...trail, key]);
  };
  walk(values as Json, []);
  return [...images].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, image]) => ({ name, image }));
}

/** What {@link annotateChartYaml} needs besides the Chart.yaml text. */
interface ChartAnnotationsInput {
  readonly name: string;
  /** Generator module of the chart (linked as the chart's source). */
  readonly source: string;
  readonly version: string;
  readonly contentHash: string;
  readonly images: readonly ChartImage[];
  /** The changelog entry of this version, if it has one. */
  readonly changes?: readonly ChartChange[];
}

/** The annotations, as an ordered record of strings (Chart.yaml annotations must be strings). */
function chartAnnotations(chartYaml: string, input: ChartAnnotationsInput): Record<string, string> {
  const metadata = (yaml.load(chartYaml) ?? {}) as { home?: string; sources?: string[] };
  const repository = metadata.sources?.[0] ?? metadata.home;
  const links = repository
    ? [
        { name: 'Chart source (generator)', url: `${repository}/blob/main/${input.source}` },
        { name: 'Values schema source', url: `${repository}/tree/main/values-schemas/${input.name}` },
        { name: 'Publishing and verifying', url: `${repository}#publishing` },
      ]
    : [];
  for (const change of input.changes ?? []) {
    if (!(CHANGE_KINDS as readonly string[]).includes(change.kind)) {
      throw new Error(`${input.name} ${input.version}: change kind "${change.kind}" is not one of ${CHANGE_KINDS.join(', ')}`);
    }
  }
  const list = (items: readonly object[]) => yaml.dump(items, { lineWidth: -1, noRefs: true });
  return {
    ...(input.changes?.length ? { 'artifacthub.io/changes': list(input.changes.map(({ kind, description }) => ({ kind, description }))) } : {}),
    ...(input.images.length ? { 'artifacthub.io/images': list(input.images) } : {}),
    'artifacthub.io/license': CHART_LICENSE,
    ...(links.length ? { 'artifacthub.io/links': list(links) } : {}),
    [CONTENT_HASH_ANNOTATION]: input.contentHash,
  };
}

/**
 * Adds the annotations to a rendered Chart.yaml: into its top-level `annotations:` map when the
 * `.hbs` has one (keys it sets win), else as a new block at the end.
 */
export function annotateChartYaml(chartYaml: string, input: ChartAnnotationsInput): string {
  const ours = chartAnnotations(chartYaml, input);
  const existing = ((yaml.load(chartYaml) ?? {}) as { annotations?: Record<string, unknown> }).annotations ?? {};
  const added = Object.fromEntries(Object.entries(ours).filter(([key]) => !(key in existing)));
  const block = yaml.dump({ annotations: added }, { lineWidth: -1, noRefs: true });
  const body = block.replace(/^annotations:\n/, '');
  const lines = chartYaml.endsWith('\n') ? chartYaml : `${chartYaml}\n`;
  const header = /^annotations:[ \t]*\n/m.exec(lines);
  if (!header) return `${lines}${block}`;
  const at = header.index + header[0].length;
  return `${lines.slice(0, at)}${body}${lines.slice(at)}`;
}
