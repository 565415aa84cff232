// The Alertmanager configuration generator against the real amtool: a rendered spec passes
// `amtool check-config`, routes each severity to its receiver, and every invalid spec is rejected
// with the path of the mistake.
import { existsSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import yaml from 'js-yaml';
import { checkConfig, routeTest } from '../helpers/amtool.js';
import {
  ALERTMANAGER_SECRETS_DIR,
  alertmanagerConfig,
  alertmanagerSecretMounts,
  secretFilePath,
  type AlertRoutingSpec,
} from '../../values-schemas/observability/alertmanager.js';
import { ALERT_ROUTING } from '../../values-schemas/observability/alerting.js';

/**
 * The platform's routing (critical → PagerDuty, warning → Slack, info dropped), with everything
 * unlabelled dropped too, so each case below sees one receiver per severity; a fresh copy per call.
 */
function platformSpec(): AlertRoutingSpec {
  return structuredClone({ ...ALERT_ROUTING, defaultReceiver: 'null' });
}

const render = (spec: AlertRoutingSpec): string => yaml.dump(alertmanagerConfig(spec), { noRefs: true });

describe('alertmanagerConfig with amtool', () => {
  const config = render(platformSpec());

  it('renders a configuration amtool check-config accepts', async () => {
    // GIVEN the platform spec rendered; its credential files are the mounted Secret paths, which do
    // not exist here: amtool check-config validates syntax and schema and does not open *_file paths
    expect(existsSync(ALERTMANAGER_SECRETS_DIR)).toBe(false);
    // WHEN amtool checks it
    const result = await checkConfig(config);
    // THEN it passes with the three receivers and the inhibit rule
    expect(`${result.stdout}${result.stderr}`).toContain('SUCCESS');
    expect(result.stdout).toContain('3 receivers');
    expect(result.stdout).toContain('1 inhibit rules');
    expect(result.ok).toBe(true);
  });

  it('routes severity=critical to the pagerduty receiver', async () => {
    // WHEN a critical alert is routed THEN only pager receives it
    await expect(routeTest(config, { alertname: 'OrdersDown', severity: 'critical' })).resolves.toEqual(['pager']);
  });

  it('routes severity=warning to the slack receiver', async () => {
    // WHEN a warning is routed THEN only chat receives it
    await expect(routeTest(config, { alertname: 'OrdersSlow', severity: 'warning' })).resolves.toEqual(['chat']);
  });

  it('routes severity=info and unlabelled alerts to the default null receiver', async () => {
    // WHEN an info alert, an alert of an unknown severity and an unlabelled alert are routed
    // THEN all of them reach the null receiver
    await expect(routeTest(config, { severity: 'info' })).resolves.toEqual(['null']);
    await expect(routeTest(config, { severity: 'page-me-maybe' })).resolves.toEqual(['null']);
    await expect(routeTest(config, {})).resolves.toEqual(['null']);
  });

  it('renders an email receiver with SMTP auth that amtool accepts', async () => {
    // GIVEN the spec with the warnings sent by mail, the SMTP password from a Secret
    const spec = platformSpec();
    spec.receivers = {
      ...spec.receivers,
      chat: {
        type: 'email',
        to: 'oncall@restaurant.example.com',
        from: 'alertmanager@restaurant.example.com',
        smarthost: 'smtp.restaurant.example.com:587',
        authUsername: 'alertmanager',
        authPasswordFile: { secret: 'alertmanager-smtp', key: 'password' },
      },
    };
    // WHEN it is rendered and checked THEN amtool accepts it and warnings still reach the receiver
    const emailConfig = render(spec);
    const result = await checkConfig(emailConfig);
    expect(result.ok).toBe(true);
    await expect(routeTest(emailConfig, { severity: 'warning' })).resolves.toEqual(['chat']);
  });

  it('lets a route continue to the next matching route', async () => {
    // GIVEN critical alerts paging and continuing, and a catch-all route for severity "critical"
    // only reachable through continue (a second route of the same severity cannot be written in
    // the spec, so the rendered routes are extended)
    const spec = platformSpec();
    spec.routes.critical = { receiver: 'pager', continue: true };
    const rendered = alertmanagerConfig(spec) as { route: { routes: Array<Record<string, unknown>> } };
    rendered.route.routes.splice(1, 0, { receiver: 'chat', matchers: ['severity="critical"'] });
    // WHEN a critical alert is routed THEN both receivers get it
    await expect(routeTest(yaml.dump(rendered), { severity: 'critical' })).resolves.toEqual(['pager', 'chat']);
  });
});

describe('alertmanagerConfig output', () => {
  it('uses matchers, credential files under the secrets folder and a stable order', () => {
    // WHEN the platform spec is rendered
    const config = alertmanagerConfig(platformSpec());
    // THEN routes come by severity rank with modern matchers, receivers by name, credentials as files
    expect(config).toEqual({
      route: {
        receiver: 'null',
        group_by: ['alertname', 'namespace'],
        group_wait: '30s',
        group_interval: '5m',
        repeat_interval: '4h',
        routes: [
          { receiver: 'pager', matchers: ['severity="critical"'], repeat_interval: '1h' },
          { receiver: 'chat', matchers: ['severity="warning"'], repeat_interval: '12h' },
          { receiver: 'null', matchers: ['severity="info"'] },
        ],
      },
      receivers: [
        { name: 'chat', slack_configs: [{ api_url_file: '/etc/alertmanager-secrets/alertmanager-slack/api-url', channel: '#restaurant-alerts' }] },
        { name: 'null' },
        { name: 'pager', pagerduty_configs: [{ routing_key_file: '/etc/alertmanager-secrets/alertmanager-pagerduty/routing-key' }] },
      ],
      inhibit_rules: [{ source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ['alertname', 'namespace'] }],
    });
    expect(JSON.stringify(config)).not.toMatch(/"match"|match_re/);
  });

  it('is deterministic whatever the order of the spec maps', () => {
    // GIVEN the platform spec and a copy with its receivers and routes in reverse order
    const spec = platformSpec();
    const reversed: AlertRoutingSpec = {
      ...spec,
      receivers: Object.fromEntries(Object.entries(spec.receivers).reverse()),
      routes: Object.fromEntries(Object.entries(spec.routes).reverse()),
    };
    // WHEN both are rendered THEN the YAML is byte-identical
    expect(render(reversed)).toBe(render(spec));
  });

  it('renders webhook receivers with url_file', () => {
    // GIVEN warnings sent to a webhook whose URL is a Secret key
    // (url_file is newer than amtool 0.25, so this rendering is asserted, not amtool-checked)
    const spec = platformSpec();
    spec.receivers.chat = { type: 'webhook', urlFile: { secret: 'alertmanager-webhook', key: 'url' } };
    // WHEN it is rendered THEN the receiver reads the URL from the mounted file
    const receivers = alertmanagerConfig(spec).receivers as Array<Record<string, unknown>>;
    expect(receivers[0]).toEqual({ name: 'chat', webhook_configs: [{ url_file: '/etc/alertmanager-secrets/alertmanager-webhook/url' }] });
  });

  it('leaves out the inhibit rule unless asked', () => {
    // WHEN the spec without inhibitCriticalOverWarning is rendered THEN there are no inhibit rules
    expect(alertmanagerConfig({ ...platformSpec(), inhibitCriticalOverWarning: false })).not.toHaveProperty('inhibit_rules');
  });
});

describe('alertmanagerSecretMounts', () => {
  it('mounts each Secret once, read-only, where the config reads its files', () => {
    // GIVEN the platform spec plus an email receiver whose password is in the Slack Secret
    const spec = platformSpec();
    spec.receivers.mail = {
      type: 'email',
      to: 'a@restaurant.example.com',
      from: 'b@restaurant.example.com',
      smarthost: 'smtp:25',
      authUsername: 'am',
      authPasswordFile: { secret: 'alertmanager-slack', key: 'smtp-password' },
    };
    spec.routes.error = { receiver: 'mail' };
    // WHEN its mounts are listed
    const mounts = alertmanagerSecretMounts(spec);
    // THEN there is one per distinct Secret, sorted, and every credential file lies in one of them
    expect(mounts).toEqual([
      {
        name: 'secret-alertmanager-pagerduty',
        secretName: 'alertmanager-pagerduty',
        mountPath: '/etc/alertmanager-secrets/alertmanager-pagerduty',
        readOnly: true,
      },
      { name: 'secret-alertmanager-slack', secretName: 'alertmanager-slack', mountPath: '/etc/alertmanager-secrets/alertmanager-slack', readOnly: true },
    ]);
    const files = JSON.stringify(alertmanagerConfig(spec)).match(/\/etc\/alertmanager-secrets\/[^"]+/g) ?? [];
    expect(files).toHaveLength(3);
    for (const file of files) expect(mounts.some((mount) => file.startsWith(`${mount.mountPath}/`))).toBe(true);
    expect(secretFilePath({ secret: 'alertmanager-slack', key: 'smtp-password' })).toBe('/etc/alertmanager-secrets/alertmanager-slack/smtp-password');
  });

  it('is empty when no receiver needs a credential', () => {
    // GIVEN a spec with only the null receiver WHEN its mounts are listed THEN there are none
    expect(alertmanagerSecretMounts({ groupBy: ['alertname'], receivers: { null: { type: 'null' } }, routes: {}, defaultReceiver: 'null' })).toEqual([]);
  });
});

describe('alertmanagerConfig validation', () => {
  const cases: Array<[string, (spec: AlertRoutingSpec) => void, string]> = [
    [
      'a route to an unknown receiver',
      (spec) => {
        spec.routes.critical = { receiver: 'pagerduty' };
      },
      'routes.critical.receiver: "pagerduty" is not a receiver',
    ],
    [
      'an unknown default receiver',
      (spec) => {
        spec.defaultReceiver = 'nobody';
      },
      'defaultReceiver: "nobody" is not a receiver',
    ],
    [
      'a receiver no route sends to and not the default',
      (spec) => {
        spec.receivers.hook = { type: 'webhook', urlFile: { secret: 'hook', key: 'url' } };
      },
      'receivers.hook: no route sends to it and it is not the default receiver',
    ],
    [
      'an empty receivers map',
      (spec) => {
        spec.receivers = {};
      },
      'receivers: no receivers',
    ],
    [
      'a null receiver under another name',
      (spec) => {
        spec.receivers.blackhole = { type: 'null' };
        spec.routes.debug = { receiver: 'blackhole' };
      },
      'receivers.blackhole.type: a "null" receiver drops alerts and must be named "null"',
    ],
    [
      'a receiver named null that sends',
      (spec) => {
        spec.receivers.null = { type: 'pagerduty', routingKeyFile: { secret: 'pd', key: 'key' } };
      },
      'receivers.null.type: the receiver named "null" must be of type "null"',
    ],
    [
      'an unknown receiver type',
      (spec) => {
        (spec.receivers as Record<string, unknown>).chat = { type: 'teams' };
      },
      'receivers.chat.type: unknown receiver type "teams"',
    ],
    [
      'a Secret name that is not a DNS label',
      (spec) => {
        spec.receivers.pager = { type: 'pagerduty', routingKeyFile: { secret: 'PagerDuty', key: 'key' } };
      },
      'receivers.pager.routingKeyFile.secret: "PagerDuty" is not a Secret name',
    ],
    [
      'a Secret key with a slash',
      (spec) => {
        spec.receivers.chat = { type: 'slack', channel: '#x', apiUrlFile: { secret: 'slack', key: '../url' } };
      },
      'receivers.chat.apiUrlFile.key: "../url" is not a Secret key',
    ],
    [
      'a raw credential instead of a Secret reference',
      (spec) => {
        (spec.receivers as Record<string, unknown>).pager = { type: 'pagerduty', routingKeyFile: 'abc123' };
      },
      'receivers.pager.routingKeyFile: must be a { secret, key } reference',
    ],
    [
      'a slack receiver without a channel',
      (spec) => {
        spec.receivers.chat = { type: 'slack', channel: '', apiUrlFile: { secret: 'slack', key: 'url' } };
      },
      'receivers.chat.channel: must be a non-empty string',
    ],
    [
      'an email smarthost without a port',
      (spec) => {
        spec.receivers.chat = { type: 'email', to: 'a@x', from: 'b@x', smarthost: 'smtp.example.com' };
      },
      'receivers.chat.smarthost: "smtp.example.com" is not host:port',
    ],
    [
      'an SMTP user without a password file',
      (spec) => {
        spec.receivers.chat = { type: 'email', to: 'a@x', from: 'b@x', smarthost: 'smtp:25', authUsername: 'am' };
      },
      'receivers.chat.authPasswordFile: SMTP authentication needs both',
    ],
    [
      'a malformed duration',
      (spec) => {
        spec.routes.warning = { receiver: 'chat', repeatInterval: '12 hours' };
      },
      'routes.warning.repeatInterval: "12 hours" is not a non-zero Alertmanager duration',
    ],
    [
      'a zero group interval',
      (spec) => {
        spec.groupInterval = '0s';
      },
      'groupInterval: "0s" is not a non-zero Alertmanager duration',
    ],
    [
      'a groupBy entry that is not a label name',
      (spec) => {
        spec.groupBy = ['alertname', 'team-name'];
      },
      'groupBy[1]: "team-name" is not a label name',
    ],
    [
      'inhibition without labels to compare',
      (spec) => {
        spec.groupBy = ['...'];
      },
      'inhibitCriticalOverWarning: needs a groupBy label other than "..."',
    ],
    [
      'a severity that cannot be a matcher value',
      (spec) => {
        spec.routes['crit"ical'] = { receiver: 'pager' };
      },
      'routes["crit\\"ical"]: a severity is a letter or digit',
    ],
  ];

  it.each(cases)('rejects %s, naming the path', (_name, mutate, message) => {
    // GIVEN the platform spec with one mistake
    const spec = platformSpec();
    mutate(spec);
    // WHEN it is rendered or its mounts are listed THEN both throw naming the path of the mistake
    expect(() => alertmanagerConfig(spec)).toThrow(message);
    expect(() => alertmanagerSecretMounts(spec)).toThrow(message);
  });

  it('accepts the platform spec', () => {
    // WHEN the valid platform spec is rendered THEN nothing throws
    expect(() => alertmanagerConfig(platformSpec())).not.toThrow();
  });
});
