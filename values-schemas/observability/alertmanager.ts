/**
 * Alertmanager's routing configuration, built from a small spec: which receiver each alert
 * severity goes to, how alerts are grouped, and whether critical alerts silence the warnings of
 * the same group.
 *
 * Credentials never appear in the configuration or in values. Every secret a receiver needs (Slack
 * webhook URL, PagerDuty routing key, webhook URL, SMTP password) is a {@link SecretFileRef}: a key
 * of a Kubernetes Secret that already exists in the namespace. The Secret is mounted read-only at
 * `<ALERTMANAGER_SECRETS_DIR>/<secret>/` ({@link alertmanagerSecretMounts}) and the configuration
 * names the file (`api_url_file`, `routing_key_file`, `url_file`, `auth_password_file`), which
 * Alertmanager reads when it sends a notification.
 *
 * Pure: no I/O; the same spec always gives the same, deterministically ordered output.
 */
import { parsePrometheusDuration } from '../common/duration.js';

/**
 * Where the Secrets with receiver credentials are mounted, one folder per Secret. Beside
 * `/etc/alertmanager`, not inside it: the upstream alertmanager chart mounts its config ConfigMap
 * at `/etc/alertmanager`, and mount points nested in a ConfigMap volume are fragile.
 */
export const ALERTMANAGER_SECRETS_DIR = '/etc/alertmanager-secrets';

/** The receiver name a `{ type: 'null' }` receiver must have, and only it. */
export const NULL_RECEIVER = 'null';

/**
 * One key of an existing Kubernetes Secret, read by Alertmanager as the file
 * `<ALERTMANAGER_SECRETS_DIR>/<secret>/<key>` (see {@link secretFilePath}).
 */
export interface SecretFileRef {
  /** The Secret's name: a DNS-1123 label of at most 56 characters (its volume is `secret-<secret>`). */
  secret: string;
  /** The key in the Secret's data: letters, digits, `-`, `_` and `.`. */
  key: string;
}

/** Posts to a Slack channel through an incoming-webhook URL read from a Secret. */
export interface SlackReceiverSpec {
  type: 'slack';
  /** The channel, e.g. `#alerts`. */
  channel: string;
  /** The Slack webhook URL (`api_url_file`). */
  apiUrlFile: SecretFileRef;
}

/** Pages through a PagerDuty Events API v2 integration. */
export interface PagerDutyReceiverSpec {
  type: 'pagerduty';
  /** The integration's routing key (`routing_key_file`). */
  routingKeyFile: SecretFileRef;
}

/**
 * Posts Alertmanager's webhook payload to a URL read from a Secret. `url_file` needs an
 * Alertmanager newer than 0.25 (the pinned upstream chart deploys v0.34.0); Debian bookworm's
 * amtool 0.25, which the tests run, rejects the field, so webhook receivers are not amtool-checked.
 */
export interface WebhookReceiverSpec {
  type: 'webhook';
  /** The URL, which often embeds a token (`url_file`). */
  urlFile: SecretFileRef;
}

/** Sends mail through an SMTP relay; SMTP authentication is optional, but all or nothing. */
export interface EmailReceiverSpec {
  type: 'email';
  /** Recipient address(es), comma-separated. */
  to: string;
  /** Sender address. */
  from: string;
  /** The relay as `host:port`. */
  smarthost: string;
  /** SMTP user; given exactly when {@link authPasswordFile} is. */
  authUsername?: string;
  /** SMTP password (`auth_password_file`). */
  authPasswordFile?: SecretFileRef;
}

/** Drops alerts, on purpose. Only the receiver named {@link NULL_RECEIVER} may be of this type. */
export interface NullReceiverSpec {
  type: 'null';
}

/** A receiver, by type. */
export type ReceiverSpec = SlackReceiverSpec | PagerDutyReceiverSpec | WebhookReceiverSpec | EmailReceiverSpec | NullReceiverSpec;

/** Where the alerts of one severity go. */
export interface SeverityRouteSpec {
  /** A key of {@link AlertRoutingSpec.receivers}. */
  receiver: string;
  /** Overrides the top-level repeat interval for this severity. */
  repeatInterval?: string;
  /** Keep evaluating the routes after this one (Alertmanager's `continue`). */
  continue?: boolean;
}

