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
};

const httpService = (port: number, targetPort = port): ServiceEntry => ({ ports: { http: { port, targetPort } } });

/** The platform's services and their ports (frontend serves 80 from an unprivileged 8080). */
export const services: Record<string, ServiceEntry> = {
  frontend: {
    ...httpService(80, 8080),
    probes: { liveness: { path: '/' }, readiness: { path: '/' }, startup: { path: '/' } },
  },
  'api-gateway': httpService(8000),
  'order-service': httpService(8001),
  'restaurant-service': httpService(8002),
  'menu-service': httpService(8003),
  'auth-service': httpService(8004),
  'notification-service': httpService(8005),
};

/** Defaults of every restaurant-app value. */
export const defaults: RestaurantAppValues = {
  global: globalDefaults,
  commonLabels: {},
  serviceDefaults,
  services,
};
