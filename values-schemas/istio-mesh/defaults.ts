/**
 * Defaults of the istio-mesh chart: a dev-sized Sail-installed control plane. Environment
 * overlays add the production posture.
 */
import type { IstioMeshValues } from './schema.js';
import { globalDefaults } from '../common/global.js';
import { DEFAULT_RELEASE, istioMeshTracingValues, observabilityTopology } from '../platform/topology.js';

/**
 * Where the observability umbrella (release `observability`, default namespaces) receives traces:
 * its Jaeger Service's OTLP gRPC port. Taken from the one topology module, so the mesh's tracing
 * default and the Service the umbrella creates cannot disagree.
 */
const tracingTarget = istioMeshTracingValues(
  observabilityTopology({
    release: DEFAULT_RELEASE,
    namespace: globalDefaults.namespaces.observability,
    istioNamespace: globalDefaults.namespaces.istio,
    clusterDomain: globalDefaults.clusterDomain,
  }),
);

/** Defaults of every istio-mesh value. */
export const defaults: IstioMeshValues = {
  global: globalDefaults,
  mesh: { mode: 'sidecar' },
  controlPlane: {
    installer: 'sail',
    name: 'default',
    version: 'v1.30.3',
    updateStrategy: { type: 'InPlace', inactiveRevisionDeletionGracePeriodSeconds: 30, updateWorkloads: false },
    revisionTag: 'default',
    pilot: {
      autoscaleEnabled: false,
      autoscaleMin: 1,
      autoscaleMax: 1,
      replicaCount: 1,
      resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } },
    },
    proxy: {
      resources: { requests: { cpu: '10m', memory: '64Mi' }, limits: { cpu: '200m', memory: '256Mi' } },
    },
    accessLog: { enabled: true, encoding: 'JSON' },
  },
  cni: { namespace: 'istio-cni', sidecarMode: true },
  ztunnel: { namespace: 'ztunnel' },
  tracing: { ...tracingTarget, samplingPercentage: 100 },
  peerAuthentication: { mode: 'STRICT' },
  ingressGateway: {
    enabled: true,
    name: 'ingress-gateway',
    selector: { istio: 'ingressgateway' },
    serviceAccount: 'istio-ingressgateway',
    healthPort: 15021,
    httpsRedirect: false,
    credentialName: 'restaurant-tls',
    pods: {
      enabled: true,
      replicas: 1,
      autoscaling: { enabled: false, minReplicas: 1, maxReplicas: 1, targetCPUUtilizationPercentage: 80 },
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '2', memory: '1Gi' } },
      service: { type: 'LoadBalancer', annotations: {} },
    },
  },
  authorization: { meshDefaultDeny: false },
  namespaces: { create: false, labels: {} },
  commonLabels: {},
};
