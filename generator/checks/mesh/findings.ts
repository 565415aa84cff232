/**
 * What the mesh checks are called and what they report: the check ids, a finding, and the options
 * every check reads. Apart from the checks so that each check module and the restaurant-app adapter
 * can name them without depending on one another.
 */

/** The checks, by id. */
export const MESH_CHECKS = [
  'destination-host',
  'subset',
  'canary-weights',
  'retry-budget',
  'call-graph',
  'principal',
  'strict-mtls',
  'sidecar-egress',
  'gateway-host',
  'mesh-mode',
  'production',
] as const;

/** One check's id: {@link MESH_CHECKS}. */
export type MeshCheckId = (typeof MESH_CHECKS)[number];

/** Something a check found wrong. */
export interface MeshFinding {
  /** The check that found it. */
  readonly check: MeshCheckId;
  /** The object it is about: `Kind namespace/name`. */
  readonly object: string;
  /** What is wrong, in one sentence. */
  readonly message: string;
}

/** Options for `checkMesh` (./index.ts). */
export interface MeshCheckOptions {
  /**
   * The declared call graph: caller → the Services it calls. A caller is a ServiceAccount name
   * (in the callee's namespace, else `namespace/name`) or a key of `externalPrincipals`.
   * Without it, `call-graph` is skipped and `sidecar-egress` checks only `egressNamespaces`.
   */
  readonly calls?: Readonly<Record<string, readonly string[]>>;
  /**
   * Identities outside the rendered objects that policies may name, by node name: e.g.
   * `{ 'ingress-gateway': 'cluster.local/ns/istio-ingress/sa/istio-ingressgateway' }`.
   * @default {}
   */
  readonly externalPrincipals?: Readonly<Record<string, string>>;
  /** Run the production checks (`strict-mtls`, `production`). @default false */
  readonly production?: boolean;
  /** The mesh root namespace (mesh-wide PeerAuthentication, Telemetry, Sidecar). @default "istio-system" */
  readonly rootNamespace?: string;
  /** The mesh's SPIFFE trust domain: a principal `<trustDomain>/ns/<namespace>/sa/<account>` of another is unknown. @default "cluster.local" */
  readonly trustDomain?: string;
  /** The cluster's DNS domain: in-cluster hosts are `<service>.<namespace>.svc.<clusterDomain>`. @default "cluster.local" */
  readonly clusterDomain?: string;
  /** Namespaces every Sidecar's egress must reach besides the declared callees (control plane, observability, stores). @default [] */
  readonly egressNamespaces?: readonly string[];
  /** Namespaces that must be STRICT in production besides those of rendered Deployments. @default [] */
  readonly namespaces?: readonly string[];
  /** Whether `production` requires a Sail `Istio` resource among the objects. @default true */
  readonly requireControlPlane?: boolean;
  /** Only these checks. @default all of {@link MESH_CHECKS} */
  readonly checks?: readonly MeshCheckId[];
}
