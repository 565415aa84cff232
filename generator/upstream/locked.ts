/**
 * The committed upstream lock as data for the generator and the values schemas (a JSON import,
 * like any other committed source), with the look-ups they need.
 */
import lockJson from './upstream-lock.json' with { type: 'json' };
import type { LockedChart, UpstreamLock } from './lock.js';
import { splitPath } from './lock.js';

/** The committed lock. */
export const UPSTREAM_LOCK = lockJson as unknown as UpstreamLock;

/** A chart's lock entry; throws naming the fix when the lock lacks it. */
export function lockedChart(name: string, lock: UpstreamLock = UPSTREAM_LOCK): LockedChart {
  const entry = lock.charts[name];
  if (!entry) throw new Error(`generator/upstream/upstream-lock.json has no chart ${name}: run \`chartkit upstream sync\``);
  return entry;
}

/**
 * The top-level values keys a chart accepts: those of its `values.yaml`, the ones its templates
 * read beyond them, and its subcharts' names (each a values block of its own).
 */
export function topLevelKeys(name: string, lock: UpstreamLock = UPSTREAM_LOCK): string[] {
  const entry = lockedChart(name, lock);
  const keys = new Set<string>([...entry.valuesPaths, ...entry.templatePaths].map((path) => splitPath(path)[0]!).concat(Object.keys(entry.subcharts)));
  return [...keys].sort();
}

/**
 * The values a custom resource's `spec.version` may take, from its locked CRD (`group/version/Kind`);
 * throws naming the fix when no locked CRD lists them.
 */
export function lockedSpecVersions(kind: string, lock: UpstreamLock = UPSTREAM_LOCK): readonly string[] {
  for (const crds of Object.values(lock.crds)) {
    const versions = crds.specVersions?.[kind];
    if (versions) return versions;
  }
  throw new Error(`generator/upstream/upstream-lock.json lists no spec.version values for ${kind}: run \`chartkit upstream sync\``);
}
