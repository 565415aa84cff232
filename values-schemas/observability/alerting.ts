/**
 * Where the platform's alerts go: one route per severity, credentials only as references to
 * existing Secrets (mounted into Alertmanager, read as files), never as values. The defaults page
 * on critical, post warnings to chat, and drop info; override the receivers' Secrets or this spec.
 */
import type { AlertRoutingSpec } from './alertmanager.js';

/** The platform's alert routing. */
export const ALERT_ROUTING: AlertRoutingSpec = {
  groupBy: ['alertname', 'namespace'],
  groupWait: '30s',
  groupInterval: '5m',
  repeatInterval: '4h',
  receivers: {
    pager: { type: 'pagerduty', routingKeyFile: { secret: 'alertmanager-pagerduty', key: 'routing-key' } },
    chat: { type: 'slack', channel: '#restaurant-alerts', apiUrlFile: { secret: 'alertmanager-slack', key: 'api-url' } },
    null: { type: 'null' },
  },
  routes: {
    critical: { receiver: 'pager', repeatInterval: '1h' },
    warning: { receiver: 'chat', repeatInterval: '12h' },
    info: { receiver: 'null' },
  },
  defaultReceiver: 'chat',
  inhibitCriticalOverWarning: true,
};