/** The routing of alerts to receivers. Durations are Alertmanager durations (`30s`, `5m`, `4h`, `1d`). */
export interface AlertRoutingSpec {
  /** Labels alerts are grouped by into one notification; `['...']` groups by all labels. */
  groupBy: string[];
  /** How long to wait to send the first notification of a new group. */
  groupWait?: string;
  /** How long to wait before notifying about alerts added to a group already notified. */
  groupInterval?: string;
  /** How long to wait before re-sending a notification that is still firing. */
  repeatInterval?: string;
  /** The receivers, by name. Each must be the default receiver or the target of a route. */
  receivers: Record<string, ReceiverSpec>;
  /** Severity (the alert's `severity` label value: critical, warning, info, …) → its route. */
  routes: Record<string, SeverityRouteSpec>;
  /** Receives every alert no severity route matches, including alerts without a severity. */
  defaultReceiver: string;
  /**
   * While a critical alert fires, suppress the warning alerts with the same values of the
   * {@link groupBy} labels (the rule's `equal`); needs at least one such label other than `...`.
   */
  inhibitCriticalOverWarning?: boolean;
}

/**
 * A Secret volume the Alertmanager pod needs, in the shape of the upstream alertmanager chart's
 * `extraSecretMounts` entries.
 */
export interface AlertmanagerSecretMount {
  /** The volume's name: `secret-<secretName>`. */
  name: string;
  /** The existing Secret. */
  secretName: string;
  /** `<ALERTMANAGER_SECRETS_DIR>/<secretName>`. */
  mountPath: string;
  readOnly: true;
}

/** Severities in the order their routes are emitted; others follow alphabetically. */
const SEVERITY_ORDER = ['critical', 'error', 'warning', 'info', 'none'];

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;
const RECEIVER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const SEVERITY = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** `base.key`, or `base["key"]` when the key is not a plain identifier. */
function at(base: string, key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? `${base}.${key}` : `${base}[${JSON.stringify(key)}]`;
}

function fail(where: string, why: string): never {
  throw new Error(`${where}: ${why}`);
}

function requireString(value: unknown, where: string): string {
  if (typeof value !== 'string' || value.trim() === '') fail(where, `must be a non-empty string, got ${JSON.stringify(value)}`);
  return value;
}

function checkDuration(value: unknown, where: string): string | undefined {
  if (value === undefined) return undefined;
  const text = requireString(value, where);
  if (!((parsePrometheusDuration(text) ?? 0) > 0)) fail(where, `${JSON.stringify(text)} is not a non-zero Alertmanager duration such as 30s, 5m, 4h or 1d`);
  return text;
}

function checkSecretRef(ref: unknown, where: string): SecretFileRef {
  if (typeof ref !== 'object' || ref === null) fail(where, 'must be a { secret, key } reference to an existing Secret');
  const { secret, key } = ref as Partial<SecretFileRef>;
  if (typeof secret !== 'string' || !DNS_LABEL.test(secret) || secret.length > 56) {
    fail(`${where}.secret`, `${JSON.stringify(secret)} is not a Secret name that is a DNS-1123 label of at most 56 characters`);
  }
  if (typeof key !== 'string' || !SECRET_KEY.test(key) || key === '.' || key === '..') {
    fail(`${where}.key`, `${JSON.stringify(key)} is not a Secret key (letters, digits, "-", "_", ".")`);
  }
  return { secret, key };
}

/** The file Alertmanager reads a {@link SecretFileRef} from: `<ALERTMANAGER_SECRETS_DIR>/<secret>/<key>`. */
export function secretFilePath(ref: SecretFileRef): string {
  return `${ALERTMANAGER_SECRETS_DIR}/${ref.secret}/${ref.key}`;
}

