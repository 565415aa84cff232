/**
 * Emits the restaurant-platform umbrella: Chart.yaml with one `file://` dependency per subchart
 * (each behind `components.<name>.enabled`), values derived from the subcharts' sources, and the
 * subcharts themselves vendored below `charts/` as the generator emits them, so the umbrella
 * renders, installs and packages offline with no `helm dependency build` step, and the drift check
 * covers the vendored copies like any other generated file.
 */
import { releaseOf, type ChartInputs, type ChartModule, type OutputFile } from '../types.js';
import { renderChart } from '../emit/chart.js';
import type { ValuesSource } from '../../values-schemas/common/source.js';
import { imagesFromValues } from '../emit/chart-metadata.js';
import { restaurantPlatformValues, SUBCHARTS } from '../../values-schemas/restaurant-platform/index.js';
import { restaurantApp } from './restaurant-app.js';
import { istioMesh } from './istio-mesh.js';

const NAME = 'restaurant-platform';
const SOURCE = 'generator/charts/restaurant-platform.ts';
const MODULES: readonly ChartModule[] = [restaurantApp, istioMesh];

/** The subchart modules, by name; every subchart of the values source must have one. */
function moduleOf(name: string): ChartModule {
  const module = MODULES.find((candidate) => candidate.name === name);
  if (!module) throw new Error(`${NAME}: no chart module for subchart ${name}`);
  return module;
}

/** A subchart's files, moved below the umbrella's `charts/` folder, unchanged; its CI scenarios stay behind (its `.helmignore` leaves them out of a package too). */
export function vendorSubchart(name: string, inputs: ChartInputs): OutputFile[] {
  return moduleOf(name)
    .render({ ...inputs, assets: inputs.assetsOf(name) })
    .filter((file) => !file.path.startsWith(`${name}/ci/`))
    .map((file) => ({ path: `${NAME}/charts/${file.path}`, content: file.content }));
}

/** The restaurant-platform chart module. */
export const restaurantPlatform: ChartModule = {
  name: NAME,
  source: SOURCE,
  values: restaurantPlatformValues as ValuesSource<unknown>,
  render: (inputs) => {
    const { assets, releases } = inputs;
    const dependencies = SUBCHARTS.map((subchart) => ({ name: subchart.name, version: releaseOf(releases, subchart.name).version, purpose: subchart.purpose }));
    const own = renderChart(
      {
        name: NAME,
        source: SOURCE,
        release: releaseOf(releases, NAME),
        values: restaurantPlatformValues,
        readmeCollapse: SUBCHARTS.map((subchart) => subchart.name),
        // The README installs the observability chart first, at its current version.
        context: {
          dependencies,
          namespaces: restaurantPlatformValues.defaults.global.namespaces,
          observabilityVersion: releaseOf(releases, 'observability').version,
        },
        // The subcharts' images: the umbrella deploys exactly what they deploy.
        images: SUBCHARTS.flatMap((subchart) => imagesFromValues(subchart.values.defaults, releaseOf(releases, subchart.name).appVersion)),
      },
      assets,
    );
    // The vendored subcharts are emitted beside, not through, renderChart: they keep their own
    // banners byte for byte. The umbrella's content hash covers them through the dependency
    // versions in Chart.yaml, and each subchart's own hash guards its content.
    return [...own, ...SUBCHARTS.flatMap((subchart) => vendorSubchart(subchart.name, inputs))];
  },
};
