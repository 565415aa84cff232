/** Emits the istio-mesh chart: the Sail-installed control plane and the mesh-wide configuration. */
import { releaseOf, LIBRARY_CHART, type ChartModule } from '../types.js';
import { renderChart } from '../emit/chart.js';
import { productionHelperFile } from '../emit/production.js';
import type { ValuesSource } from '../../values-schemas/common/source.js';
import { istioMeshValues } from '../../values-schemas/istio-mesh/index.js';

/** The istio-mesh chart module. */
export const istioMesh: ChartModule = {
  name: 'istio-mesh',
  source: 'generator/charts/istio-mesh.ts',
  values: istioMeshValues as ValuesSource<unknown>,
  render: ({ assets, assetsOf, releases }) =>
    renderChart(
      {
        name: 'istio-mesh',
        source: 'generator/charts/istio-mesh.ts',
        release: releaseOf(releases, 'istio-mesh'),
        values: istioMeshValues,
        library: assetsOf(LIBRARY_CHART),
        // The README names the namespaces the objects go to.
        context: { namespaces: istioMeshValues.defaults.global.namespaces },
        extraFiles: [productionHelperFile('istio-mesh')],
      },
      assets,
    ),
};
