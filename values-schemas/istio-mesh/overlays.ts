/**
 * Per-environment overlays of the istio-mesh chart, written to `values-<env>.yaml`: tracing
 * sampling falls from 100% (dev) to 10% (staging) and 1% (prod); prod gets an autoscaled, highly
 * available istiod, revision-based upgrades and proxies sized for production.
 */
import type { DeepPartial } from '../common/schema.js';
import type { Environment } from '../common/global.js';
import type { IstioMeshValues } from './schema.js';
import { PRODUCTION } from '../platform/production.js';

/** An overlay: any part of the values. */
export type IstioMeshOverlay = DeepPartial<IstioMeshValues>;

/** dev: one istiod, every request traced, HTTP served as is. */
const dev: IstioMeshOverlay = {
  global: { environment: 'dev' },
  tracing: { samplingPercentage: 100 },
  ingressGateway: { httpsRedirect: false },
};

/** staging: 10% sampling, HTTPS only, two istiod replicas, 2–4 gateway pods. */
const staging: IstioMeshOverlay = {
  global: { environment: 'staging', domain: 'staging.restaurant.example.com' },
  controlPlane: {
    pilot: { autoscaleEnabled: true, autoscaleMin: 2, autoscaleMax: 3 },
    proxy: { resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } } },
  },
  tracing: { samplingPercentage: 10 },
  ingressGateway: { httpsRedirect: true, pods: { autoscaling: { enabled: true, minReplicas: 2, maxReplicas: 4 } } },
};

/** prod: meets {@link PRODUCTION}: istiod 3–5 autoscaled, revision-based upgrades, 1% sampling, HTTPS only, 3–10 gateway pods. */
const prod: IstioMeshOverlay = {
  global: { environment: 'prod' },
  controlPlane: {
    updateStrategy: { type: PRODUCTION.updateStrategy, inactiveRevisionDeletionGracePeriodSeconds: 300, updateWorkloads: false },
    pilot: {
      autoscaleEnabled: true,
      autoscaleMin: PRODUCTION.istiodMinReplicas,
      autoscaleMax: 5,
      resources: { requests: { cpu: '500m', memory: '2Gi' }, limits: { cpu: '2', memory: '4Gi' } },
    },
    proxy: { resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '500m', memory: PRODUCTION.proxyMemoryLimitMin } } },
  },
  tracing: { samplingPercentage: PRODUCTION.traceSamplingMaxPercent },
  peerAuthentication: { mode: PRODUCTION.mtlsMode },
  ingressGateway: {
    httpsRedirect: true,
    pods: {
      autoscaling: { enabled: true, minReplicas: 3, maxReplicas: 10 },
      resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '2', memory: '1Gi' } },
    },
  },
};

/** The overlays, by environment. */
export const overlays: Record<Environment, IstioMeshOverlay> = { dev, staging, prod };
