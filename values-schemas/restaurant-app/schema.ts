/**
 * The restaurant-app chart's values: one schema from which the JSON schema, the TypeScript type,
 * the `values.yaml` comments and the README table are all derived.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { strictObject, mapOf, stringEnum, deepPartial, type DeepPartial } from '../common/schema.js';
import { GlobalValues } from '../common/global.js';
import {
  CONFIG_KEY,
  DNS_1035_LABEL,
  DNS_LABEL,
  ENV_NAME,
  IMAGE_DIGEST,
  IMAGE_REPOSITORY,
  OPTIONAL_IMAGE_TAG,
  Port,
  Resources,
  Seconds,
  LabelMap,
  AnnotationMap,
  IntOrPercent,
  Int32,
  DnsSubdomain,
} from '../common/kubernetes.js';
import { IstioValues, TrafficSettings, CanaryVersions, ServiceCalls, VERSION } from './istio.js';
import { LIBRARY_VALUES } from '../common/library.js';

/** The protocols a port name may start with (Istio selects the protocol by this prefix). */
export const PORT_PROTOCOLS = ['http', 'http2', 'https', 'grpc', 'grpc-web', 'tcp', 'tls'] as const;

/**
 * Service port names carry the protocol Istio selects by (`http`, `http-web`, `grpc-api`, …). The
 * container port takes the same name, so it is an IANA service name: at most 15 characters, which
 * the pattern enforces per prefix (a pattern is all JSON Schema applies to map keys). A `--`
 * inside, which IANA names forbid too, is refused by the template.
 */
export const PORT_NAME = `^(${PORT_PROTOCOLS.map((protocol) => {
  const suffix = 15 - protocol.length - 1;
  return `${protocol}(-[a-z0-9]([-a-z0-9]{0,${suffix - 2}}[a-z0-9])?)?`;
}).join('|')})$`;

const ServicePort = strictObject(
  {
    port: Port('Port the Service exposes.'),
    targetPort: Port('Port the container listens on (unprivileged, so ≥ 1024 under restricted Pod Security).'),
  },
  { description: 'One Service port; its map key is the port name and carries the protocol.' },
);

const HttpProbe = strictObject(
  {
    enabled: Type.Boolean({ description: 'Whether the probe is configured.' }),
    path: Type.String({ pattern: '^/', description: 'HTTP path probed on the first port.' }),
    initialDelaySeconds: Seconds('Seconds after start before the first probe.'),
    periodSeconds: Seconds('Seconds between probes.', 1),
    timeoutSeconds: Seconds('Seconds before a probe times out.', 1),
    failureThreshold: Int32('Consecutive failures that count as failed.', 1),
  },
  { description: "An HTTP GET probe against the service's first port." },
);

/** Everything configurable about one service; `serviceDefaults` holds it whole, each entry overrides parts. */
export const ServiceSettings = strictObject({
  enabled: Type.Boolean({ description: 'Render this service at all.' }),
  image: strictObject(
    {
      repository: Type.String({
        pattern: `^(${IMAGE_REPOSITORY.slice(1, -1)})?$`,
        description: 'Repository below `global.image.registry`; empty means the service name.',
      }),
      tag: Type.String({ pattern: OPTIONAL_IMAGE_TAG, description: 'Image tag; empty means `global.image.tag`, then the chart appVersion.' }),
      digest: Type.String({
        pattern: `^(${IMAGE_DIGEST.slice(1, -1)})?$`,
        description: 'Image digest (`sha256:…`); when set it pins the image and the tag is ignored.',
      }),
    },
    { description: 'Container image of the service.' },
  ),
  replicas: Int32(
    'Pod replicas when autoscaling is off; ignored while `autoscaling.enabled` (the HorizontalPodAutoscaler sets them between `minReplicas` and `maxReplicas`; NOTES says so).',
  ),
  version: Type.String({ pattern: VERSION, description: 'Value of the `version` label (Istio telemetry and subsets key on it).' }),
  env: mapOf(ENV_NAME, Type.String(), { description: 'Plain environment variables, by name.' }),
  config: mapOf(CONFIG_KEY, Type.String(), {
    description:
      'Non-secret configuration, added to the service ConfigMap (beside SERVICE_NAME, APP_ENV and the addresses of the stores it uses) and injected as environment; a change rolls the pods.',
  }),
  secret: strictObject(
    {
      existingSecret: Type.String({
        pattern: `^(${DNS_LABEL.slice(1, -1)})?$`,
        description: 'Name of an existing Secret injected as environment; the chart does not create it.',
      }),
      data: mapOf(CONFIG_KEY, Type.String(), {
        description:
          'Secret values the chart renders into a Secret when no `existingSecret` is named. Pass them at install time (`--set`, a private values file); never commit them.',
      }),
    },
    { description: 'Secret configuration injected as environment.' },
  ),
  resources: Resources('CPU and memory requests and limits of the service container.'),
  probes: strictObject(
    {
      liveness: HttpProbe,
      readiness: HttpProbe,
      startup: HttpProbe,
    },
    { description: 'Liveness, readiness and startup probes.' },
  ),
  autoscaling: strictObject(
    {
      enabled: Type.Boolean({ description: 'Render a HorizontalPodAutoscaler (autoscaling/v2); `replicas` is then left to it.' }),
      minReplicas: Int32('Lower replica bound.', 1),
      maxReplicas: Int32('Upper replica bound; must not be below `minReplicas`.', 1),
      targetCPUUtilizationPercentage: Type.Integer({ minimum: 1, maximum: 100, description: 'Average CPU utilisation (of requests) the HPA aims for.' }),
    },
    { description: 'Horizontal pod autoscaling.' },
  ),
  podDisruptionBudget: strictObject(
    {
      enabled: Type.Boolean({ description: 'Render a PodDisruptionBudget (policy/v1).' }),
      maxUnavailable: IntOrPercent('Pods that may be down during a voluntary disruption (integer or `N%`); 0 would block every node drain and is refused.'),
    },
    { description: 'Protects availability during node drains.' },
  ),
  serviceAccount: strictObject(
    {
      automountToken: Type.Boolean({ description: 'Mount the Kubernetes API token; off unless the service calls the API.' }),
      annotations: AnnotationMap('Annotations of the ServiceAccount (e.g. cloud workload identity).'),
    },
    { description: "The service's own identity; Istio mTLS principals are derived from it." },
  ),
  metrics: strictObject(
    {
      enabled: Type.Boolean({ description: 'Add Prometheus scrape annotations.' }),
      port: Port('Port the metrics endpoint listens on.'),
      path: Type.String({ pattern: '^/', description: 'Path of the metrics endpoint.' }),
    },
    { description: 'Prometheus metrics endpoint of the service.' },
  ),
  topologySpread: strictObject(
    {
      enabled: Type.Boolean({ description: 'Spread pods across zones and nodes.' }),
      maxSkew: Int32('Largest allowed difference in pod count between domains.', 1),
      whenUnsatisfiable: stringEnum(['DoNotSchedule', 'ScheduleAnyway'] as const, { description: 'What the scheduler does when the spread cannot be met.' }),
    },
    { description: 'Topology spread constraints (zone and hostname).' },
  ),
  podAnnotations: AnnotationMap('Extra annotations on the pods.'),
  podLabels: LabelMap(
    'Extra labels on the pods; may override a `commonLabels` entry, never a label the chart sets (`app`, `version`, `app.kubernetes.io/*`, mesh labels).',
  ),
  nodeSelector: LabelMap('Node selector of the pods.'),
  terminationGracePeriodSeconds: Seconds('Seconds a pod gets to shut down.'),
  traffic: TrafficSettings,
});
/** The full settings of one service. */
export type ServiceSettings = Static<typeof ServiceSettings>;

