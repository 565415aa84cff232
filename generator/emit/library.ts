/**
 * Emits the platform's library chart (`generator/templates/chartkit-common/`) for vendoring below a
 * chart's `charts/` folder. Every copy carries the same banner, naming the library's own source
 * rather than the chart that vendors it, so all copies are byte-identical: Helm's define
 * namespace is global across a chart and its subcharts, and two copies that differed would make
 * the helpers depend on which one Helm loaded last. Pure: the assets arrive as data.
 */
import yaml from 'js-yaml';
import type { ChartAssets, OutputFile } from '../types.js';
import { withBanner } from './header.js';

/** The library chart's source folder, named in the banner of every vendored file. */
export const LIBRARY_SOURCE = 'generator/templates/chartkit-common';

/** A library chart ready to vendor: its Chart.yaml facts and its files (paths inside the library). */
export interface LibraryChart {
  readonly name: string;
  readonly version: string;
  readonly files: readonly OutputFile[];
}

/**
 * Reads the library's Chart.yaml and bannered files.
 * @throws Error when Chart.yaml is missing, has no name or version, or is not `type: library`
 * (an application chart in `charts/` would render its templates into every chart vendoring it).
 */
export function renderLibrary(assets: ChartAssets): LibraryChart {
  const chartYaml = assets.get('Chart.yaml');
  if (chartYaml === undefined) throw new Error(`${LIBRARY_SOURCE}: no Chart.yaml`);
  const metadata = (yaml.load(chartYaml) ?? {}) as { name?: unknown; version?: unknown; type?: unknown };
  if (typeof metadata.name !== 'string' || typeof metadata.version !== 'string')
    throw new Error(`${LIBRARY_SOURCE}/Chart.yaml: name and version must be strings`);
  if (metadata.type !== 'library') throw new Error(`${LIBRARY_SOURCE}/Chart.yaml: type must be library, not ${String(metadata.type)}`);
  const files = [...assets]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([path, content]) => {
      if (path.endsWith('.hbs')) throw new Error(`${LIBRARY_SOURCE}/${path}: the library is copied as is; it has no .hbs sources`);
      const bannered = withBanner(path, content.replace(/\r\n/g, '\n'), LIBRARY_SOURCE);
      return { path, content: bannered.endsWith('\n') ? bannered : `${bannered}\n` };
    });
  return { name: metadata.name, version: metadata.version, files };
}
