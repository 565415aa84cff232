// Proves the promtool test helper against the real promtool binary: rule checks, PromQL
// expression checks mapped to their index, and rule unit tests that pass and fail.
import { describe, it, expect } from 'vitest';
import { checkExpressions, checkRules, testRules } from '../helpers/promtool.js';

const rules = `groups:
  - name: availability
    rules:
      - record: job:up:sum
        expr: sum by (job) (up)
      - alert: JobDown
        expr: job:up:sum == 0
        for: 1m
        labels:
          severity: critical
        annotations:
          summary: "{{ $labels.job }} is down"
`;

/** A unit test of \`rules\`; \`expected\` is the value asserted for job:up:sum at 2m. */
function unitTest(expected: number): string {
  return `rule_files:
  - rules.yml
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - series: 'up{job="api", instance="a"}'
        values: '1 1 1 0 0 0'
      - series: 'up{job="api", instance="b"}'
        values: '1 0 1 0 0 0'
    promql_expr_test:
      - expr: job:up:sum
        eval_time: 2m
        exp_samples:
          - labels: 'job:up:sum{job="api"}'
            value: ${expected}
    alert_rule_test:
      - alertname: JobDown
        eval_time: 5m
        exp_alerts:
          - exp_labels: { severity: critical, job: api }
            exp_annotations: { summary: "api is down" }
`;
}

describe('checkRules', () => {
  it('passes a valid rule file', async () => {
    // WHEN a valid rule file is checked THEN promtool accepts it and counts its rules
    const result = await checkRules(rules);
    expect(result.output).toContain('SUCCESS: 2 rules found');
    expect(result.ok).toBe(true);
  });

  it('fails a rule file with a broken expression', async () => {
    // GIVEN the rule file with an unclosed parenthesis in the recording rule
    const broken = rules.replace('sum by (job) (up)', 'sum by (job) (up');
    // WHEN it is checked THEN promtool rejects it and names the parse error
    const result = await checkRules(broken);
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/job:up:sum.*parse error/);
  });
});

describe('checkExpressions', () => {
  it('maps each unparsable expression back to its index', async () => {
    // GIVEN two good and two broken PromQL expressions
    const exprs = ['up', 'sum(rate(http_requests_total[5m])', 'histogram_quantile(0.99, sum by (le) (rate(x_bucket[5m])))', 'up =='];
    // WHEN they are checked
    const result = await checkExpressions(exprs);
    // THEN the broken ones, and only they, are reported by index with promtool's message
    expect(result.ok).toBe(false);
    expect(result.errors.map((e) => e.index)).toEqual([1, 3]);
    expect(result.errors[0]).toMatchObject({ expr: exprs[1], message: expect.stringMatching(/unclosed left parenthesis/) });
  });

  it('passes valid expressions', async () => {
    // WHEN only valid expressions are checked THEN there are no errors
    const result = await checkExpressions(['up', 'sum by (job) (rate(http_requests_total{code=~"5.."}[5m])) > 0']);
    expect(result).toMatchObject({ ok: true, errors: [] });
  });
});

describe('testRules', () => {
  it('passes a unit test whose expectations hold', async () => {
    // GIVEN the rules and a unit test expecting 2 instances up at 2m and the alert firing at 5m
    // WHEN promtool runs it THEN it passes
    const result = await testRules({ 'rules.yml': rules }, unitTest(2));
    expect(result.output).toContain('SUCCESS');
    expect(result.ok).toBe(true);
  });

  it('fails a unit test with a wrong expectation', async () => {
    // GIVEN the same unit test expecting 5 instances up
    // WHEN promtool runs it THEN it fails and shows what it got
    const result = await testRules({ 'rules.yml': rules }, unitTest(5));
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/FAILED/);
    expect(result.output).toMatch(/job:up:sum/);
  });
});
