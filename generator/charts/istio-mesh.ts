/** Emits the istio-mesh chart: the Sail-installed control plane and the mesh-wide configuration. */
import type { ChartModule } from '../types.js';
import { renderChart } from '../emit/chart.js';
import { istioMeshValues } from '../../values-schemas/istio-mesh/index.js';
import releases from './releases.json' with { type: 'json' };

/** The istio-mesh chart module. */
export const istioMesh: ChartModule = {
  name: 'istio-mesh',
  source: 'generator/charts/istio-mesh.ts',
  render: (assets) =>
    renderChart(
      {
        name: 'istio-mesh',
        source: 'generator/charts/istio-mesh.ts',
        release: releases['istio-mesh'],
        values: istioMeshValues,
      },
      assets,
    ),
};
