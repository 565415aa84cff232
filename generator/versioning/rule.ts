/**
 * The version rule `generate --check` enforces: a chart's content hash may only change together
 * with its version, compared with the charts at a git base ref (as chart-testing compares a pull
 * request with its target branch). `chartkit bump` (./bump.ts) is how a chart gets its new version.
 */
import { execFileSync } from 'node:child_process';
import yaml from 'js-yaml';
import { UserError } from '../errors.js';
import { CONTENT_HASH_ANNOTATION } from '../emit/chart-metadata.js';
import type { OutputFile } from '../types.js';

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
      throw new UserError(
        `${BASE_REF_ENV}=${named} does not name a commit here (git rev-parse --verify ${named}): fetch it (git fetch origin) or correct the name`,
      );
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
