// The render harness itself: the strict check catches misspelt fields, unmodelled kinds fail,
// error paths normalise across Helm versions, and a render runs helm once per test run.
import { describe, it, expect } from 'vitest';
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { strictFindings } from '../helpers/strict.js';
import { toModels, type KubeObject } from '../helpers/models.js';
import { errorPaths, helmDependencyBuild, helmInstall, helmTemplate } from '../helpers/helm.js';
import { rejectedPaths } from '../helpers/rejected.js';
import { runCacheDir } from '../helpers/cache.js';
import { MESH_APIS } from '../restaurant-app/fixtures.js';

const deployment = (): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'probe', namespace: 'restaurant' },
  spec: {
    selector: { matchLabels: { app: 'probe' } },
    template: { metadata: { labels: { app: 'probe' } }, spec: { containers: [{ name: 'probe', image: 'probe:1' }] } },
  },
});

describe('strict model check', () => {
  it('should accept an object whose every field the model knows', () => {
    expect(strictFindings([deployment()])).toEqual([]);
  });

  it('should name a misspelt field nested deep in an object', () => {
    const object = deployment() as KubeObject & { spec: { template: { spec: { containers: Array<Record<string, unknown>> } } } };
    object.spec.template.spec.containers[0]!.imagePullPolcy = 'Always';
    const findings = strictFindings([object]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ object: 'Deployment restaurant/probe' });
    expect(findings[0]!.message).toContain('imagePullPolcy');
  });

  it('should reject a wrong type the validator might coerce', () => {
    const object = deployment() as KubeObject & { spec: Record<string, unknown> };
    object.spec.replicas = '2';
    expect(
      strictFindings([object])
        .map((finding) => finding.message)
        .join(),
    ).toMatch(/replicas|string/);
  });
});

describe('model mapping', () => {
  it('should fail on a kind no model package covers instead of skipping it', async () => {
    await expect(toModels([{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }])).rejects.toThrow(/no model for example.com\/v1 Widget/);
  });

  it('should fail on an object its schema rejects, naming it', async () => {
    const object = deployment() as KubeObject & { spec: Record<string, unknown> };
    object.spec.replicas = 'two';
    await expect(toModels([object])).rejects.toThrow(/Deployment restaurant\/probe is invalid/);
  });
});

describe('error paths', () => {
  it.each([
    ['Helm 3', '- services.order-service.replicas: Invalid type. Expected: integer, given: string', 'services.order-service.replicas'],
    ['Helm 4', "- at '/services/order-service/replicas': got string, want integer", 'services.order-service.replicas'],
    ['Helm 3 root', '- (root): Additional property typo is not allowed', '(root)'],
    ['Helm 4 root', "- at '': additional properties 'typo' not allowed", '(root)'],
  ])('should normalise %s', (_, stderr, expected) => {
    expect(errorPaths(stderr)).toEqual([expected]);
  });
});

describe('rejected values paths', () => {
  it.each([
    [
      'a schema error (Helm 3)',
      "Error: values don't meet the specifications of the schema(s) in the following chart(s):\nrestaurant-app:\n- services.order-service.replicas: Invalid type. Expected: integer, given: string",
      ['services.order-service.replicas'],
    ],
    [
      'a schema error (Helm 4)',
      "Error: values don't meet the specifications of the schema(s) in the following chart(s):\nrestaurant-app:\n- at '/services/order-service/replicas': got string, want integer",
      ['services.order-service.replicas'],
    ],
    [
      'a template guard',
      'Error: execution error at (restaurant-app/templates/deployment.yaml:5:4): services.frontend.autoscaling.minReplicas (9) must not exceed services.frontend.autoscaling.maxReplicas (3)',
      ['services.frontend.autoscaling.minReplicas'],
    ],
    [
      'a guard on a label key with dots and a slash',
      'Error: execution error at (x/templates/y.yaml:1:2): commonLabels.app.kubernetes.io/name: the chart sets this label itself',
      ['commonLabels.app.kubernetes.io/name'],
    ],
  ])('should take the values path from %s', (_, stderr, expected) => {
    // GIVEN Helm's error text WHEN its paths are read THEN the path to edit is the one named
    expect(rejectedPaths(stderr)).toEqual(expected);
  });
});

describe('render memo', () => {
  it('should run helm once for repeated identical renders', async () => {
    const options = { chart: 'restaurant-app', helm: 4 as const, set: ['commonLabels.memo-probe=yes'], apiVersions: MESH_APIS };
    const log = path.join(runCacheDir, 'helm-invocations.log');
    const invocations = () =>
      existsSync(log)
        ? readFileSync(log, 'utf8')
            .split('\n')
            .filter((line) => line.includes('memo-probe')).length
        : 0;
    const before = invocations();
    const [first, second] = await Promise.all([helmTemplate(options), helmTemplate(options)]);
    const third = await helmTemplate(options);
    const after = invocations();
    expect(first.ok).toBe(true);
    expect(second).toEqual(first);
    expect(third).toEqual(first);
    expect(after - before).toBe(1);
  });
});

describe('memo of the other helm commands', () => {
  const log = path.join(runCacheDir, 'helm-invocations.log');
  const invocations = (marker: string) =>
    existsSync(log)
      ? readFileSync(log, 'utf8')
          .split('\n')
          .filter((line) => line.includes(marker)).length
      : 0;

  it('should run helm install --dry-run once for repeated identical installs', async () => {
    // GIVEN one install, asked for three times
    const options = { chart: 'restaurant-app', helm: 4 as const, set: ['global.skipCapabilityCheck=true', 'commonLabels.install-memo-probe=yes'] };
    const before = invocations('install-memo-probe');
    const [first, second] = await Promise.all([helmInstall(options), helmInstall(options)]);
    const third = await helmInstall(options);
    // THEN helm ran once and every caller got its output
    expect(first.ok, first.stderr).toBe(true);
    expect([second, third]).toEqual([first, first]);
    expect(invocations('install-memo-probe') - before).toBe(1);
  });

  it("should build a chart's dependencies once, into one copy", async () => {
    // GIVEN the umbrella's dependency build, asked for twice
    const [first, second] = await Promise.all([
      helmDependencyBuild({ chart: 'restaurant-platform', helm: 4 }),
      helmDependencyBuild({ chart: 'restaurant-platform', helm: 4 }),
    ]);
    // THEN both callers get the one build, logged once, whose copy holds the rebuilt subcharts
    expect(first.ok, first.stderr).toBe(true);
    expect(second).toEqual(first);
    expect(invocations(`dependency build ${first.chart}`)).toBe(1);
    expect(existsSync(path.join(first.chart, 'Chart.lock'))).toBe(true);
  });
});
