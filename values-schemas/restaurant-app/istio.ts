/**
 * The Istio part of the restaurant-app values: the mesh-wide `istio` block, each service's
 * `traffic` settings, its `calls` (the call graph, as data) and its `canary` versions.
 */
import { Type, type Static } from '@sinclair/typebox';
import { strictObject, mapOf, stringEnum } from '../common/schema.js';
import { DNS_1035_LABEL, DNS_LABEL, DnsLabel, IMAGE_TAG, Duration, Resources, Int32 } from '../common/kubernetes.js';

/** A version label value (`v1`, `v2`, `v2-rc1`, at most 63 characters); canary map keys and subset names. */
export const VERSION = '^v[0-9]([a-z0-9-]{0,60}[a-z0-9])?$';
/** Envoy retry conditions, comma-separated (`5xx,reset,connect-failure,refused-stream`, or status codes). */
export const RETRY_ON = '^[a-z0-9-]+(,[a-z0-9-]+)*$';
/** A URI prefix of an edge route. */
export const URI_PREFIX = '^/([-._~a-zA-Z0-9/]*)$';

/** The mesh data-plane modes the chart supports. */
export const MESH_MODES = ['sidecar', 'ambient'] as const;
/** Mutual TLS modes a PeerAuthentication may set. */
export const MTLS_MODES = ['STRICT', 'PERMISSIVE', 'DISABLE'] as const;

/** A port number 1–65535 as text (a map key). */
const PORT_NUMBER = '^([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])$';

const Percentage = (description: string) => Type.Number({ minimum: 0, maximum: 100, description });

/** Retries of a route; `attempts × perTryTimeout` must fit in the route's timeout. */
export const Retries = strictObject(
  {
    attempts: Type.Integer({ minimum: 0, maximum: 10, description: 'Retries after the first try (0 disables retries).' }),
    perTryTimeout: Duration('Timeout of each try, e.g. `2s`; `attempts × perTryTimeout` must not exceed the route timeout.'),
    retryOn: Type.String({ pattern: RETRY_ON, description: 'Envoy retry conditions, comma-separated.' }),
  },
  { description: 'Retry policy of the route.' },
);

/** Per-service mesh traffic policy (VirtualService and DestinationRule). */
export const TrafficSettings = strictObject(
  {
    timeout: Duration('Overall timeout of a request to the service, retries included.'),
    retries: Retries,
    loadBalancer: stringEnum(['LEAST_REQUEST', 'ROUND_ROBIN', 'RANDOM', 'PASSTHROUGH'] as const, {
      description: 'Load-balancing algorithm of the DestinationRule.',
    }),
    connectionPool: strictObject(
      {
        maxConnections: Int32('Most TCP connections to the service per client proxy.', 1),
        connectTimeout: Duration('TCP connect timeout.'),
        http1MaxPendingRequests: Int32('Most requests queued while waiting for a connection.', 1),
        http2MaxRequests: Int32('Most concurrent requests to the service.', 1),
        maxRequestsPerConnection: Int32('Requests per connection before it is recycled (0: unlimited).'),
      },
      { description: 'Connection pool limits (circuit breaking).' },
    ),
    outlierDetection: strictObject(
      {
        consecutive5xxErrors: Int32('Consecutive 5xx responses that eject a pod.', 1),
        interval: Duration('How often pods are scanned for ejection.'),
        baseEjectionTime: Duration('Minimum ejection time; grows with each ejection.'),
        maxEjectionPercent: Type.Integer({ minimum: 0, maximum: 100, description: 'Most of the pods that may be ejected at once.' }),
      },
      { description: 'Ejects failing pods from the load-balancing pool.' },
    ),
    fault: strictObject(
      {
        enabled: Type.Boolean({ description: 'Inject faults (resilience tests, staging); never in prod.' }),
        delay: strictObject(
          {
            percentage: Percentage('Share of requests delayed (0 disables the delay).'),
            fixedDelay: Duration('How long a delayed request waits.'),
          },
          { description: 'Delay injection.' },
        ),
        abort: strictObject(
          {
            percentage: Percentage('Share of requests aborted (0 disables the abort).'),
            httpStatus: Type.Integer({ minimum: 200, maximum: 599, description: 'Status code of an aborted request.' }),
          },
          { description: 'Abort injection.' },
        ),
      },
      { description: 'Fault injection into requests to the service.' },
    ),
  },
  { description: 'Mesh traffic policy of the service (used when `istio.enabled`).' },
);
/** A service's traffic policy. */
export type TrafficSettings = Static<typeof TrafficSettings>;

/**
 * The call graph, as outbound edges: `services.<caller>.calls.<callee>: true`. The chart inverts it,
 * so each callee's AuthorizationPolicy allows exactly its callers' service accounts; `false`
 * removes an edge an earlier values file added.
 */
export const ServiceCalls = mapOf(DNS_1035_LABEL, Type.Boolean(), {
  description: 'Services this service calls, keyed by name (`true` to allow, `false` to drop an edge); each callee admits exactly its callers.',
});

