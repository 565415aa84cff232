// chartkit diff between objects: renames found by likeness, pods orphaned from their Service, PDB or
// HPA, and mesh changes that break traffic mid-rollout. Real renders of restaurant-app changed in a
// temporary copy where the chart renders the case; typed objects (kubernetes-models, Istio models)
// for the kinds and shapes it does not render.
import { describe, it, expect, afterAll } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { Service } from 'kubernetes-models/v1';
import { DestinationRule, VirtualService } from '@kubernetes-models/istio/networking.istio.io/v1';
import { repoRoot } from '../../generator/paths.mjs';
import { compareRenders, diff, type DiffFinding } from '../../generator/diff/index.js';
import type { KubeObject } from '../../generator/checks/object.js';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'chartkit-diff-relations-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let copies = 0;

/** A copy of restaurant-app with one template's text replaced. */
function changedCopy(file: string, from: string, to: string): string {
  const dir = path.join(scratch, `copy-${(copies += 1)}`);
  cpSync(path.join(repoRoot, 'charts', 'restaurant-app'), dir, { recursive: true });
  const text = readFileSync(path.join(dir, 'templates', file), 'utf8');
  if (!text.includes(from)) throw new Error(`${file} has no ${JSON.stringify(from)}: the test's edit is stale`);
  writeFileSync(path.join(dir, 'templates', file), text.replace(from, to));
  return dir;
}
const original = path.join(repoRoot, 'charts', 'restaurant-app');
const upgrade = (to: string, files: string[] = []) =>
  diff(repoRoot, { chart: 'restaurant-app', from: original, to, environment: 'prod', files, set: [], helm: 4 }).then((report) => report.findings);
const breaking = (findings: readonly DiffFinding[]) => findings.filter((finding) => finding.severity === 'breaking');
const summary = (finding: DiffFinding) => `${finding.object} [${finding.field}]`;
const SERVICES = ['api-gateway', 'auth-service', 'frontend', 'menu-service', 'notification-service', 'order-service', 'restaurant-service'];

describe('chartkit diff, given restaurant-app Services under new names', () => {
  it('should report each as a rename from its old name (same selector), breaking for its clients, and nothing removed', async () => {
    const findings = await upgrade(changedCopy('service.yaml', '  name: {{ $name | quote }}', '  name: {{ printf "%s-svc" $name | quote }}'));
    expect(findings.map((finding) => [finding.severity, summary(finding), finding.reason])).toEqual(
      SERVICES.map((name) => [
        'breaking',
        `Service restaurant/${name}-svc [metadata.name]`,
        `renamed from ${name}: Helm creates it and deletes the old one; clients that call the old name fail`,
      ]),
    );
  });
});

describe('chartkit diff, given a Service selector the pods do not carry', () => {
  it('should report every Service as losing its pods for good', async () => {
    const found = breaking(
      await upgrade(changedCopy('service.yaml', '    {{- $service.selector | nindent 4 }}\n', '    {{- $service.selector | nindent 4 }}\n    track: stable\n')),
    );
    expect(found.map(summary)).toEqual(SERVICES.map((name) => `Service restaurant/${name} [spec.selector]`));
    expect(found[0]!.reason).toBe(
      'the new selector leaves the pods of Deployment restaurant/api-gateway out of Service restaurant/api-gateway for good: the Service loses those endpoints (requests to it fail)',
    );
  });
});

describe('chartkit diff, given mesh changes', () => {
  it('should report a canary subset removed while the route still sends to it', async () => {
    const canary = path.join(original, 'ci', 'prod-canary-values.yaml');
    const withoutCanarySubsets = changedCopy(
      'destinationrule.yaml',
      '{{- range $version := $settings.canary | default (dict $settings.version true) | keys | sortAlpha }}',
      '{{- range $version := dict $settings.version true | keys }}',
    );
    const found = breaking(await upgrade(withoutCanarySubsets, [canary]));
    expect(found.map((finding) => [summary(finding), finding.reason.split(':')[0]])).toEqual([
      ['DestinationRule restaurant/order-service [spec.subsets]', 'subset v2 is removed while VirtualService restaurant/order-service routes to it'],
    ]);
  });

  it("should report the callers' principal removed from the policies while the caller still runs", async () => {
    const withoutGatewayCalls = changedCopy(
      'authorizationpolicy.yaml',
      '{{- range $caller := get $model.callers $name | default list }}',
      '{{- range $caller := without (get $model.callers $name | default list) "api-gateway" }}',
    );
    const found = breaking(await upgrade(withoutGatewayCalls));
    expect(found.length).toBeGreaterThan(0);
    for (const finding of found) {
      expect(summary(finding)).toMatch(/^AuthorizationPolicy restaurant\/[a-z-]+ \[spec\.rules\]$/);
      expect(finding.reason).toMatch(
        /^principal [a-z.]+\/ns\/restaurant\/sa\/api-gateway is removed while Deployment restaurant\/api-gateway still runs as it: its calls are denied/,
      );
    }
  });

  it('should report an edge Service port moved while the gateway route still sends to the old one', async () => {
    const moved = changedCopy('service.yaml', '      port: {{ $port.port | int64 }}', '      port: {{ add $port.port 1 | int64 }}');
    const found = breaking(await upgrade(moved)).filter((finding) => finding.field === 'spec.ports');
    expect(found.length).toBeGreaterThan(0);
    for (const finding of found) expect(finding.reason).toMatch(/^port \d+ is removed while VirtualService [a-z-]+\/[a-z-]+ sends to it/);
  });
});

