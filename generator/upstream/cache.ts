/**
 * The I/O side of the upstream lock: where pinned artifacts come from (a mirror directory named by
 * `--from` or `CHARTKIT_UPSTREAM_DIR`, else the network), the git-ignored cache they are kept in
 * (`.cache/upstream/`), and the check of that cache against the lock. A missing or tampered
 * artifact is a {@link UserError} that names it and how to get it.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { UserError } from '../errors.js';
import { resolveHelm } from '../toolchain.js';
import { PINS, chartPackageName, crdFolder, pinId, type ChartPin, type CrdPin, type Pin } from '../../values-schemas/platform/pins.js';
import type { UpstreamLock } from '../../values-schemas/platform/locked.js';
import { analyzeChart, sha256 } from './lock.js';
import { readTgz } from './tar.js';

/** The environment variable naming a mirror directory (layout: `charts/<name>-<version>.tgz`, `crds/<set>-<version>/`). */
export const UPSTREAM_DIR_VARIABLE = 'CHARTKIT_UPSTREAM_DIR';

/** Where pinned artifacts are fetched from. */
export type UpstreamSource = { readonly kind: 'mirror'; readonly dir: string } | { readonly kind: 'network' };

/** The source for a command: `--from`, else `CHARTKIT_UPSTREAM_DIR`, else the network. */
export function upstreamSource(from: string | undefined, env: NodeJS.ProcessEnv = process.env): UpstreamSource {
  const dir = from ?? env[UPSTREAM_DIR_VARIABLE];
  if (!dir) return { kind: 'network' };
  const resolved = path.resolve(dir);
  if (!existsSync(resolved)) throw new UserError(`upstream mirror ${resolved} does not exist (from ${from ? '--from' : UPSTREAM_DIR_VARIABLE})`);
  return { kind: 'mirror', dir: resolved };
}

const describeSource = (source: UpstreamSource) => (source.kind === 'mirror' ? `mirror ${source.dir}` : 'the network');

/** The git-ignored folder pinned artifacts are cached in. */
export const upstreamCacheDir = (root: string): string => path.join(root, '.cache', 'upstream');

/** The committed lock file, which `chartkit upstream sync` writes and the platform model imports. */
export const lockFile = (root: string): string => path.join(root, 'values-schemas', 'platform', 'upstream-lock.json');

/** How a user gets the artifacts, for error messages. */
export const HOW_TO_GET = `run \`chartkit upstream verify --fetch\` with network access, or point ${UPSTREAM_DIR_VARIABLE} (or --from) at a mirror directory (e.g. ../shared/upstream)`;

/** Reads the committed lock. */
export function readLock(root: string): UpstreamLock {
  const file = lockFile(root);
  if (!existsSync(file)) throw new UserError(`${path.relative(root, file)} is missing: run \`chartkit upstream sync\``);
  return JSON.parse(readFileSync(file, 'utf8')) as UpstreamLock;
}

/** The cached package of a pinned chart. */
export const cachedChart = (root: string, pin: ChartPin): string => path.join(upstreamCacheDir(root), 'charts', chartPackageName(pin));

/** The cached folder of a pinned CRD set. */
export const cachedCrds = (root: string, pin: CrdPin): string => path.join(upstreamCacheDir(root), crdFolder(pin));

/**
 * Copies (mirror) or pulls (network) one chart package to `target`, as its pin names it; the
 * caller verifies it (against the lock of the version that pinned it).
 */
