/**
 * The restaurant-app adapter: what the mesh checks expect of a restaurant-app render, derived from
 * the values it was rendered with (merged as Helm merges them). The checks themselves know no
 * chart; this is the one place that reads restaurant-app's values for them.
 */
import type { MeshCheckOptions } from './findings.js';

/** The restaurant-app values {@link callGraphFromValues} reads. */
export interface CallGraphValues {
  readonly global: { readonly namespaces: { readonly ingress: string }; readonly trustDomain?: string; readonly clusterDomain?: string };
  readonly serviceDefaults: { readonly enabled: boolean };
  readonly services: Readonly<Record<string, { readonly enabled?: boolean; readonly calls?: Readonly<Record<string, boolean>> }>>;
  readonly istio: {
    readonly gateway: { readonly namespace: string; readonly serviceAccount: string };
    readonly edge: { readonly enabled: boolean; readonly routes: Readonly<Record<string, { readonly service: string }>> };
  };
}

/** The name the ingress gateway's identity has in a call graph from {@link callGraphFromValues}. */
export const INGRESS_NODE = 'ingress-gateway';

/**
 * The declared call graph of restaurant-app values (merged as Helm would merge them): each enabled
 * service's `calls`, plus the ingress gateway calling the services the edge routes name.
 * @returns options for `checkMesh`: `calls`, the ingress gateway's `externalPrincipals`, the values' trust and cluster domains
 */
export function callGraphFromValues(values: CallGraphValues): Pick<MeshCheckOptions, 'calls' | 'externalPrincipals' | 'trustDomain' | 'clusterDomain'> {
  const enabled = (name: string) => values.services[name]?.enabled ?? values.serviceDefaults.enabled;
  const calls: Record<string, string[]> = {};
  for (const [caller, entry] of Object.entries(values.services)) {
    if (!enabled(caller)) continue;
    const callees = Object.entries(entry.calls ?? {})
      .filter(([callee, on]) => on && enabled(callee))
      .map(([callee]) => callee)
      .sort();
    if (callees.length > 0) calls[caller] = callees;
  }
  const edge = values.istio.edge.enabled ? [...new Set(Object.values(values.istio.edge.routes).map((route) => route.service))].sort() : [];
  if (edge.length > 0) calls[INGRESS_NODE] = edge;
  const namespace = values.istio.gateway.namespace || values.global.namespaces.ingress;
  const trustDomain = values.global.trustDomain ?? 'cluster.local';
  return {
    calls,
    externalPrincipals: { [INGRESS_NODE]: `${trustDomain}/ns/${namespace}/sa/${values.istio.gateway.serviceAccount}` },
    trustDomain,
    clusterDomain: values.global.clusterDomain ?? 'cluster.local',
  };
}