/** Every credential reference of a receiver, with its spec path; validates the receiver. */
function receiverSecrets(name: string, receiver: ReceiverSpec): Array<{ where: string; ref: SecretFileRef }> {
  const where = at('receivers', name);
  if (typeof receiver !== 'object' || receiver === null) fail(where, 'must be a receiver object with a type');
  const type = (receiver as { type?: unknown }).type;
  if (type === 'null') {
    if (name !== NULL_RECEIVER) fail(`${where}.type`, `a "null" receiver drops alerts and must be named ${JSON.stringify(NULL_RECEIVER)}`);
    return [];
  }
  if (name === NULL_RECEIVER) fail(`${where}.type`, `the receiver named ${JSON.stringify(NULL_RECEIVER)} must be of type "null", not ${JSON.stringify(type)}`);
  switch (receiver.type) {
    case 'slack':
      requireString(receiver.channel, `${where}.channel`);
      return [{ where: `${where}.apiUrlFile`, ref: checkSecretRef(receiver.apiUrlFile, `${where}.apiUrlFile`) }];
    case 'pagerduty':
      return [{ where: `${where}.routingKeyFile`, ref: checkSecretRef(receiver.routingKeyFile, `${where}.routingKeyFile`) }];
    case 'webhook':
      return [{ where: `${where}.urlFile`, ref: checkSecretRef(receiver.urlFile, `${where}.urlFile`) }];
    case 'email': {
      requireString(receiver.to, `${where}.to`);
      requireString(receiver.from, `${where}.from`);
      const smarthost = requireString(receiver.smarthost, `${where}.smarthost`);
      if (!/^(\[[^\]]+\]|[^\s:[\]]+):\d+$/.test(smarthost)) fail(`${where}.smarthost`, `${JSON.stringify(smarthost)} is not host:port`);
      const hasUser = receiver.authUsername !== undefined;
      const hasPassword = receiver.authPasswordFile !== undefined;
      if (hasUser) requireString(receiver.authUsername, `${where}.authUsername`);
      if (hasUser !== hasPassword)
        fail(`${where}.${hasUser ? 'authPasswordFile' : 'authUsername'}`, 'SMTP authentication needs both authUsername and authPasswordFile, or neither');
      return hasPassword ? [{ where: `${where}.authPasswordFile`, ref: checkSecretRef(receiver.authPasswordFile, `${where}.authPasswordFile`) }] : [];
    }
    default:
      return fail(`${where}.type`, `unknown receiver type ${JSON.stringify(type)} (slack, pagerduty, webhook, email, null)`);
  }
}