/** The ports of a service, keyed by port name (the name carries the protocol). */
export const ServicePorts = mapOf(PORT_NAME, ServicePort, {
  minProperties: 1,
  description: 'Ports of the Service and container, keyed by name; the name prefix (`http`, `grpc`, …) tells Istio the protocol.',
});

/** Environment-variable prefix of a backing store's address: `POSTGRES` → `POSTGRES_HOST`, `POSTGRES_PORT`. */
export const ENV_PREFIX = '^[A-Z][A-Z0-9_]*$';

/**
 * The backing stores (PostgreSQL, Redis, RabbitMQ) outside the mesh, in `global.namespaces.data`,
 * keyed by name; services that use one get its address in their ConfigMap.
 */
export const BackingStores = mapOf(
  DNS_LABEL,
  strictObject(
    {
      host: DnsSubdomain('Host name of the store; a short name (no dot) is qualified with `global.namespaces.data`.'),
      port: Port('Port of the store.'),
      envPrefix: Type.String({ pattern: ENV_PREFIX, description: 'Prefix of the `<PREFIX>_HOST` and `<PREFIX>_PORT` entries services get.' }),
    },
    { description: 'One backing store.' },
  ),
  { description: 'Backing stores outside the mesh, by name; `services.<name>.stores.<store>: true` gives a service their address.' },
);

/** Which backing stores a service uses, by name (`false` drops one an overlay added). */
export const ServiceStores = mapOf(DNS_LABEL, Type.Boolean(), {
  description: 'Backing stores this service uses, keyed by `backingStores` name; their host and port land in its ConfigMap.',
});

/** One entry of `services`: its ports, plus whatever differs from `serviceDefaults`. */
export type ServiceEntry = DeepPartial<ServiceSettings> & {
  ports: Static<typeof ServicePorts>;
  calls?: Static<typeof ServiceCalls>;
  canary?: Static<typeof CanaryVersions>;
  stores?: Static<typeof ServiceStores>;
};

const serviceOverrides = deepPartial(ServiceSettings) as unknown as { properties: Record<string, TSchema> };

/** Schema of one entry of `services`. */
export const ServiceEntry = Type.Unsafe<ServiceEntry>({
  ...serviceOverrides,
  description: 'A service: its ports, plus any settings that differ from `serviceDefaults`.',
  properties: { ports: ServicePorts, calls: ServiceCalls, canary: CanaryVersions, stores: ServiceStores, ...serviceOverrides.properties },
  required: ['ports'],
});

/** Schema of the restaurant-app chart's values. */
export const RestaurantAppValues = strictObject({
  global: GlobalValues,
  commonLabels: LabelMap(
    'Labels added to every object; the labels the chart sets itself (`app`, `version`, `app.kubernetes.io/*`, `helm.sh/chart`, mesh labels) are refused.',
  ),
  serviceDefaults: strictObject(ServiceSettings.properties, {
    description: 'Settings every service starts from; `services.<name>` overrides any part of them.',
  }),
  backingStores: BackingStores,
  services: mapOf(DNS_1035_LABEL, ServiceEntry, {
    description:
      'The services, keyed by name (a DNS-1035 label of at most 63 characters, starting with a letter: it names the Service, Deployment and ServiceAccount). Adding a service is a values change.',
  }),
  istio: IstioValues,
  ...LIBRARY_VALUES,
});
/** The restaurant-app chart's values. */
export type RestaurantAppValues = Static<typeof RestaurantAppValues>;
