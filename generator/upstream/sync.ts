/**
 * `chartkit upstream sync`: fetches every pinned artifact into the cache (from a mirror or the
 * network), derives the lock from the artifacts themselves, and records the Services each
 * observability chart renders with the umbrella's values in every environment.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import yaml from 'js-yaml';
import { UserError } from '../errors.js';
import { resolveHelm } from '../toolchain.js';
import { ENVIRONMENTS } from '../../values-schemas/common/global.js';
import { PINS, OBSERVABILITY_PINS } from '../../values-schemas/platform/pins.js';
import type { LockedChart, LockedCrds, LockedService, UpstreamLock } from '../../values-schemas/platform/locked.js';
import { analyzeChart, analyzeCrds, formatLock } from './lock.js';
import { cachedChart, cachedCrds, fetchArtifacts, lockFile, upstreamSource } from './cache.js';
import { readTgz } from './tar.js';
import { assembleUmbrella, splitBySource, UMBRELLA } from './umbrella.js';

/** The release and namespace the umbrella is rendered as (its values are computed for them). */
export const UMBRELLA_RELEASE = { name: 'observability', namespace: 'observability' } as const;

/** Renders the assembled umbrella in one environment and returns the Services per dependency. */
async function servicesOf(chartDir: string, environment: string): Promise<Map<string, LockedService[]>> {
  // The umbrella's own schema is derived from this lock (and tested on its own), so finding the
  // upstream charts' Services must not depend on it: a first sync would otherwise never succeed.
  const args = [
    'template',
    UMBRELLA_RELEASE.name,
    chartDir,
    '--namespace',
    UMBRELLA_RELEASE.namespace,
    '--values',
    path.join(chartDir, `values-${environment}.yaml`),
    '--skip-schema-validation',
  ];
  const result = await execa(resolveHelm(4), args, { reject: false });
  if (result.exitCode !== 0)
    throw new UserError(
      `the ${UMBRELLA} umbrella does not render in ${environment} with the pinned charts (after a pin change, run \`npm run generate\` and sync again):\n${result.stderr}`,
    );
  const services = new Map<string, LockedService[]>();
  for (const document of splitBySource(result.stdout)) {
    const object = yaml.load(document.text) as {
      kind?: string;
      metadata?: { name?: string };
      spec?: { ports?: Array<{ name?: string; port: number }> };
    } | null;
    if (object?.kind !== 'Service' || !document.dependency) continue;
    const list = services.get(document.dependency) ?? [];
    list.push({ name: object.metadata!.name!, ports: (object.spec?.ports ?? []).map((port) => ({ name: port.name ?? '', port: port.port })) });
    services.set(document.dependency, list);
  }
  for (const list of services.values()) list.sort((a, b) => a.name.localeCompare(b.name));
  return services;
}

/** Options for {@link syncLock}. */
export interface SyncOptions {
  readonly root: string;
  /** Mirror directory; else `CHARTKIT_UPSTREAM_DIR`, else the network. */
  readonly from?: string;
  /** Compare with the committed lock instead of writing it; throw on drift. @default false */
  readonly check?: boolean;
}

/** The lock entries (`charts.grafana`, `crds.istio`) in which two locks differ. */
export function lockDrift(expected: UpstreamLock, actual: UpstreamLock): string[] {
  const keys = (lock: UpstreamLock) => [...Object.keys(lock.charts).map((name) => `charts.${name}`), ...Object.keys(lock.crds).map((name) => `crds.${name}`)];
  const entry = (lock: UpstreamLock, key: string) => {
    const [section, name] = key.split('.') as ['charts' | 'crds', string];
    return JSON.stringify(lock[section][name]);
  };
  return [...new Set([...keys(expected), ...keys(actual)])].filter((key) => entry(expected, key) !== entry(actual, key)).sort();
}

/** Fetches, analyses and writes the lock; returns it. */
export async function syncLock(options: SyncOptions): Promise<UpstreamLock> {
  const { root } = options;
  await fetchArtifacts(root, PINS, upstreamSource(options.from));
  const charts: Record<string, LockedChart> = {};
  const crds: Record<string, LockedCrds> = {};
  for (const pin of PINS) {
    if (pin.kind === 'chart') {
      charts[pin.name] = analyzeChart(pin, readTgz(readFileSync(cachedChart(root, pin)), cachedChart(root, pin)));
    } else {
      const dir = cachedCrds(root, pin);
      crds[pin.name] = analyzeCrds(pin, new Map(pin.files.map((file) => [file, readFileSync(path.join(dir, file), 'utf8')])));
    }
  }
  // Written before the render too: the generated umbrella's schema is derived from the lock, so a
  // first sync (or a new pin) needs `npm run generate` in between, and the facts are kept meanwhile.
  const previous = existsSync(lockFile(root)) ? (JSON.parse(readFileSync(lockFile(root), 'utf8')) as UpstreamLock) : undefined;
  for (const pin of OBSERVABILITY_PINS) {
    const services = previous?.charts[pin.name]?.version === pin.version ? previous.charts[pin.name]!.services : undefined;
    if (services) charts[pin.name] = { ...charts[pin.name]!, services };
  }
  if (!options.check) writeFileSync(lockFile(root), formatLock({ lockVersion: 1, charts, crds }));
  // The Services need a render of the umbrella with the artifacts just fetched.
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'chartkit-sync-'));
  try {
    const chartDir = assembleUmbrella(root, scratch);
    const perEnvironment = await Promise.all(ENVIRONMENTS.map(async (environment) => [environment, await servicesOf(chartDir, environment)] as const));
    for (const pin of OBSERVABILITY_PINS) {
      charts[pin.name] = {
        ...charts[pin.name]!,
        services: Object.fromEntries(perEnvironment.map(([environment, services]) => [environment, services.get(pin.name) ?? []])),
      };
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const lock: UpstreamLock = { lockVersion: 1, charts, crds };
  if (options.check) {
    const committed = existsSync(lockFile(root))
      ? (JSON.parse(readFileSync(lockFile(root), 'utf8')) as UpstreamLock)
      : { lockVersion: 1 as const, charts: {}, crds: {} };
    const drift = lockDrift(committed, lock);
    if (drift.length > 0 || formatLock(committed) !== formatLock(lock)) {
      throw new UserError(
        `values-schemas/platform/upstream-lock.json is out of date (${drift.join(', ') || 'formatting'} differ from the artifacts): run \`chartkit upstream sync\`, then \`npm run generate\`, and commit`,
      );
    }
    return lock;
  }
  writeFileSync(lockFile(root), formatLock(lock));
  return lock;
}