describe('compareRenders, given the shapes restaurant-app does not render', () => {
  const json = (object: { toJSON(): unknown }) => object.toJSON() as unknown as KubeObject;
  const workload = (name: string, labels: Record<string, string>) =>
    json(
      new Deployment({
        metadata: { name, namespace: 'shop' },
        spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'app:1' }] } } },
      }),
    );
  const budget = (matchLabels: Record<string, string>) =>
    json(new PodDisruptionBudget({ metadata: { name: 'menu', namespace: 'shop' }, spec: { minAvailable: 1, selector: { matchLabels } } }));

  it('should report a budget whose selector stops matching the running pods, until the rollout completes', () => {
    const before = [workload('menu', { app: 'menu' }), budget({ app: 'menu' })];
    // The pods gain a label in the same release the budget starts requiring it.
    const after = [workload('menu', { app: 'menu', tier: 'web' }), budget({ app: 'menu', tier: 'web' })];
    const found = breaking(compareRenders(before, after)).filter((finding) => finding.object.startsWith('PodDisruptionBudget'));
    expect(found.map((finding) => [summary(finding), finding.reason])).toEqual([
      [
        'PodDisruptionBudget shop/menu [spec.selector]',
        'the new selector leaves the pods of Deployment shop/menu out of PodDisruptionBudget shop/menu until the rollout completes: the budget no longer protects those pods from evictions',
      ],
    ]);
  });

  it('should report an autoscaler whose target is renamed, and the rename itself', () => {
    const scaler = json(
      new HorizontalPodAutoscaler({
        metadata: { name: 'menu', namespace: 'shop' },
        spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'menu' }, minReplicas: 2, maxReplicas: 4 },
      }),
    );
    const found = breaking(compareRenders([workload('menu', { app: 'menu' }), scaler], [workload('menu-v2', { app: 'menu' }), scaler]));
    expect(found.map(summary)).toEqual(['Deployment shop/menu-v2 [metadata.name]', 'HorizontalPodAutoscaler shop/menu [spec.scaleTargetRef]']);
    expect(found[1]!.reason).toBe('it scales Deployment menu, which the new version no longer renders: autoscaling stops');
  });

  it('should pair renames by ports when the selectors changed too, and not pair look-alikes it cannot tell apart', () => {
    const service = (name: string, app: string, port = 80) =>
      json(new Service({ metadata: { name, namespace: 'shop' }, spec: { selector: { app }, ports: [{ name: 'http', port, targetPort: 8080 }] } }));
    const renamed = compareRenders([service('menu', 'menu', 81)], [service('menus', 'menus', 81)]);
    expect(renamed.map((finding) => [summary(finding), finding.reason.split(':')[0]])).toEqual([['Service shop/menus [metadata.name]', 'renamed from menu']]);
    const ambiguous = compareRenders([service('a', 'a'), service('b', 'b')], [service('c', 'c'), service('d', 'd')]);
    expect(ambiguous.map((finding) => finding.reason).sort()).toEqual([
      'added: Helm creates it on upgrade',
      'added: Helm creates it on upgrade',
      'removed: Helm deletes it on upgrade',
      'removed: Helm deletes it on upgrade',
    ]);
  });

  it('should leave a subset removed that no route names, and a route moved first, alone', () => {
    const rule = (subsets: string[]) =>
      json(
        new DestinationRule({
          metadata: { name: 'menu', namespace: 'shop' },
          spec: { host: 'menu', subsets: subsets.map((name) => ({ name, labels: { version: name } })) },
        }),
      );
    const route = (subset: string) =>
      json(
        new VirtualService({
          metadata: { name: 'menu', namespace: 'shop' },
          spec: { hosts: ['menu'], http: [{ route: [{ destination: { host: 'menu.shop.svc.cluster.local', subset } }] }] },
        }),
      );
    expect(breaking(compareRenders([rule(['v1', 'v2']), route('v1')], [rule(['v1']), route('v1')]))).toEqual([]);
    expect(breaking(compareRenders([rule(['v1', 'v2']), route('v2')], [rule(['v1']), route('v1')])).map(summary)).toEqual([
      'DestinationRule shop/menu [spec.subsets]',
    ]);
  });
});
