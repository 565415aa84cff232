/**
 * The charts the restaurant-platform umbrella installs, with their values sources. The umbrella's
 * schema, defaults and overlays are derived from these, never written by hand.
 */
import type { ValuesSource } from '../common/source.js';
import { restaurantAppValues } from '../restaurant-app/index.js';
import { istioMeshValues } from '../istio-mesh/index.js';

/** One subchart of the umbrella. */
export interface Subchart {
  /** Chart name: the folder below `charts/`, the dependency name and the values key. */
  readonly name: string;
  /** What it brings, for the schema description and the README. */
  readonly purpose: string;
  readonly values: ValuesSource<unknown>;
}

/**
 * The subcharts, in install order. The upstream observability stack (the `observability` chart)
 * is deliberately not one of them: its dependencies come from the network, so an umbrella that
 * includes it could not be rendered, tested or packaged offline. The platform's own monitoring
 * objects (observability-platform) are not included either: the observability umbrella owns them
 * (it mounts their rule file into its Prometheus), and a second release rendering the same
 * ConfigMaps in the same namespace would be refused by Helm.
 */
export const SUBCHARTS: readonly Subchart[] = [
  {
    name: 'istio-mesh',
    purpose: 'mesh-wide Istio configuration (control plane, mTLS, telemetry, ingress Gateway)',
    values: istioMeshValues as ValuesSource<unknown>,
  },
  {
    name: 'restaurant-app',
    purpose: 'the services: workloads, configuration and per-service mesh policy',
    values: restaurantAppValues as ValuesSource<unknown>,
  },
];
