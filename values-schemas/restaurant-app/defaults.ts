/**
 * Defaults of the restaurant-app chart: the platform's seven services as the architecture
 * describes them, sized for a developer cluster. Environment overlays change what differs.
 */
import type { RestaurantAppValues, ServiceEntry, ServiceSettings } from './schema.js';
import { globalDefaults } from '../common/global.js';

const probe = (path: string, initialDelaySeconds: number, failureThreshold: number) => ({
  enabled: true,
  path,
  initialDelaySeconds,
  periodSeconds: 10,
  timeoutSeconds: 2,
  failureThreshold,
});

/** What the platform retries on: server errors and connection failures, never client errors. */
const RETRY_ON_DEFAULT = '5xx,reset,connect-failure,refused-stream';

/** What every service starts from. */
export const serviceDefaults: ServiceSettings = {
  enabled: true,
  image: { repository: '', tag: '', digest: '' },
  replicas: 1,
  version: 'v1',
  env: {},
  config: {},
  secret: { existingSecret: '', data: {} },
  resources: {
    requests: { cpu: '100m', memory: '128Mi' },
    limits: { cpu: '500m', memory: '256Mi' },
  },
  probes: {
    liveness: probe('/healthz', 0, 3),
    readiness: probe('/ready', 0, 3),
    // Startup gives a slow boot 30 × 5 s before liveness may restart the pod.
    startup: { ...probe('/healthz', 0, 30), periodSeconds: 5 },
  },
  autoscaling: { enabled: false, minReplicas: 2, maxReplicas: 10, targetCPUUtilizationPercentage: 70 },
  podDisruptionBudget: { enabled: false, maxUnavailable: 1 },
  serviceAccount: { automountToken: false, annotations: {} },
  metrics: { enabled: true, port: 9090, path: '/metrics' },
  topologySpread: { enabled: false, maxSkew: 1, whenUnsatisfiable: 'ScheduleAnyway' },
  podAnnotations: {},
  podLabels: {},
  nodeSelector: {},
  terminationGracePeriodSeconds: 30,
  traffic: {
    // Two retries of 4 s fit in the 10 s budget: 2 × 4 s ≤ 10 s, checked by the chart.
    timeout: '10s',
    retries: { attempts: 2, perTryTimeout: '4s', retryOn: RETRY_ON_DEFAULT },
    loadBalancer: 'LEAST_REQUEST',
    connectionPool: {
      maxConnections: 100,
      connectTimeout: '2s',
      http1MaxPendingRequests: 100,
      http2MaxRequests: 1000,
      maxRequestsPerConnection: 0,
    },
    outlierDetection: { consecutive5xxErrors: 5, interval: '10s', baseEjectionTime: '30s', maxEjectionPercent: 50 },
    fault: {
      enabled: false,
      delay: { percentage: 0, fixedDelay: '5s' },
      abort: { percentage: 0, httpStatus: 503 },
    },
  },
};

const httpService = (port: number, targetPort = port): ServiceEntry => ({ ports: { http: { port, targetPort } } });

/** The platform's services and their ports (frontend serves 80 from an unprivileged 8080). */
export const services: Record<string, ServiceEntry> = {
  frontend: {
    ...httpService(80, 8080),
    probes: { liveness: { path: '/' }, readiness: { path: '/' }, startup: { path: '/' } },
    calls: { 'api-gateway': true },
  },
  'api-gateway': {
    ...httpService(8000),
    calls: { 'order-service': true, 'restaurant-service': true, 'menu-service': true, 'auth-service': true },
    stores: { redis: true },
  },
  'order-service': {
    ...httpService(8001),
    calls: { 'restaurant-service': true, 'menu-service': true, 'notification-service': true },
    stores: { postgresql: true, rabbitmq: true },
  },
  'restaurant-service': { ...httpService(8002), stores: { postgresql: true } },
  'menu-service': { ...httpService(8003), stores: { postgresql: true, redis: true } },
  'auth-service': { ...httpService(8004), stores: { postgresql: true, redis: true } },
  'notification-service': { ...httpService(8005), stores: { rabbitmq: true } },
};

/** The backing stores in `global.namespaces.data`, outside the mesh, at their conventional ports. */
export const backingStores: RestaurantAppValues['backingStores'] = {
  postgresql: { host: 'postgresql', port: 5432, envPrefix: 'POSTGRES' },
  redis: { host: 'redis-master', port: 6379, envPrefix: 'REDIS' },
  rabbitmq: { host: 'rabbitmq', port: 5672, envPrefix: 'RABBITMQ' },
};

/** Defaults of every restaurant-app value. */
export const defaults: RestaurantAppValues = {
  global: globalDefaults,
  commonLabels: {},
  serviceDefaults,
  backingStores,
  services,
  istio: {
    // The platform runs on an Istio mesh in every environment; the capability check keeps an
    // install on a cluster without Istio from failing object by object.
    enabled: true,
    mesh: { mode: 'sidecar', revision: '' },
    sidecar: {
      resources: { requests: { cpu: '10m', memory: '64Mi' }, limits: { cpu: '200m', memory: '256Mi' } },
      outboundTrafficPolicy: 'ALLOW_ANY',
    },
    waypoint: { name: 'waypoint' },
    gateway: { name: 'ingress-gateway', namespace: '', serviceAccount: 'istio-ingressgateway' },
    edge: {
      enabled: true,
      routes: {
        api: {
          prefix: '/api/v1/',
          service: 'api-gateway',
          timeout: '30s',
          retries: { attempts: 3, perTryTimeout: '10s', retryOn: RETRY_ON_DEFAULT },
        },
        web: {
          prefix: '/',
          service: 'frontend',
          timeout: '15s',
          retries: { attempts: 2, perTryTimeout: '5s', retryOn: RETRY_ON_DEFAULT },
        },
      },
    },
    peerAuthentication: { mode: 'STRICT', portExceptions: {} },
    authorization: { defaultDeny: false },
  },
};
