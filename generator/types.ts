/** Types shared by the generator's pure chart modules, the writer and the drift check. */

/** One file the generator emits, relative to `charts/`. */
export interface OutputFile {
  /** Path below `charts/`, with forward slashes: `restaurant-app/templates/deployment.yaml`. */
  readonly path: string;
  /** Full UTF-8 content, LF line endings. */
  readonly content: string;
}

/** A chart's plain asset files (Helm templates, `.hbs` sources), keyed by path inside the chart. */
export type ChartAssets = ReadonlyMap<string, string>;

/** A module that emits one chart: a pure function from its inputs to files. */
export interface ChartModule {
  /** The chart's name: its folder below `charts/` and `generator/templates/`. */
  readonly name: string;
  /** The module file, named in every generated file's do-not-edit header. */
  readonly source: string;
  /**
   * Emits the chart's files from its assets; no I/O. `assetsOf` gives other charts' assets, for
   * an umbrella that vendors its subcharts.
   */
  render(assets: ChartAssets, assetsOf?: (chart: string) => ChartAssets): OutputFile[];
}
