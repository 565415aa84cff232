/**
 * Versions: `chartkit bump <chart> patch|minor|major` raises a chart's version in
 * `generator/charts/releases.json`, records the new version's changelog entry (which becomes
 * `artifacthub.io/changes`) and regenerates the chart; and the rule `generate --check` enforces:
 * a chart's content hash may only change together with its version.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import yaml from 'js-yaml';
import { UserError } from '../errors.js';
import { CHANGE_KINDS, CONTENT_HASH_ANNOTATION, type ChartChange } from '../emit/chart-metadata.js';
import type { OutputFile } from '../types.js';

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

/** The releases file every chart module reads its version from. */
export const RELEASES_FILE = 'generator/charts/releases.json';

/**
 * Raises a chart's version in releases.json with a changelog entry, then regenerates it.
 * @throws UserError for an unknown chart or no `--change`.
 */
export function bump(options: BumpOptions): BumpResult {
  const root = options.root ?? path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
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

/** A chart whose content changed while its version stayed the same. */
export interface VersionViolation {
  readonly chart: string;
  readonly version: string;
}

/** Version and content hash of a Chart.yaml text. */
export function versionAndHash(chartYaml: string): { version?: string; hash?: string } {
  const metadata = (yaml.load(chartYaml) ?? {}) as { version?: unknown; annotations?: Record<string, unknown> };
  const hash = metadata.annotations?.[CONTENT_HASH_ANNOTATION];
  return {
    ...(metadata.version !== undefined ? { version: String(metadata.version) } : {}),
    ...(typeof hash === 'string' ? { hash } : {}),
  };
}

/**
 * The pure rule: for each chart, a baseline Chart.yaml (the committed one) with the same version
 * but a different content hash than the generated one is a violation. Charts without a baseline or
 * without a hash in it (new charts) pass.
 */
export function findVersionViolations(files: readonly OutputFile[], baseline: (chart: string) => string | undefined): VersionViolation[] {
  const violations: VersionViolation[] = [];
  for (const file of files) {
    const match = /^([^/]+)\/Chart\.yaml$/.exec(file.path);
    if (!match) continue;
    const before = baseline(match[1]!);
    if (before === undefined) continue;
    const now = versionAndHash(file.content);
    const then = versionAndHash(before);
    if (then.hash && now.hash && then.version === now.version && then.hash !== now.hash) {
      violations.push({ chart: match[1]!, version: now.version! });
    }
  }
  return violations;
}

/** Environment variable naming the git ref whose charts are the version baseline. */
export const BASE_REF_ENV = 'CHARTKIT_BASE_REF';

function git(root: string, args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return undefined;
  }
}

/**
 * The git ref whose charts are the version baseline, as chart-testing compares a pull request with
 * its target branch: `CHARTKIT_BASE_REF` when set (CI sets it to the pull request's base), else
 * the merge base with `origin/main` when that exists, else none (nothing to compare with: a fresh
 * clone of main, where every commit already passed this rule).
 */
export function baseRef(root: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const named = env[BASE_REF_ENV];
  if (named) {
    // A ref that names nothing must not pass as "compared": every chart would look new.
    if (git(root, ['rev-parse', '--verify', '--quiet', `${named}^{commit}`]) === undefined) {
      throw new UserError(`${BASE_REF_ENV}=${named} does not name a commit here (git rev-parse --verify ${named}): fetch it (git fetch origin) or correct the name`);
    }
    return named;
  }
  if (git(root, ['rev-parse', '--verify', '--quiet', 'origin/main']) === undefined) return undefined;
  return git(root, ['merge-base', 'HEAD', 'origin/main'])?.trim() || undefined;
}

/** Reads `charts/<chart>/Chart.yaml` at a git ref; undefined when the ref or the file is missing. */
export function gitBaseline(root: string, ref: string): (chart: string) => string | undefined {
  return (chart) => git(root, ['show', `${ref}:charts/${chart}/Chart.yaml`]);
}

/** The message for {@link findVersionViolations}' findings. */
export function versionViolationMessage(violations: readonly VersionViolation[], ref: string): string {
  const lines = violations.map(({ chart, version }) => `  ${chart} ${version}: run \`npm run bump -- ${chart} patch --change "…"\` (or minor/major)`);
  return `chart content changed but the version did not (compared with ${ref}); versions are immutable once committed:\n${lines.join('\n')}`;
}