/** Route severities in emission order: known severities by rank, then the rest alphabetically. */
function orderedSeverities(routes: Record<string, SeverityRouteSpec>): string[] {
  const rank = (severity: string): number => {
    const index = SEVERITY_ORDER.indexOf(severity);
    return index === -1 ? SEVERITY_ORDER.length : index;
  };
  return Object.keys(routes).sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

function sortedNames(record: Record<string, unknown>): string[] {
  return Object.keys(record).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Validates the whole spec; returns the credential references of every receiver. */
function validate(spec: AlertRoutingSpec): Array<{ where: string; ref: SecretFileRef }> {
  if (typeof spec !== 'object' || spec === null) fail('spec', 'must be an object');
  if (!Array.isArray(spec.groupBy)) fail('groupBy', 'must be a list of label names');
  const seen = new Set<string>();
  spec.groupBy.forEach((label, index) => {
    const where = `groupBy[${index}]`;
    if (typeof label !== 'string' || (label !== '...' && !LABEL_NAME.test(label))) fail(where, `${JSON.stringify(label)} is not a label name or "..."`);
    if (seen.has(label)) fail(where, `${JSON.stringify(label)} is listed twice`);
    seen.add(label);
  });
  if (seen.has('...') && seen.size > 1) fail('groupBy', '"..." groups by all labels and must be alone');
  checkDuration(spec.groupWait, 'groupWait');
  checkDuration(spec.groupInterval, 'groupInterval');
  checkDuration(spec.repeatInterval, 'repeatInterval');

  if (typeof spec.receivers !== 'object' || spec.receivers === null || Object.keys(spec.receivers).length === 0) {
    fail('receivers', 'no receivers: define at least the default receiver');
  }
  const secrets: Array<{ where: string; ref: SecretFileRef }> = [];
  for (const name of sortedNames(spec.receivers)) {
    if (!RECEIVER_NAME.test(name)) fail(at('receivers', name), 'a receiver name is a letter or digit followed by letters, digits, "_", "." or "-"');
    secrets.push(...receiverSecrets(name, spec.receivers[name] as ReceiverSpec));
  }

  const isReceiver = (name: unknown): boolean => typeof name === 'string' && Object.hasOwn(spec.receivers, name);
  if (!isReceiver(spec.defaultReceiver)) fail('defaultReceiver', `${JSON.stringify(spec.defaultReceiver)} is not a receiver`);
  if (typeof spec.routes !== 'object' || spec.routes === null) fail('routes', 'must map severities to routes');
  const routed = new Set<string>([spec.defaultReceiver]);
  for (const severity of orderedSeverities(spec.routes)) {
    const where = at('routes', severity);
    if (!SEVERITY.test(severity)) fail(where, 'a severity is a letter or digit followed by letters, digits, "_", "." or "-"');
    const route = spec.routes[severity] as SeverityRouteSpec;
    if (typeof route !== 'object' || route === null) fail(where, 'must be a route object with a receiver');
    if (!isReceiver(route.receiver)) fail(`${where}.receiver`, `${JSON.stringify(route.receiver)} is not a receiver`);
    checkDuration(route.repeatInterval, `${where}.repeatInterval`);
    if (route.continue !== undefined && typeof route.continue !== 'boolean') fail(`${where}.continue`, 'must be true or false');
    routed.add(route.receiver);
  }
  for (const name of sortedNames(spec.receivers)) {
    if (!routed.has(name)) fail(at('receivers', name), 'no route sends to it and it is not the default receiver');
  }
  if (spec.inhibitCriticalOverWarning && inhibitEqual(spec).length === 0) {
    fail('inhibitCriticalOverWarning', 'needs a groupBy label other than "..." to tell which warnings a critical alert suppresses');
  }
  return secrets;
}

function inhibitEqual(spec: AlertRoutingSpec): string[] {
  return spec.groupBy.filter((label) => label !== '...');
}

function receiverConfig(name: string, receiver: ReceiverSpec): Record<string, unknown> {
  switch (receiver.type) {
    case 'slack':
      return { name, slack_configs: [{ api_url_file: secretFilePath(receiver.apiUrlFile), channel: receiver.channel }] };
    case 'pagerduty':
      return { name, pagerduty_configs: [{ routing_key_file: secretFilePath(receiver.routingKeyFile) }] };
    case 'webhook':
      return { name, webhook_configs: [{ url_file: secretFilePath(receiver.urlFile) }] };
    case 'email': {
      const email: Record<string, unknown> = { to: receiver.to, from: receiver.from, smarthost: receiver.smarthost };
      if (receiver.authUsername !== undefined && receiver.authPasswordFile !== undefined) {
        email.auth_username = receiver.authUsername;
        email.auth_password_file = secretFilePath(receiver.authPasswordFile);
      }
      return { name, email_configs: [email] };
    }
    case 'null':
      return { name };
  }
}

/**
 * Builds the Alertmanager configuration (the `alertmanager.yml` object) of a routing spec: a root
 * route to the default receiver with the grouping settings, one child route per severity matched
 * with `matchers: ['severity="<severity>"']`, the receivers with their credentials as files under
 * {@link ALERTMANAGER_SECRETS_DIR}, and, when asked, an inhibit rule of critical over warning.
 * Receivers are sorted by name, routes by severity (critical, error, warning, info, none, then
 * alphabetically); keys come in a fixed order.
 *
 * @throws Error naming the spec path, e.g. `routes.critical.receiver: "pager" is not a receiver`,
 *   when the spec is invalid: no receivers, a route or the default to an unknown receiver, a
 *   receiver nothing routes to, a `null` receiver not named `null`, a malformed duration, label,
 *   Secret reference or smarthost.
 */
export function alertmanagerConfig(spec: AlertRoutingSpec): Record<string, unknown> {
  validate(spec);
  const route: Record<string, unknown> = { receiver: spec.defaultReceiver, group_by: [...spec.groupBy] };
  if (spec.groupWait !== undefined) route.group_wait = spec.groupWait;
  if (spec.groupInterval !== undefined) route.group_interval = spec.groupInterval;
  if (spec.repeatInterval !== undefined) route.repeat_interval = spec.repeatInterval;
  const severities = orderedSeverities(spec.routes);
  if (severities.length > 0) {
    route.routes = severities.map((severity) => {
      const { receiver, repeatInterval, continue: goOn } = spec.routes[severity] as SeverityRouteSpec;
      const child: Record<string, unknown> = { receiver, matchers: [`severity="${severity}"`] };
      if (repeatInterval !== undefined) child.repeat_interval = repeatInterval;
      if (goOn) child.continue = true;
      return child;
    });
  }
  const config: Record<string, unknown> = {
    route,
    receivers: sortedNames(spec.receivers).map((name) => receiverConfig(name, spec.receivers[name] as ReceiverSpec)),
  };
  if (spec.inhibitCriticalOverWarning) {
    config.inhibit_rules = [{ source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: inhibitEqual(spec) }];
  }
  return config;
}

/**
 * The Secret volumes the credential files of a spec need: one read-only mount per distinct
 * Secret at `<ALERTMANAGER_SECRETS_DIR>/<secret>`, sorted by Secret name, shaped as the upstream
 * alertmanager chart's `extraSecretMounts`. The Secrets must already exist; no values carry them.
 * @throws Error naming the spec path when the spec is invalid, as {@link alertmanagerConfig} does.
 */
export function alertmanagerSecretMounts(spec: AlertRoutingSpec): AlertmanagerSecretMount[] {
  const secrets = new Set(validate(spec).map(({ ref }) => ref.secret));
  return [...secrets]
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((secretName) => ({ name: `secret-${secretName}`, secretName, mountPath: `${ALERTMANAGER_SECRETS_DIR}/${secretName}`, readOnly: true as const }));
}
