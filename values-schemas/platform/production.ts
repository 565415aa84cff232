/**
 * The production requirements, as numbers, in one place. Three parties read them and must agree:
 * the prod overlays (which meet them), the charts' Helm guards (which refuse prod values that do not,
 * emitted from these constants into each chart's generated `_production.gen.tpl`) and the mesh
 * checks' production checklist (which judges a render against them).
 */
import { parseQuantity } from '../common/quantity.js';

/** What a production mesh and its workloads must satisfy. */
export interface ProductionRequirements {
  /** The only mTLS mode allowed, namespace-wide and mesh-wide. */
  readonly mtlsMode: 'STRICT';
  /** Whether each application namespace must deny what no AuthorizationPolicy allows. */
  readonly authorizationDefaultDeny: true;
  /** The control plane's update strategy: canary revisions, never in-place. */
  readonly updateStrategy: 'RevisionBased';
  /** Fewest istiod replicas (istiod must also autoscale). */
  readonly istiodMinReplicas: number;
  /** Fewest ingress gateway pods (the gateway must also autoscale). */
  readonly ingressGatewayMinReplicas: number;
  /** Smallest memory limit of an injected proxy, as a Kubernetes quantity. */
  readonly proxyMemoryLimitMin: string;
  /** Largest mesh-wide trace sampling, in percent. */
  readonly traceSamplingMaxPercent: number;
}

/** The production requirements of the platform. */
export const PRODUCTION: ProductionRequirements = {
  mtlsMode: 'STRICT',
  authorizationDefaultDeny: true,
  updateStrategy: 'RevisionBased',
  istiodMinReplicas: 3,
  ingressGatewayMinReplicas: 2,
  proxyMemoryLimitMin: '512Mi',
  traceSamplingMaxPercent: 1,
};

/** {@link PRODUCTION}'s proxy memory floor in bytes. */
export const PROXY_MEMORY_LIMIT_MIN_BYTES: number = parseQuantity(PRODUCTION.proxyMemoryLimitMin) as number;

/**
 * The requirements as the charts' Helm guards read them: one JSON object (keys sorted, so the
 * generated helper is stable), with the memory floor also in bytes for comparison in the template.
 */
export function productionRequirementsJson(): string {
  const entries: Record<string, unknown> = { ...PRODUCTION, proxyMemoryLimitMinBytes: PROXY_MEMORY_LIMIT_MIN_BYTES };
  return JSON.stringify(Object.fromEntries(Object.entries(entries).sort(([a], [b]) => a.localeCompare(b))));
}
