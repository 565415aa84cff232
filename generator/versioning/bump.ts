/**
 * `chartkit bump <chart> patch|minor|major` raises a chart's version in
 * `generator/charts/releases.json`, records the new version's changelog entry (which becomes
 * `artifacthub.io/changes`) and regenerates the chart. The rule that makes a bump necessary is in
 * ./rule.ts.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';
import { CHANGE_KINDS, type ChartChange } from '../emit/chart-metadata.js';
import { repoRoot } from '../paths.mjs';

/** The three semver levels. */
export const BUMP_LEVELS = ['patch', 'minor', 'major'] as const;
/** One of {@link BUMP_LEVELS}. */
export type BumpLevel = (typeof BUMP_LEVELS)[number];

/** Raises a `MAJOR.MINOR.PATCH` version; a pre-release suffix is dropped. */
export function nextVersion(version: string, level: BumpLevel): string {
  const match = /^(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$/.exec(version);
  if (!match) throw new UserError(`version "${version}" is not MAJOR.MINOR.PATCH`);
  const [major, minor, patch] = match.slice(1, 4).map(Number) as [number, number, number];
  if (level === 'major') return `${major + 1}.0.0`;
  if (level === 'minor') return `${major}.${minor + 1}.0`;
  return `${major}.${minor}.${patch + 1}`;
}

/** Parses `--change "[kind: ]text"`; the kind defaults to `changed`. */
export function parseChange(text: string): ChartChange {
  const match = /^([a-z]+):\s*(.+)$/s.exec(text.trim());
  if (match && (CHANGE_KINDS as readonly string[]).includes(match[1]!)) return { kind: match[1]!, description: match[2]!.trim() };
  if (!text.trim()) throw new UserError('--change: empty text');
  return { kind: 'changed', description: text.trim() };
}

interface ReleaseEntry {
  version: string;
  changes?: Record<string, ChartChange[]>;
  [key: string]: unknown;
}

/** Options for {@link bump}. */
export interface BumpOptions {
  readonly chart: string;
  readonly level: BumpLevel;
  /** `[kind: ]text` lines for the new version's changelog entry. At least one. */
  readonly changes: readonly string[];
  /** Repository root. @default this repository */
  readonly root?: string;
  /** Regenerates a chart after the version moved (injected so this module stays free of the chart modules). */
  readonly regenerate?: (chart: string) => number;
}

/** What {@link bump} did. */
export interface BumpResult {
  readonly from: string;
  readonly to: string;
  /** Files the regeneration wrote. */
  readonly files: number;
}

/**
 * Adds entries to the change log of a chart's version in releases.json (what `chartkit bump`
 * learns after regenerating: the breaking findings of the upgrade); an entry already there is not
 * added twice.
 */
export function recordChanges(root: string, chart: string, version: string, changes: readonly ChartChange[]): void {
  const file = path.join(root, RELEASES_FILE);
  const releases = JSON.parse(readFileSync(file, 'utf8')) as Record<string, ReleaseEntry>;
  const entry = releases[chart];
  if (!entry) throw new UserError(`unknown chart ${chart}: ${RELEASES_FILE} has ${Object.keys(releases).join(', ')}`);
  const listed = entry.changes?.[version] ?? [];
  const fresh = changes.filter((change) => !listed.some((other) => other.kind === change.kind && other.description === change.description));
  entry.changes = { ...(entry.changes ?? {}), [version]: [...listed, ...fresh] };
  writeFileSync(file, `${JSON.stringify(releases, null, 2)}\n`);
}

/** The releases file every chart module reads its version from. */
export const RELEASES_FILE = 'generator/charts/releases.json';

/**
 * Raises a chart's version in releases.json with a changelog entry, then regenerates it.
 * @throws UserError for an unknown chart or no `--change`.
 */
export function bump(options: BumpOptions): BumpResult {
  const root = options.root ?? repoRoot;
  if (options.changes.length === 0) {
    throw new UserError(`say what changed: --change "fixed: …" (kinds ${CHANGE_KINDS.join(', ')}); it becomes the version's artifacthub.io/changes`);
  }
  const file = path.join(root, RELEASES_FILE);
  const releases = JSON.parse(readFileSync(file, 'utf8')) as Record<string, ReleaseEntry>;
  const entry = releases[options.chart];
  if (!entry) throw new UserError(`unknown chart ${options.chart}: ${RELEASES_FILE} has ${Object.keys(releases).join(', ')}`);
  const from = entry.version;
  const to = nextVersion(from, options.level);
  entry.version = to;
  entry.changes = { ...(entry.changes ?? {}), [to]: options.changes.map(parseChange) };
  writeFileSync(file, `${JSON.stringify(releases, null, 2)}\n`);
  const files = options.regenerate ? options.regenerate(options.chart) : 0;
  return { from, to, files };
}
