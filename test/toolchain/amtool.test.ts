// Proves the amtool test helper against the real amtool binary: it resolves, a valid configuration
// passes check-config, a broken one fails it, and routes test reports receivers.
import { describe, it, expect } from 'vitest';
import { checkConfig, routeTest } from '../helpers/amtool.js';
import { resolveTool } from '../helpers/tools.js';

const config = `route:
  receiver: fallback
  group_by: [alertname]
  routes:
    - receiver: pager
      matchers: ['severity="critical"']
receivers:
  - name: fallback
  - name: pager
`;

describe('resolveTool amtool', () => {
  it('resolves the extracted amtool', () => {
    // WHEN amtool is resolved THEN it is the .tools/ binary (or the AMTOOL_BIN override)
    expect(resolveTool('amtool')).toMatch(process.env.AMTOOL_BIN ? /./ : /\.tools\/amtool\/amtool$/);
  });
});

describe('checkConfig', () => {
  it('passes a valid configuration', async () => {
    // WHEN a valid configuration is checked THEN amtool accepts it and counts its receivers
    const result = await checkConfig(config);
    expect(result.stdout).toContain('SUCCESS');
    expect(result.stdout).toContain('2 receivers');
    expect(result.ok).toBe(true);
  });

  it('fails a configuration whose route names an undefined receiver', async () => {
    // GIVEN the configuration with its critical route sent to a receiver that does not exist
    const broken = config.replace('- receiver: pager', '- receiver: pagr');
    // WHEN it is checked THEN amtool rejects it and names the receiver
    const result = await checkConfig(broken);
    expect(result.ok).toBe(false);
    expect(`${result.stdout}${result.stderr}`).toMatch(/FAILED.*undefined receiver "pagr"/s);
  });

  it('fails a configuration with an unknown field', async () => {
    // GIVEN a receiver with a misspelt integration key
    const broken = config.replace('  - name: pager\n', '  - name: pager\n    pagerduty_config: []\n');
    // WHEN it is checked THEN amtool rejects the field
    const result = await checkConfig(broken);
    expect(result.ok).toBe(false);
    expect(`${result.stdout}${result.stderr}`).toContain('pagerduty_config');
  });
});

describe('routeTest', () => {
  it('reports the receiver an alert is routed to', async () => {
    // WHEN a critical alert and an unlabelled one are routed THEN they reach pager and fallback
    await expect(routeTest(config, { severity: 'critical' })).resolves.toEqual(['pager']);
    await expect(routeTest(config, {})).resolves.toEqual(['fallback']);
  });

  it('throws when the configuration does not load', async () => {
    // WHEN routes are tested on YAML that is not a configuration THEN the helper throws amtool's error
    await expect(routeTest('route: [', { severity: 'critical' })).rejects.toThrow(/amtool config routes test failed/);
  });
});
