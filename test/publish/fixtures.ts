// Inputs shared by the publishing tests.
import { chartNames } from '../../generator/index.js';

/**
 * Every chart that packages offline: all but the upstream observability umbrella, whose
 * dependencies are fetched from the network at packaging time (`helm dependency build`).
 */
export const OFFLINE_CHARTS: readonly string[] = chartNames().filter((chart) => chart !== 'observability');

/**
 * `--set` pairs an install without a cluster needs: `helm install --dry-run=client` has no
 * `--api-versions`, so the charts' CRD guards are told the render is not aimed at a cluster.
 */
export const INSTALL_SETS: Readonly<Record<string, readonly string[]>> = {
  'restaurant-app': ['istio.skipCapabilityCheck=true'],
  'istio-mesh': ['skipCapabilityCheck=true'],
  'restaurant-platform': ['restaurant-app.istio.skipCapabilityCheck=true', 'istio-mesh.skipCapabilityCheck=true'],
};
