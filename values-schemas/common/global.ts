/**
 * The `global` values block every chart of the platform accepts. The restaurant-platform umbrella
 * sets it once and Helm hands it to each subchart, so every chart must accept the same shape.
 */
import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';
import { strictObject, stringEnum } from './schema.js';
import { DNS_LABEL, DnsLabel, DnsSubdomain, IMAGE_REGISTRY, OPTIONAL_IMAGE_TAG } from './kubernetes.js';

/** The environments every chart ships an overlay for (`values-<env>.yaml`). */
export const ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;
/** One of {@link ENVIRONMENTS}. */
export type Environment = (typeof ENVIRONMENTS)[number];

/** Schema of the shared `global` block. */
export const GlobalValues = strictObject(
  {
    environment: stringEnum(ENVIRONMENTS, {
      description: 'Deployment environment; selects environment-specific behaviour in templates (security posture, spread, sampling).',
    }),
    domain: DnsSubdomain('Public DNS domain of the platform; the ingress Gateway and edge routes serve it.'),
    clusterDomain: DnsSubdomain('DNS domain of the cluster: in-cluster hosts are `<service>.<namespace>.svc.<clusterDomain>`.'),
    trustDomain: DnsSubdomain(
      "The mesh's SPIFFE trust domain: istio-mesh gives it to istiod, restaurant-app's AuthorizationPolicies name principals `<trustDomain>/ns/<namespace>/sa/<account>`.",
    ),
    skipCapabilityCheck: Type.Boolean({
      description:
        'Render even when the cluster does not report the APIs a chart needs (Istio, Sail, Gateway API, Prometheus Operator): `helm template` without `--api-versions`, GitOps render steps.',
    }),
    image: strictObject(
      {
        registry: Type.String({ pattern: IMAGE_REGISTRY, description: 'Registry (and path) all platform images are pulled from.' }),
        tag: Type.String({ pattern: OPTIONAL_IMAGE_TAG, description: 'Image tag for every service; empty means the chart appVersion.' }),
        pullPolicy: stringEnum(['Always', 'IfNotPresent', 'Never'] as const, { description: 'Image pull policy of every container.' }),
      },
      { description: 'Where images come from.' },
    ),
    imagePullSecrets: Type.Array(Type.String({ pattern: DNS_LABEL }), {
      uniqueItems: true,
      description: 'Names of existing Secrets used to pull images (the chart never creates them).',
    }),
    mesh: Type.Optional(
      strictObject(
        {
          mode: stringEnum(['sidecar', 'ambient'] as const, {
            description: "The mesh data-plane mode of every chart: restaurant-app's pod labels and policies, istio-mesh's control plane.",
          }),
        },
        {
          description:
            "Set once by the restaurant-platform umbrella (one source of truth: restaurant-app's `istio.mesh.mode` and istio-mesh's `mesh.mode` then do not apply); unset, each chart reads its own.",
        },
      ),
    ),
    namespaces: strictObject(
      {
        app: DnsLabel('Namespace of the restaurant services.'),
        istio: DnsLabel('Namespace of the Istio control plane (mesh root namespace).'),
        ingress: DnsLabel('Namespace of the Istio ingress gateway.'),
        observability: DnsLabel('Namespace of Prometheus, Grafana, Loki, tracing and Kiali.'),
        data: DnsLabel('Namespace of the backing stores (PostgreSQL, Redis, RabbitMQ), outside the mesh.'),
      },
      { description: 'Namespace names the charts refer to each other by.' },
    ),
  },
  { description: 'Values shared by every chart of the platform; the restaurant-platform umbrella sets them once.' },
);
/** The `global` block's type. */
export type GlobalValues = Static<typeof GlobalValues>;

/** Defaults of the `global` block (dev-friendly; overlays set the environment). */
export const globalDefaults: GlobalValues = {
  environment: 'dev',
  domain: 'restaurant.example.com',
  clusterDomain: 'cluster.local',
  trustDomain: 'cluster.local',
  skipCapabilityCheck: false,
  image: { registry: 'registry.example.com/restaurant', tag: '', pullPolicy: 'IfNotPresent' },
  imagePullSecrets: [],
  namespaces: {
    app: 'restaurant',
    istio: 'istio-system',
    ingress: 'istio-ingress',
    observability: 'observability',
    data: 'restaurant-data',
  },
};

/**
 * The `global` block of a chart that runs no platform image (the observability stack). Helm copies
 * the umbrella's `global` into every upstream subchart, and several of them (Alloy, its config
 * reloader, Loki, Loki's sidecar) read `global.image.registry` first: the platform's registry
 * would redirect their images. So that block has no image settings at all.
 */
export const ImagelessGlobalValues = Type.Omit(GlobalValues, ['image', 'imagePullSecrets'], {
  additionalProperties: false,
  description: "Values shared by every chart of the platform, without the platform's image settings (they would redirect the upstream charts' images).",
});

/** The imageless `global` block's type. */
export type ImagelessGlobalValues = Static<typeof ImagelessGlobalValues>;

/** A `global` block whose image settings may be absent: for a chart that reads none and is installed under either umbrella. */
export const GlobalValuesImagesOptional = Type.Object(
  {
    ...GlobalValues.properties,
    image: Type.Optional(GlobalValues.properties.image),
    imagePullSecrets: Type.Optional(GlobalValues.properties.imagePullSecrets),
  },
  { additionalProperties: false, description: GlobalValues.description },
);

/** Drops the image settings from a `global` block. */
export function imagelessGlobal(global: GlobalValues): ImagelessGlobalValues {
  const { image: _image, imagePullSecrets: _secrets, ...rest } = global;
  return rest;
}
