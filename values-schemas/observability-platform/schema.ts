/**
 * Values of the observability-platform chart: the platform's own alert rules, dashboards and
 * Istio scrape objects. The alert set is the platform's catalogue (../platform/alerts.ts; the
 * expressions are in generator/observability/rules.ts); this schema gets one strict entry per
 * alert from it, with a threshold only where the alert has one.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { strictObject, stringEnum, mapOf } from '../common/schema.js';
import { GlobalValuesImagesOptional } from '../common/global.js';
import { LabelMap } from '../common/kubernetes.js';
import { PROMETHEUS_DURATION } from '../common/duration.js';
import { ALERT_CATALOGUE, SEVERITIES, type AlertDefaults, type AlertSpec } from '../platform/alerts.js';
import { LIBRARY_VALUES } from '../common/library.js';

/** A Prometheus label name: letters, digits and underscores, not starting with a digit. */
export const PROM_LABEL_NAME = '^[a-zA-Z_][a-zA-Z0-9_]*$';

/** A non-empty {@link PROMETHEUS_DURATION} (every part of the pattern is optional). */
const PromDuration = (description: string) => Type.String({ pattern: PROMETHEUS_DURATION, minLength: 2, description });

/** How the rules and Istio scrape targets reach Prometheus. */
export const MONITORING_MODES = ['auto', 'operator', 'files'] as const;

function alertSchema(alert: AlertSpec): TSchema {
  const properties: Record<string, TSchema> = {
    enabled: Type.Boolean({ description: `Render the ${alert.name} alert.` }),
    severity: stringEnum(SEVERITIES, { description: 'Value of the `severity` label (Alertmanager routes on it).' }),
    for: PromDuration('How long the condition must hold before the alert fires (Prometheus duration).'),
  };
  if (alert.threshold) {
    properties.threshold = Type.Number({
      minimum: alert.threshold.minimum,
      ...(alert.threshold.maximum === undefined ? {} : { maximum: alert.threshold.maximum }),
      description: alert.threshold.description,
    });
  }
  return strictObject(properties, { description: `${alert.summary.replace(/\{\{[^}]*\}\}/g, '…')}. Runbook: \`<runbookBaseUrl>/${alert.runbook}\`.` });
}

/** The per-alert settings of one alert. */
export type AlertSettings = AlertDefaults & { enabled: boolean };

/** Schema of the observability-platform chart's values. */
export const ObservabilityPlatformValues = strictObject({
  global: GlobalValuesImagesOptional,
  commonLabels: LabelMap('Labels added to every object.'),
  monitoring: strictObject(
    {
      mode: stringEnum(MONITORING_MODES, {
        description:
          '`operator`: PrometheusRule, ServiceMonitor and PodMonitor (needs the monitoring.coreos.com/v1 API). `files`: a rule-file ConfigMap the prometheus chart mounts; Istio scrape jobs live in its scrapeConfigs. `auto`: operator when the API exists, else files.',
      }),
    },
    { description: 'How the rules and scrape targets reach Prometheus.' },
  ),
  rules: strictObject(
    {
      enabled: Type.Boolean({ description: 'Render the alert rules at all.' }),
      runbookBaseUrl: Type.String({ pattern: '^https?://[^\\s]+$', description: 'Base URL of the runbooks; each alert links `<base>/<alert-runbook>`.' }),
      additionalLabels: mapOf(PROM_LABEL_NAME, Type.String(), {
        description: 'Labels added to every alert (e.g. `team`); names as Prometheus allows them (letters, digits, `_`).',
      }),
    },
    { description: "The platform's alert rules." },
  ),
  alerts: strictObject(Object.fromEntries(ALERT_CATALOGUE.map((alert) => [alert.name, alertSchema(alert)])), {
    description: 'Per-alert switch, severity, `for` and threshold; the expressions are defined in generator/observability/rules.ts.',
  }),
  dashboards: strictObject(
    {
      enabled: Type.Boolean({ description: 'Render the dashboard ConfigMaps for the Grafana sidecar.' }),
      folder: Type.String({ minLength: 1, maxLength: 64, pattern: '^[^/]+$', description: 'Grafana folder the dashboards appear in.' }),
    },
    { description: 'Grafana dashboards (golden signals, business).' },
  ),
  scrape: strictObject(
    {
      interval: PromDuration('Scrape interval of istiod and the proxies (operator mode).'),
      istiod: Type.Boolean({ description: 'ServiceMonitor for istiod (15014, `http-monitoring`) in `global.namespaces.istio` (operator mode).' }),
      proxies: Type.Boolean({
        description: 'PodMonitor for the Envoy metrics of every proxy (15090 `/stats/prometheus`) in the app and ingress namespaces (operator mode).',
      }),
    },
    { description: "Istio scrape objects in operator mode; in files mode the scrape jobs are the prometheus chart's scrapeConfigs." },
  ),
  ...LIBRARY_VALUES,
});
/** The observability-platform chart's values. */
export type ObservabilityPlatformValues = Static<typeof ObservabilityPlatformValues> & {
  alerts: Record<string, AlertSettings>;
};
