/**
 * The chart modules, composed. Adding a chart means adding its module here and its assets under
 * `generator/templates/<chart>/`.
 */
import type { ChartAssets, ChartModule, OutputFile, Releases } from './types.js';
import { restaurantApp } from './charts/restaurant-app.js';
import { istioMesh } from './charts/istio-mesh.js';
import { observabilityPlatform } from './charts/observability-platform.js';
import { observability } from './charts/observability.js';
import { restaurantPlatform } from './charts/restaurant-platform.js';

/** Every chart module, in emission order. */
export const chartModules: readonly ChartModule[] = [restaurantApp, istioMesh, observabilityPlatform, observability, restaurantPlatform];

/** The chart names, for argument validation. */
export const chartNames = (): string[] => chartModules.map((module) => module.name);

/**
 * Renders the given charts from their assets and release facts. Pure. Throws when two modules
 * emit the same path.
 */
export function renderCharts(modules: readonly ChartModule[], assetsOf: (chart: string) => ChartAssets, releases: Releases): OutputFile[] {
  const seen = new Map<string, string>();
  const files: OutputFile[] = [];
  for (const module of modules) {
    for (const file of module.render({ assets: assetsOf(module.name), assetsOf, releases })) {
      const owner = seen.get(file.path);
      if (owner) throw new Error(`${file.path} is emitted by both ${owner} and ${module.name}`);
      seen.set(file.path, module.name);
      files.push(file);
    }
  }
  return files;
}