export async function fetchChart(pin: ChartPin, source: UpstreamSource, target: string): Promise<void> {
  mkdirSync(path.dirname(target), { recursive: true });
  if (source.kind === 'mirror') {
    const file = path.join(source.dir, 'charts', chartPackageName(pin));
    if (!existsSync(file)) throw new UserError(`${pinId(pin)}: ${file} is not in the mirror; ${HOW_TO_GET}`);
    copyFileSync(file, target);
    return;
  }
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'chartkit-pull-'));
  try {
    const result = await execa(resolveHelm(4), ['pull', pin.name, '--repo', pin.repository, '--version', pin.version, '--destination', scratch], {
      reject: false,
    });
    if (result.exitCode !== 0)
      throw new UserError(`${pinId(pin)}: helm pull from ${pin.repository} failed (${result.stderr.trim().split('\n').pop()}); ${HOW_TO_GET}`);
    copyFileSync(path.join(scratch, chartPackageName(pin)), target);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function fetchCrds(pin: CrdPin, source: UpstreamSource, target: string): Promise<void> {
  mkdirSync(target, { recursive: true });
  for (const file of pin.files) {
    if (source.kind === 'mirror') {
      const from = path.join(source.dir, crdFolder(pin), file);
      if (!existsSync(from)) throw new UserError(`${pinId(pin)}: ${from} is not in the mirror; ${HOW_TO_GET}`);
      copyFileSync(from, path.join(target, file));
      continue;
    }
    const url = `${pin.baseUrl}/${file}`;
    let response: Response;
    try {
      response = await fetch(url);
    } catch (error) {
      throw new UserError(`${pinId(pin)}: cannot fetch ${url} (${(error as Error).message}); ${HOW_TO_GET}`);
    }
    if (!response.ok) throw new UserError(`${pinId(pin)}: ${url} answered ${response.status}; ${HOW_TO_GET}`);
    writeFileSync(path.join(target, file), Buffer.from(await response.arrayBuffer()));
  }
}

/**
 * A chart package an older version of the platform pinned (not in today's pins, so not in the
 * cache), fetched into `target` and verified against that version's lock.
 * @throws UserError when that lock has no such chart, the source does not have it or its content differs
 */
export async function fetchLockedChart(pin: ChartPin, lock: UpstreamLock | undefined, target: string, from?: string): Promise<void> {
  const locked = lock?.charts[pin.name];
  if (!locked || locked.version !== pin.version)
    throw new UserError(`${pinId(pin)}: the version that pins it has no lock entry for it, so its package cannot be verified`);
  await fetchChart(pin, upstreamSource(from), target);
  const actual = analyzeChart(pin, readTgz(readFileSync(target), target)).contentDigest;
  if (actual !== locked.contentDigest) throw new UserError(`${pinId(pin)}: content ${actual} differs from its lock's ${locked.contentDigest}`);
}

/** Copies (mirror) or downloads (network) pinned artifacts into the cache, replacing what is there. */
export async function fetchArtifacts(root: string, pins: readonly Pin[], source: UpstreamSource): Promise<void> {
  for (const pin of pins) {
    if (pin.kind === 'chart') await fetchChart(pin, source, cachedChart(root, pin));
    else {
      rmSync(cachedCrds(root, pin), { recursive: true, force: true });
      await fetchCrds(pin, source, cachedCrds(root, pin));
    }
  }
}

/** One artifact in the cache that does not match the lock. */
export interface CacheProblem {
  readonly pin: Pin;
  readonly problem: 'missing' | 'tampered' | 'unlocked';
  readonly detail: string;
}

/** Checks every pinned artifact in the cache against the lock. */
export function verifyCache(root: string, lock: UpstreamLock, pins: readonly Pin[] = PINS): CacheProblem[] {
  const problems: CacheProblem[] = [];
  for (const pin of pins) {
    const entry = pin.kind === 'chart' ? lock.charts[pin.name] : lock.crds[pin.name];
    if (!entry || entry.version !== pin.version) {
      problems.push({ pin, problem: 'unlocked', detail: `the lock has ${entry ? `version ${entry.version}` : 'no entry'}; run \`chartkit upstream sync\`` });
      continue;
    }
    if (pin.kind === 'chart') {
      const locked = lock.charts[pin.name]!;
      const file = cachedChart(root, pin);
      if (!existsSync(file)) {
        problems.push({ pin, problem: 'missing', detail: `${path.relative(root, file)} is not cached` });
        continue;
      }
      let actual: string;
      try {
        actual = analyzeChart(pin, readTgz(readFileSync(file), file)).contentDigest;
      } catch (error) {
        problems.push({ pin, problem: 'tampered', detail: (error as Error).message });
        continue;
      }
      if (actual !== locked.contentDigest)
        problems.push({ pin, problem: 'tampered', detail: `content ${actual} differs from the lock's ${locked.contentDigest}` });
    } else {
      const locked = lock.crds[pin.name]!;
      for (const file of pin.files) {
        const cached = path.join(cachedCrds(root, pin), file);
        if (!existsSync(cached)) problems.push({ pin, problem: 'missing', detail: `${path.relative(root, cached)} is not cached` });
        else if (sha256(readFileSync(cached)) !== locked.files[file])
          problems.push({ pin, problem: 'tampered', detail: `${file} differs from the lock's ${locked.files[file]}` });
      }
    }
  }
  return problems;
}

/** One line per problem, the way every command and test reports them. */
export function formatProblems(problems: readonly CacheProblem[]): string {
  return problems.map((entry) => `${pinId(entry.pin)}: ${entry.problem}: ${entry.detail}`).join('\n');
}

/** Options for {@link ensureUpstream}. */
export interface EnsureOptions {
  readonly root: string;
  /** Mirror directory; else `CHARTKIT_UPSTREAM_DIR`, else the network. */
  readonly from?: string;
  /** Only these artifacts. @default every pin */
  readonly pins?: readonly Pin[];
}

/**
 * Makes sure every pinned artifact is in the cache and matches the lock: what is missing or does
 * not match is fetched again from the source, then everything is verified once more.
 * @throws UserError with one line per artifact that still does not match, saying how to get it.
 */
export async function ensureUpstream(options: EnsureOptions): Promise<UpstreamLock> {
  const lock = readLock(options.root);
  const pins = options.pins ?? PINS;
  const first = verifyCache(options.root, lock, pins);
  const unlocked = first.filter((entry) => entry.problem === 'unlocked');
  if (unlocked.length > 0) throw new UserError(formatProblems(unlocked));
  if (first.length === 0) return lock;
  const source = upstreamSource(options.from);
  const refetch = [...new Set(first.map((entry) => entry.pin))];
  try {
    await fetchArtifacts(options.root, refetch, source);
  } catch (error) {
    if (error instanceof UserError) throw new UserError(`${formatProblems(first)}\n${error.message}`);
    throw error;
  }
  const second = verifyCache(options.root, lock, pins);
  if (second.length > 0) throw new UserError(`${formatProblems(second)} (after fetching from ${describeSource(source)})`);
  return lock;
}
