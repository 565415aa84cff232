// Alertmanager as the real umbrella renders it (the pinned prometheus chart's alertmanager
// subchart, with the platform's routing merged over its defaults): the configuration passes the real
// `amtool check-config`, routes each severity to its receiver, and mounts every credential's Secret.
import { describe, it, expect } from 'vitest';
import yaml from 'js-yaml';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { render } from '../helpers/helm.js';
import { mustGet } from '../helpers/models.js';
import { HELM_MAJORS } from '../helpers/tools.js';
import { checkConfig, routeTest } from '../helpers/amtool.js';
import { ALERTMANAGER_SECRETS_DIR, alertmanagerSecretMounts } from '../../values-schemas/observability/alertmanager.js';
import { ALERT_ROUTING } from '../../values-schemas/observability/alerting.js';
import { umbrellaRender } from './fixtures.js';

describe.each(HELM_MAJORS)('Alertmanager in the real umbrella on Helm %i', (helm) => {
  it.each(['staging', 'prod'] as const)('should deliver every severity somewhere real and pass amtool in %s', async (environment) => {
    // GIVEN the rendered Alertmanager configuration
    const objects = await render(umbrellaRender(helm, environment));
    const config = mustGet(objects, ConfigMap, 'observability-alertmanager').data!['alertmanager.yml']!;
    // THEN amtool accepts it
    const checked = await checkConfig(config);
    expect(checked.ok, checked.stderr).toBe(true);
    // AND each severity reaches its receiver, an unlabelled alert the default one
    expect(await routeTest(config, { alertname: 'IstiodDown', severity: 'critical' })).toEqual(['pager']);
    expect(await routeTest(config, { alertname: 'HighLatency', severity: 'warning' })).toEqual(['chat']);
    expect(await routeTest(config, { alertname: 'Info', severity: 'info' })).toEqual(['null']);
    expect(await routeTest(config, { alertname: 'Unlabelled' })).toEqual([ALERT_ROUTING.defaultReceiver]);
    // AND no receiver holds a credential, only files from mounted Secrets
    const receivers = (yaml.load(config) as { receivers: Array<Record<string, unknown>> }).receivers;
    const credentialFields = receivers.flatMap((receiver) =>
      Object.entries(receiver)
        .filter(([key]) => key.endsWith('_configs'))
        .flatMap(([, configs]) => (configs as Array<Record<string, unknown>>).flatMap((entry) => Object.keys(entry))),
    );
    expect(credentialFields.filter((field) => /^(api_url|routing_key|service_key|auth_password|url)$/.test(field))).toEqual([]);
    expect(credentialFields.filter((field) => field.endsWith('_file')).sort()).toEqual(['api_url_file', 'routing_key_file']);
    const pod = mustGet(objects, StatefulSet, 'observability-alertmanager').spec!.template.spec!;
    const container = pod.containers.find((entry) => entry.name === 'alertmanager')!;
    for (const mount of alertmanagerSecretMounts(ALERT_ROUTING)) {
      expect(pod.volumes!.find((volume) => volume.name === mount.name)?.secret?.secretName).toBe(mount.secretName);
      expect(container.volumeMounts!.find((entry) => entry.name === mount.name)?.mountPath).toBe(mount.mountPath);
      expect(mount.mountPath.startsWith(`${ALERTMANAGER_SECRETS_DIR}/`)).toBe(true);
    }
  });

  it('should run no Alertmanager in dev', async () => {
    const objects = await render(umbrellaRender(helm, 'dev'));
    expect(objects.filter((object) => /alertmanager/.test(object.metadata?.name ?? ''))).toEqual([]);
  });
});
