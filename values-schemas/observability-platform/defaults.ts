/** Defaults of the observability-platform chart: the platform's alerting policy as prod runs it. */
import type { ObservabilityPlatformValues, AlertSettings } from './schema.js';
import { globalDefaults, imagelessGlobal } from '../common/global.js';
import { ALERT_CATALOGUE } from '../platform/alerts.js';

/** Defaults of every observability-platform value. */
export const defaults: ObservabilityPlatformValues = {
  global: imagelessGlobal(globalDefaults),
  commonLabels: {},
  monitoring: { mode: 'auto' },
  rules: { enabled: true, runbookBaseUrl: 'https://runbooks.restaurant.example.com/alerts', additionalLabels: {} },
  alerts: Object.fromEntries(ALERT_CATALOGUE.map((alert): [string, AlertSettings] => [alert.name, { enabled: true, ...alert.defaults }])),
  dashboards: { enabled: true, folder: 'Restaurant' },
  scrape: { interval: '30s', istiod: true, proxies: true },
};
