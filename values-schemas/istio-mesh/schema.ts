/**
 * The istio-mesh chart's values: the control plane as a Sail Operator `Istio` resource, mesh-wide
 * mTLS, telemetry and the ingress Gateway. One schema gives the JSON schema, the TypeScript type,
 * the `values.yaml` comments and the README table.
 */
import { PRODUCTION } from '../platform/production.js';
import { Type, type Static } from '@sinclair/typebox';
import { strictObject, stringEnum } from '../common/schema.js';
import { GlobalValues } from '../common/global.js';
import { DNS_1035_LABEL, DNS_LABEL, DnsLabel, DnsSubdomain, Int32, Port, Resources, LabelMap, AnnotationMap } from '../common/kubernetes.js';
import { lockedSpecVersions } from '../platform/locked.js';
import { LIBRARY_VALUES } from '../common/library.js';

/**
 * The oldest Istio minor the platform installs. Older minors are end of life upstream: the Sail
 * Operator still lists them, but they get no security fixes.
 */
export const OLDEST_SUPPORTED_ISTIO_MINOR = 28;

/**
 * Istio versions istio-mesh installs: those the pinned Sail Operator's Istio CRD lists (taken from
 * the upstream lock, not typed here) from {@link OLDEST_SUPPORTED_ISTIO_MINOR} on, patch releases and
 * `vX.Y-latest` aliases alike.
 */
export const SUPPORTED_ISTIO_VERSIONS: readonly string[] = lockedSpecVersions('sailoperator.io/v1/Istio').filter((version) => {
  const minor = /^v1\.([0-9]+)[.-]/.exec(version)?.[1];
  return minor !== undefined && Number(minor) >= OLDEST_SUPPORTED_ISTIO_MINOR;
});

/** The mesh data-plane modes. */
export const MESH_MODES = ['sidecar', 'ambient'] as const;

