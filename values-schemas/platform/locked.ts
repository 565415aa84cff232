/**
 * The committed upstream lock as data for the values schemas and the generator (a JSON import,
 * like any other committed source): its format, the dotted key paths it records, and the look-ups
 * they need. `chartkit upstream sync` (generator/upstream/) derives it from the artifacts.
 */
import lockJson from './upstream-lock.json' with { type: 'json' };
import { isMap } from '../common/merge.js';

/** A Service a chart renders with the umbrella's values. */
export interface LockedService {
  readonly name: string;
  readonly ports: ReadonlyArray<{ readonly name: string; readonly port: number }>;
}

/** The lock entry of a chart. */
export interface LockedChart {
  readonly version: string;
  readonly appVersion: string;
  readonly repository: string;
  readonly source: string;
  /** sha256 over every file of the chart but `Chart.yaml` (path and bytes, sorted by path). */
  readonly contentDigest: string;
  /** sha256 of the chart's own `values.yaml`. */
  readonly valuesDigest: string;
  /** Subcharts shipped inside the package: name → version. */
  readonly subcharts: Readonly<Record<string, string>>;
  /** Leaf key paths of the chart's `values.yaml` and, below their names, its subcharts' (dotted; a segment holding a dot is quoted); lists and empty maps are leaves. */
  readonly valuesPaths: readonly string[];
  /** Values paths the chart's own templates read (`.Values.a.b`) that `values.yaml` does not list. */
  readonly templatePaths: readonly string[];
  /** Services the chart renders as a dependency of the observability umbrella, per environment. */
  readonly services?: Readonly<Record<string, readonly LockedService[]>>;
}

/** The lock entry of a CRD set. */
export interface LockedCrds {
  readonly version: string;
  readonly source: string;
  /** File → sha256 of its bytes. */
  readonly files: Readonly<Record<string, string>>;
  /** Every `group/version/Kind` the set defines (served versions). */
  readonly kinds: readonly string[];
  /**
   * The values a kind's `spec.version` may take, where its schema lists them (`group/version/Kind`
   * → enum, in the CRD's order): the Sail Operator's Istio versions. Charts derive their own
   * version patterns from these, so a version the operator does not know is refused at render time.
   */
  readonly specVersions?: Readonly<Record<string, readonly string[]>>;
}

/** The whole lock. */
export interface UpstreamLock {
  readonly lockVersion: 1;
  readonly charts: Readonly<Record<string, LockedChart>>;
  readonly crds: Readonly<Record<string, LockedCrds>>;
}

/** Formats path segments as a dotted path, quoting a segment that holds a dot. */
export function joinPath(segments: readonly string[]): string {
  return segments.map((segment) => (/[."]/.test(segment) ? `"${segment}"` : segment)).join('.');
}

/** Splits a dotted values path into segments; a double-quoted segment may hold dots. */
export function splitPath(path: string): string[] {
  const segments: string[] = [];
  for (const match of path.matchAll(/"([^"]*)"|([^.]+)/g)) segments.push(match[1] ?? match[2]!);
  return segments;
}

/** Every leaf path below `value`; lists and empty maps are leaves (Helm replaces lists whole). */
export function leafPaths(value: unknown, prefix: string[] = []): string[][] {
  if (!isMap(value) || Object.keys(value).length === 0) return prefix.length ? [prefix] : [];
  return Object.entries(value).flatMap(([key, child]) => leafPaths(child, [...prefix, key]));
}

/** The committed lock. */
export const UPSTREAM_LOCK = lockJson as unknown as UpstreamLock;

/** A chart's lock entry; throws naming the fix when the lock lacks it. */
export function lockedChart(name: string, lock: UpstreamLock = UPSTREAM_LOCK): LockedChart {
  const entry = lock.charts[name];
  if (!entry) throw new Error(`values-schemas/platform/upstream-lock.json has no chart ${name}: run \`chartkit upstream sync\``);
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
  throw new Error(`values-schemas/platform/upstream-lock.json lists no spec.version values for ${kind}: run \`chartkit upstream sync\``);
}
