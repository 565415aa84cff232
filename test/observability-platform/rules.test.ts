// The platform's alert rules under the real promtool: the groups are taken from the rendered
// PrometheusRule of each environment, pass `promtool check rules`, and every alert has a unit test
// that fires after its `for` with series above the threshold and stays silent below it.
import { describe, it, expect, beforeAll } from 'vitest';
import yaml from 'js-yaml';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { render } from '../helpers/helm.js';
import { mustGet } from '../helpers/models.js';
import { checkRules, testRules } from '../helpers/promtool.js';
import { ALERTS } from '../../generator/observability/rules.js';
import { ALERT_NAMES } from '../../values-schemas/platform/alerts.js';
import { PLATFORM_OBJECTS } from '../../values-schemas/platform/topology.js';
import { globalDefaults } from '../../values-schemas/common/global.js';
import { parsePrometheusDuration } from '../../values-schemas/common/duration.js';
import { ENVIRONMENTS, alertSettings, platformRender } from './fixtures.js';
import { ALERT_CASES, expandAnnotation, humanize, humanizePercentage, type Series } from './alert-cases.js';

const ns = { app: globalDefaults.namespaces.app, istio: globalDefaults.namespaces.istio };

/** Minutes of a Prometheus duration of whole minutes (`5m`, `1h`, `1h30m`): the unit tests step by the minute. */
function minutes(duration: string): number {
  const total = (parsePrometheusDuration(duration) ?? 0) / 60_000;
  if (!Number.isInteger(total) || total === 0) throw new Error(`minutes(${duration}): use whole minutes or hours in alert durations`);
  return total;
}

interface RuleAnnotations {
  summary: string;
  description: string;
  runbook_url: string;
}

describe('alert cases', () => {
  it('should exist for every alert and no other', () => {
    // GIVEN the alert definitions THEN each has a unit-test case
    expect(Object.keys(ALERT_CASES).sort()).toEqual([...ALERT_NAMES].sort());
  });

  it("should mirror Prometheus' humanize functions", () => {
    expect(humanize(1950.0000000000002)).toBe('1.95k');
    expect(humanize(1 / 60)).toBe('16.67m');
    expect(humanize(2925)).toBe('2.925k');
    expect(humanizePercentage(0.1)).toBe('10%');
    expect(humanizePercentage(0.06)).toBe('6%');
  });
});

describe.each(ENVIRONMENTS)('alert rules in %s', (environment) => {
  let ruleFile: string;
  let annotations: Map<string, RuleAnnotations>;
  const settings = alertSettings(environment);
  beforeAll(async () => {
    // GIVEN the environment's PrometheusRule, rendered as a cluster with the operator would
    // (Helm 4 alone: objects.test.ts proves both Helm versions render the same rules)
    const objects = await render(platformRender(4, environment, 'operator'));
    const spec = JSON.parse(JSON.stringify(mustGet(objects, PrometheusRule, PLATFORM_OBJECTS.prometheusRule).spec)) as {
      groups: Array<{ rules: Array<{ alert: string; annotations: RuleAnnotations }> }>;
    };
    // WHEN its groups are written out as the rule file promtool reads
    ruleFile = yaml.dump(spec, { lineWidth: -1 });
    annotations = new Map(spec.groups.flatMap((group) => group.rules.map((rule) => [rule.alert, rule.annotations] as const)));
  });

  it('should pass promtool check rules', async () => {
    const result = await checkRules(ruleFile);
    expect(result.output).toContain(`SUCCESS: ${ALERTS.length} rules found`);
    expect(result.ok).toBe(true);
  });

  it.each(ALERTS.map((alert) => alert.name))('%s should fire after its for above the threshold and stay silent below it', async (name) => {
    const setting = settings[name]!;
    const input = ALERT_CASES[name]!(setting.threshold, ns);
    const wait = minutes(setting.for);
    const template = annotations.get(name)!;
    const labels = { ...input.labels, severity: setting.severity };
    const expected = {
      exp_labels: labels,
      exp_annotations: {
        summary: expandAnnotation(template.summary, input.labels, input.value),
        description: expandAnnotation(template.description, input.labels, input.value),
        runbook_url: template.runbook_url,
      },
    };
    const test = (series: readonly Series[], firing: boolean) => ({
      interval: '1m',
      input_series: series,
      alert_rule_test: [
        // Pending, not firing, before its `for` has passed (the condition holds at the earliest from the first minute).
        { alertname: name, eval_time: `${wait - 1}m`, exp_alerts: [] },
        // Firing once the 5m rate window is full and `for` has passed since.
        { alertname: name, eval_time: `${wait + 6}m`, exp_alerts: firing ? [expected] : [] },
        { alertname: name, eval_time: `${wait + 20}m`, exp_alerts: firing ? [expected] : [] },
      ],
    });
    // GIVEN series above the threshold and series below it, WHEN promtool runs the unit tests
    const unitTests = yaml.dump(
      { rule_files: ['rules.yaml'], evaluation_interval: '1m', tests: [test(input.above, true), test(input.below, false)] },
      { lineWidth: -1 },
    );
    const result = await testRules({ 'rules.yaml': ruleFile }, unitTests);
    // THEN both pass: it fires with its labels and annotations above, and never below
    expect(result.output).toContain('SUCCESS');
    expect(result.ok, result.output).toBe(true);
  });
});