/** Schema of the istio-mesh chart's values. */
export const IstioMeshValues = strictObject({
  global: GlobalValues,
  mesh: strictObject(
    {
      // Optional in the schema only so the restaurant-platform umbrella can remove it (it sets global.mesh.mode); the template refuses a chart with neither.
      mode: Type.Optional(
        stringEnum(MESH_MODES, {
          description:
            '`sidecar`: Istio profile `default`; `ambient`: profile `ambient` plus IstioCNI and ZTunnel. `global.mesh.mode`, when set (the restaurant-platform umbrella sets it), decides instead.',
        }),
      ),
    },
    { description: 'The data-plane mode of the mesh.' },
  ),
  controlPlane: strictObject(
    {
      installer: stringEnum(['sail', 'none'] as const, {
        description:
          '`sail`: render the Sail Operator resources (Istio, IstioRevisionTag, IstioCNI, ZTunnel); `none`: the control plane is installed by other means, render only mesh configuration.',
      }),
      name: DnsLabel('Name of the Sail `Istio` resource (and of its IstioCNI/ZTunnel).'),
      version: stringEnum(SUPPORTED_ISTIO_VERSIONS, {
        description: `Istio version Sail installs: one the pinned Sail Operator lists, ${SUPPORTED_ISTIO_VERSIONS.at(-1)} to ${SUPPORTED_ISTIO_VERSIONS[0]} (patch releases or \`vX.Y-latest\`); 1.${OLDEST_SUPPORTED_ISTIO_MINOR - 1} and older are end of life.`,
      }),
      updateStrategy: strictObject(
        {
          type: stringEnum(['InPlace', 'RevisionBased'] as const, {
            description: '`RevisionBased` runs the new control plane beside the old one and moves workloads over; required in prod.',
          }),
          inactiveRevisionDeletionGracePeriodSeconds: Int32('Seconds an unused revision is kept before Sail deletes it.'),
          updateWorkloads: Type.Boolean({ description: 'Let Sail restart workloads onto the new revision (RevisionBased).' }),
        },
        { description: 'How Sail moves to a new Istio version.' },
      ),
      revisionTag: Type.String({
        pattern: `^(${DNS_LABEL.slice(1, -1)})?$`,
        description:
          'RevisionBased: name of the IstioRevisionTag that follows the active revision (`default` keeps `istio-injection: enabled` working); empty renders none.',
      }),
      pilot: strictObject(
        {
          autoscaleEnabled: Type.Boolean({ description: 'Autoscale istiod with an HPA.' }),
          autoscaleMin: Int32(`Fewest istiod replicas (prod: at least ${PRODUCTION.istiodMinReplicas}).`, 1),
          autoscaleMax: Int32('Most istiod replicas; at least `autoscaleMin`.', 1),
          replicaCount: Int32('istiod replicas when autoscaling is off.', 1),
          resources: Resources('Resources of istiod.'),
        },
        { description: 'istiod sizing.' },
      ),
      proxy: strictObject(
        {
          resources: Resources(`Default resources of every injected proxy (prod: memory limit at least ${PRODUCTION.proxyMemoryLimitMin}).`),
        },
        { description: 'Defaults of the sidecar and gateway proxies.' },
      ),
      accessLog: strictObject(
        {
          enabled: Type.Boolean({ description: 'Write Envoy access logs to stdout (collected by the log pipeline).' }),
          encoding: stringEnum(['JSON', 'TEXT'] as const, { description: 'Access log encoding.' }),
        },
        { description: 'Envoy access logging (meshConfig).' },
      ),
    },
    { description: 'The Istio control plane, installed by the Sail Operator.' },
  ),
  cni: strictObject(
    {
      namespace: DnsLabel('Namespace of the Istio CNI node agent (IstioCNI).'),
      sidecarMode: Type.Boolean({
        description:
          'Also use Istio CNI in sidecar mode, so injected pods need no privileged init container and pass restricted Pod Security. Ambient mode always uses it.',
      }),
    },
    { description: 'The Istio CNI node agent (IstioCNI resource).' },
  ),
  ztunnel: strictObject(
    {
      namespace: DnsLabel('Namespace of ztunnel (ambient mode).'),
    },
    { description: 'The ambient node proxy (ZTunnel resource).' },
  ),
  tracing: strictObject(
    {
      provider: Type.String({ pattern: DNS_LABEL, description: 'Name of the OpenTelemetry extension provider in meshConfig.' }),
      service: DnsSubdomain(
        "Service name of the tracing backend's OTLP receiver; a short name is qualified with `global.namespaces.observability`. Default: the Jaeger Service of the observability umbrella installed as release `observability`.",
      ),
      port: Port('OTLP gRPC port of the tracing backend (Jaeger: 4317).'),
      samplingPercentage: Type.Number({
        minimum: 0,
        maximum: 100,
        description: `Share of requests traced (dev 100, staging 10; prod at most ${PRODUCTION.traceSamplingMaxPercent}).`,
      }),
    },
    { description: 'Distributed tracing: an OpenTelemetry provider and the sampling Telemetry sets.' },
  ),
  peerAuthentication: strictObject(
    {
      mode: stringEnum(['STRICT', 'PERMISSIVE'] as const, { description: 'Mesh-wide mTLS mode (root namespace); must be STRICT in prod.' }),
    },
    { description: 'Mesh-wide mutual TLS.' },
  ),
  ingressGateway: strictObject(
    {
      enabled: Type.Boolean({ description: 'Render the ingress `Gateway` (networking.istio.io/v1) for `global.domain`.' }),
      name: Type.String({
        pattern: DNS_1035_LABEL,
        description: "Name of the Gateway (and of the gateway pods' Service, so it starts with a letter); restaurant-app `istio.gateway.name` binds to it.",
      }),
      selector: LabelMap('Labels of the ingress gateway pods the Gateway configures.'),
      serviceAccount: Type.String({ pattern: DNS_LABEL, description: 'Service account of the ingress gateway pods (mesh default-deny admits it).' }),
      healthPort: Port('Status port of the gateway pods (plain-text health checks from the load balancer).'),
      httpsRedirect: Type.Boolean({ description: 'Answer HTTP on port 80 with a redirect to HTTPS (staging, prod).' }),
      credentialName: Type.String({ pattern: DNS_LABEL, description: 'Secret (in the gateway namespace) holding the TLS certificate for port 443.' }),
      pods: strictObject(
        {
          enabled: Type.Boolean({
            description:
              "Run the gateway pods: a Deployment that Istio's injector fills with its gateway proxy (gateway injection), its Service, ServiceAccount and the Role that lets istiod hand it `credentialName`; off when something else runs them (Istio's gateway chart).",
          }),
          replicas: Int32('Gateway pods when autoscaling is off.', 1),
          autoscaling: strictObject(
            {
              enabled: Type.Boolean({ description: 'Render a HorizontalPodAutoscaler (autoscaling/v2); `replicas` is then left to it.' }),
              minReplicas: Int32('Fewest gateway pods; 2 or more also renders a PodDisruptionBudget.', 1),
              maxReplicas: Int32('Most gateway pods; at least `minReplicas`.', 1),
              targetCPUUtilizationPercentage: Int32('Average CPU utilisation (of requests) the HPA aims for.', 1, 100),
            },
            { description: `Horizontal autoscaling of the gateway pods (prod: on, from at least ${PRODUCTION.ingressGatewayMinReplicas} pods).` },
          ),
          resources: Resources('Resources of the gateway proxy container.'),
          service: strictObject(
            {
              type: stringEnum(['LoadBalancer', 'NodePort', 'ClusterIP'] as const, { description: 'Service type: the public edge is usually `LoadBalancer`.' }),
              annotations: AnnotationMap('Annotations of the gateway Service (cloud load-balancer settings).'),
            },
            { description: 'The Service in front of the gateway pods: ports 80, 443 and the status port.' },
          ),
        },
        { description: 'The ingress gateway pods the Gateway configures, restricted Pod Security, autoscaled in prod.' },
      ),
    },
    { description: 'The ingress Gateway: HTTP 80 (redirecting to HTTPS outside dev) and HTTPS 443, and the pods that serve it.' },
  ),
  authorization: strictObject(
    {
      meshDefaultDeny: Type.Boolean({
        description: 'Deny every request in the mesh no policy allows (root-namespace policy); the ingress gateway keeps receiving traffic.',
      }),
    },
    { description: 'Mesh-wide authorization defaults.' },
  ),
  namespaces: strictObject(
    {
      create: Type.Boolean({ description: 'Render Namespace objects for the app, ingress (and ambient: CNI, ztunnel) namespaces with their mesh labels.' }),
      labels: LabelMap(
        "Extra labels of the created namespaces; the mesh enrolment labels (`istio-injection`, `istio.io/rev`, `istio.io/dataplane-mode`) and the chart's own are refused.",
      ),
    },
    { description: 'Optional Namespace objects carrying injection, revision or ambient labels.' },
  ),
  commonLabels: LabelMap('Labels added to every object; the labels the chart sets itself (`app.kubernetes.io/*`, `helm.sh/chart`) are refused.'),
  ...LIBRARY_VALUES,
});
/** The istio-mesh chart's values. */
export type IstioMeshValues = Static<typeof IstioMeshValues>;
