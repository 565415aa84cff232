/**
 * The observability stack's sizing per environment: retention, volume sizes and resources. dev is
 * minimal (no volumes, small requests); staging is production-shaped at a smaller scale.
 */
import type { Environment } from '../common/global.js';

/** CPU and memory of one container. */
export interface Size {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
}

const size = (cpu: string, memory: string, cpuLimit: string, memoryLimit: string): Size => ({
  requests: { cpu, memory },
  limits: { cpu: cpuLimit, memory: memoryLimit },
});

/** Sizing of one environment. */
export interface Sizing {
  /** Prometheus TSDB retention. */
  readonly retention: string;
  /** Loki retention (hours, as Loki's duration). */
  readonly logRetention: string;
  /** Persistent volumes; `undefined` means none (dev). */
  readonly volumes?: { readonly prometheus: string; readonly grafana: string; readonly loki: string };
  readonly prometheus: Size;
  readonly grafana: Size;
  readonly loki: Size;
  readonly alloy: Size;
  readonly jaeger: Size;
  readonly kiali: Size;
  /** Traces Jaeger keeps in memory. */
  readonly maxTraces: number;
}

/** Sizing by environment. */
export const SIZING: Readonly<Record<Environment, Sizing>> = {
  dev: {
    retention: '1d',
    logRetention: '24h',
    prometheus: size('100m', '512Mi', '500m', '1Gi'),
    grafana: size('50m', '128Mi', '250m', '256Mi'),
    loki: size('100m', '256Mi', '500m', '512Mi'),
    alloy: size('50m', '64Mi', '200m', '256Mi'),
    jaeger: size('50m', '128Mi', '250m', '512Mi'),
    kiali: size('50m', '64Mi', '250m', '256Mi'),
    maxTraces: 10_000,
  },
  staging: {
    retention: '7d',
    logRetention: '168h',
    volumes: { prometheus: '20Gi', grafana: '5Gi', loki: '20Gi' },
    prometheus: size('250m', '1Gi', '1', '2Gi'),
    grafana: size('100m', '256Mi', '500m', '512Mi'),
    loki: size('250m', '512Mi', '1', '1Gi'),
    alloy: size('100m', '128Mi', '500m', '256Mi'),
    jaeger: size('100m', '256Mi', '500m', '1Gi'),
    kiali: size('100m', '128Mi', '500m', '512Mi'),
    maxTraces: 50_000,
  },
  prod: {
    retention: '15d',
    logRetention: '360h',
    volumes: { prometheus: '100Gi', grafana: '10Gi', loki: '100Gi' },
    prometheus: size('1', '4Gi', '2', '8Gi'),
    grafana: size('250m', '512Mi', '1', '1Gi'),
    loki: size('500m', '1Gi', '2', '4Gi'),
    alloy: size('250m', '256Mi', '1', '512Mi'),
    jaeger: size('250m', '1Gi', '1', '4Gi'),
    kiali: size('250m', '256Mi', '1', '1Gi'),
    maxTraces: 200_000,
  },
};
