/** Types shared by the generator's pure chart modules, the writer and the drift check. */
import type { ValuesSource } from '../values-schemas/common/source.js';
import type { ChartChange } from './emit/chart-metadata.js';
import type { ValuesMigration } from './diff/values.js';

/** One file the generator emits, relative to `charts/`. */
export interface OutputFile {
  /** Path below `charts/`, with forward slashes: `restaurant-app/templates/deployment.yaml`. */
  readonly path: string;
  /** Full UTF-8 content, LF line endings. */
  readonly content: string;
}

/** A chart's plain asset files (Helm templates, `.hbs` sources), keyed by path inside the chart. */
export type ChartAssets = ReadonlyMap<string, string>;

/** One chart's release facts from `generator/charts/releases.json`. */
export interface ChartReleaseEntry {
  readonly version: string;
  readonly appVersion: string;
  readonly description: string;
  /** Changelog per version (`artifacthub.io/changes` of that version); `chartkit bump` adds entries. */
  readonly changes?: Readonly<Record<string, readonly ChartChange[]>>;
}

/** Every chart's release facts, by chart name: the contents of `generator/charts/releases.json`. */
export type Releases = Readonly<Record<string, ChartReleaseEntry>>;

/**
 * What a chart module renders from, all read by the I/O layer beforehand: its assets, other charts'
 * assets (an umbrella vendors its subcharts) and the release facts (read fresh on every run, so
 * `chartkit bump` followed by a regeneration in the same process sees the new version).
 */
export interface ChartInputs {
  readonly assets: ChartAssets;
  readonly assetsOf: (chart: string) => ChartAssets;
  readonly releases: Releases;
}

/** A module that emits one chart: a pure function from its inputs to files. */
export interface ChartModule {
  /** The chart's name: its folder below `charts/` and `generator/templates/`. */
  readonly name: string;
  /** The module file, named in every generated file's do-not-edit header. */
  readonly source: string;
  /** The chart's values source (schema, defaults, overlays, CI scenarios). */
  readonly values: ValuesSource<unknown>;
  /**
   * The per-version migration table the chart module owns: each values key a version removed or
   * renamed, and the key replacing it. `chartkit diff` names the new key from it; it emits nothing.
   */
  readonly migrations?: readonly ValuesMigration[];
  /** Emits the chart's files; no I/O. */
  render(inputs: ChartInputs): OutputFile[];
}

/**
 * The platform's library chart: the helpers every platform chart shares (`chartkit.<area>.<name>`),
 * sourced from `generator/templates/chartkit-common/` and vendored into each chart that uses it.
 */
export { LIBRARY_CHART } from '../values-schemas/common/library.js';

/** The release facts of one chart; throws naming the file when the chart has none. */
export function releaseOf(releases: Releases, chart: string): ChartReleaseEntry {
  const release = releases[chart];
  if (!release) throw new Error(`generator/charts/releases.json has no entry for ${chart}`);
  return release;
}