/** One version of a canary. */
export const CanaryVersion = strictObject(
  {
    weight: Type.Integer({ minimum: 0, maximum: 100, description: 'Share of traffic in percent; the weights of all versions must sum to 100.' }),
    tag: Type.Optional(Type.String({ pattern: IMAGE_TAG, description: "Image tag of this version; unset means the service's tag." })),
    replicas: Type.Optional(Int32("Replicas of this version when autoscaling is off; unset means the service's replicas.")),
  },
  { description: 'One version of the canary: its weight, image tag and replicas.' },
);

/** A canary: versions keyed by their `version` label. */
export const CanaryVersions = mapOf(VERSION, CanaryVersion, {
  description:
    'Canary versions keyed by `version` label (`v1`, `v2`): one Deployment `<service>-<version>` each, a DestinationRule subset each, weighted routes. Empty: one Deployment named after the service.',
});

/** The mesh-wide `istio` block of restaurant-app. */
export const IstioValues = strictObject(
  {
    enabled: Type.Boolean({ description: "Render the per-service mesh policy (needs Istio's v1 APIs in the cluster)." }),
    mesh: strictObject(
      {
        // Optional in the schema only so the restaurant-platform umbrella can remove it (it sets global.mesh.mode); the template refuses a chart with neither.
        mode: Type.Optional(
          stringEnum(MESH_MODES, {
            description:
              '`sidecar`: an injected Envoy per pod; `ambient`: ztunnel plus a waypoint for L7 policy. `global.mesh.mode`, when set (the restaurant-platform umbrella sets it), decides instead.',
          }),
        ),
        revision: Type.String({
          pattern: `^(${DNS_LABEL.slice(1, -1)})?$`,
          description: 'Sidecar mode: control-plane revision or revision tag the pods use (`istio.io/rev`); empty means the default injector.',
        }),
      },
      { description: 'How the services join the mesh.' },
    ),
    sidecar: strictObject(
      {
        resources: Resources('Resources of the injected istio-proxy container (sidecar mode), set by pod annotations.'),
        outboundTrafficPolicy: stringEnum(['REGISTRY_ONLY', 'ALLOW_ANY'] as const, {
          description: 'Whether the proxies may reach hosts outside the service registry.',
        }),
      },
      { description: 'Sidecar-mode settings: proxy resources and the namespace Sidecar egress scope.' },
    ),
    waypoint: strictObject(
      {
        name: DnsLabel('Name of the namespace waypoint (ambient mode) and of its service account.'),
      },
      { description: 'Ambient mode: the waypoint that enforces L7 policy for the services.' },
    ),
    gateway: strictObject(
      {
        name: Type.String({ pattern: DNS_LABEL, description: 'Name of the ingress Gateway (istio-mesh chart) the edge routes bind to.' }),
        namespace: Type.String({
          pattern: `^(${DNS_LABEL.slice(1, -1)})?$`,
          description: 'Namespace of that Gateway; empty means `global.namespaces.ingress`.',
        }),
        serviceAccount: Type.String({ pattern: DNS_LABEL, description: 'Service account of the ingress gateway pods; edge services admit it.' }),
      },
      { description: 'The ingress gateway the edge routes bind to.' },
    ),
    edge: strictObject(
      {
        enabled: Type.Boolean({ description: 'Render the edge VirtualService on the ingress Gateway for `global.domain`.' }),
        routes: mapOf(
          DNS_LABEL,
          strictObject(
            {
              prefix: Type.String({ pattern: URI_PREFIX, description: 'URI prefix; longer prefixes match first.' }),
              service: Type.String({ pattern: DNS_1035_LABEL, description: 'Service (key of `services`) the prefix routes to, on its first port.' }),
              timeout: Duration('Overall timeout of an edge request.'),
              retries: Retries,
            },
            { description: 'One edge route.' },
          ),
          { description: 'Edge routes keyed by name; the services they name admit the ingress gateway.' },
        ),
      },
      { description: 'Public routes from the ingress Gateway.' },
    ),
    peerAuthentication: strictObject(
      {
        mode: stringEnum(MTLS_MODES, { description: 'Namespace mTLS mode; must be STRICT in prod.' }),
        portExceptions: mapOf(PORT_NUMBER, stringEnum(MTLS_MODES), {
          description: 'Per container port mTLS mode that differs from `mode` (e.g. `"9090": PERMISSIVE` for a scraper outside the mesh).',
        }),
      },
      { description: 'Mutual TLS of the namespace.' },
    ),
    authorization: strictObject(
      {
        defaultDeny: Type.Boolean({ description: 'Deny every request in the namespace no policy allows; required in prod.' }),
      },
      { description: 'Authorization defaults of the namespace.' },
    ),
  },
  { description: 'Istio settings of the services: mesh mode, traffic, mTLS and authorization.' },
);
/** The `istio` block's type. */
export type IstioValues = Static<typeof IstioValues>;
