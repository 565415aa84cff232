/**
 * Per-environment overlays of the restaurant-app chart, written to `values-<env>.yaml`. Each sets
 * only what differs from the defaults; Helm merges it over `values.yaml`.
 */
import type { DeepPartial } from '../common/schema.js';
import type { Environment } from '../common/global.js';
import type { RestaurantAppValues } from './schema.js';
import { PRODUCTION } from '../platform/production.js';

/** An overlay: any part of the values. */
export type RestaurantAppOverlay = DeepPartial<RestaurantAppValues>;

/** dev: one replica, no autoscaling, no disruption budget; mTLS PERMISSIVE so plain-text debugging works. */
const dev: RestaurantAppOverlay = {
  global: { environment: 'dev' },
  serviceDefaults: { replicas: 1, autoscaling: { enabled: false }, podDisruptionBudget: { enabled: false } },
  istio: {
    enabled: true,
    peerAuthentication: { mode: 'PERMISSIVE' },
    authorization: { defaultDeny: false },
    sidecar: { outboundTrafficPolicy: 'ALLOW_ANY' },
  },
};

/** The mesh posture of staging and prod, {@link PRODUCTION}'s: STRICT mTLS, default-deny, registry-only egress, bounded proxies. */
const productionMesh: RestaurantAppOverlay['istio'] = {
  enabled: true,
  peerAuthentication: { mode: PRODUCTION.mtlsMode },
  authorization: { defaultDeny: PRODUCTION.authorizationDefaultDeny },
  sidecar: {
    resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '500m', memory: PRODUCTION.proxyMemoryLimitMin } },
    outboundTrafficPolicy: 'REGISTRY_ONLY',
  },
};

/** staging: two replicas behind a disruption budget, production-like but fixed size. */
const staging: RestaurantAppOverlay = {
  global: { environment: 'staging', domain: 'staging.restaurant.example.com' },
  serviceDefaults: {
    replicas: 2,
    autoscaling: { enabled: false },
    podDisruptionBudget: { enabled: true, maxUnavailable: 1 },
  },
  // Production's mesh posture, so what passes here passes in prod; fault injection is opt-in here.
  istio: productionMesh,
};

/** prod: autoscaled 2–10, disruption budget, spread across zones and nodes, larger limits, STRICT mTLS, default-deny. */
const prod: RestaurantAppOverlay = {
  global: { environment: 'prod', image: { pullPolicy: 'IfNotPresent' } },
  serviceDefaults: {
    replicas: 2,
    autoscaling: { enabled: true, minReplicas: 2, maxReplicas: 10, targetCPUUtilizationPercentage: 70 },
    podDisruptionBudget: { enabled: true, maxUnavailable: 1 },
    topologySpread: { enabled: true, maxSkew: 1, whenUnsatisfiable: 'ScheduleAnyway' },
    resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } },
  },
  // STRICT mTLS and default-deny are required in prod (the chart refuses anything else).
  istio: productionMesh,
};

/** The overlays, by environment. */
export const overlays: Record<Environment, RestaurantAppOverlay> = { dev, staging, prod };
