/**
 * Per-environment overlays of the observability-platform chart. prod keeps the policy's
 * thresholds; staging tolerates a little more latency; dev only warns, with looser thresholds, so
 * a developer cluster does not page anyone.
 */
import type { DeepPartial } from '../common/schema.js';
import type { Environment } from '../common/global.js';
import type { ObservabilityPlatformValues } from './schema.js';

/** An overlay: any part of the values. */
export type ObservabilityPlatformOverlay = DeepPartial<ObservabilityPlatformValues>;

const dev: ObservabilityPlatformOverlay = {
  global: { environment: 'dev' },
  alerts: {
    HighErrorRate: { severity: 'warning', threshold: 0.1 },
    HighLatency: { threshold: 2000 },
    PodDown: { severity: 'warning', for: '10m' },
    IstiodDown: { severity: 'warning' },
    HighSidecarErrorRate: { threshold: 0.05 },
  },
  scrape: { interval: '60s' },
};

const staging: ObservabilityPlatformOverlay = {
  global: { environment: 'staging', domain: 'staging.restaurant.example.com' },
  alerts: {
    HighLatency: { threshold: 1500 },
    HighSidecarErrorRate: { threshold: 0.02 },
  },
};

const prod: ObservabilityPlatformOverlay = {
  global: { environment: 'prod' },
  alerts: {
    HighErrorRate: { severity: 'critical', threshold: 0.05, for: '5m' },
    HighLatency: { threshold: 1000, for: '5m' },
    HighCPUUsage: { threshold: 0.8, for: '10m' },
    HighMemoryUsage: { threshold: 0.8, for: '10m' },
    HighSidecarErrorRate: { threshold: 0.01 },
  },
  scrape: { interval: '15s' },
};

/** The overlays, by environment. */
export const overlays: Record<Environment, ObservabilityPlatformOverlay> = { dev, staging, prod };
