// chartkit diff between objects: renames found by likeness, pods orphaned from their Service, PDB or
// HPA, and mesh changes that break traffic mid-rollout. Real renders of restaurant-app changed in a
// temporary copy where the chart renders the case; typed objects (kubernetes-models, Istio models)
// for the kinds and shapes it does not render.
import { describe, it, expect, afterAll } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { PersistentVolumeClaim, Secret, Service } from 'kubernetes-models/v1';
import { AuthorizationPolicy } from '@kubernetes-models/istio/security.istio.io/v1';
import { DestinationRule, VirtualService } from '@kubernetes-models/istio/networking.istio.io/v1';
import { repoRoot } from '../../generator/paths.mjs';
import { compareRenders, diff, type DiffFinding } from '../../generator/diff/index.js';
import { renderSide } from '../../generator/diff/sides.js';
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
    // The policies that admitted the api-gateway before: those of the services it calls.
    const rendered = await renderSide(original, {
      helm: 4,
      release: 'restaurant-app',
      namespace: 'restaurant',
      values: [path.join(original, 'values-prod.yaml')],
      set: [],
    });
    if (!rendered.ok) throw new Error(rendered.error);
    const admitting = rendered.objects
      .filter((object) => object.kind === 'AuthorizationPolicy' && JSON.stringify(object.spec).includes('/sa/api-gateway"'))
      .map((object) => `AuthorizationPolicy restaurant/${object.metadata?.name} [spec.rules]`)
      .sort();
    expect(admitting.length).toBeGreaterThan(0);
    expect(found.map(summary)).toEqual(admitting);
    for (const finding of found)
      expect(finding.reason).toMatch(
        /^principal [a-z.]+\/ns\/restaurant\/sa\/api-gateway is no longer admitted to the pods of Deployment restaurant\/[a-z-]+ while Deployment restaurant\/api-gateway runs as it: its calls are denied/,
      );
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
      'removed: Helm deletes it on upgrade; clients that call it fail',
      'removed: Helm deletes it on upgrade; clients that call it fail',
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
    // A rule renamed with the same host and subsets keeps them.
    const renamedRule = { ...rule(['v1', 'v2']), metadata: { name: 'menu-rule', namespace: 'shop' } };
    expect(breaking(compareRenders([rule(['v1', 'v2']), route('v2')], [renamedRule, route('v2')]))).toEqual([]);
    expect(breaking(compareRenders([rule(['v1', 'v2']), route('v2')], [rule(['v1']), route('v1')])).map(summary)).toEqual([
      'DestinationRule shop/menu [spec.subsets]',
    ]);
  });

  it.each([
    [
      'a Secret of another type',
      new Secret({ metadata: { name: 's', namespace: 'shop' }, type: 'Opaque' }),
      new Secret({ metadata: { name: 's', namespace: 'shop' }, type: 'kubernetes.io/tls' }),
      'type',
    ],
    [
      'an immutable Secret made mutable',
      new Secret({ metadata: { name: 's', namespace: 'shop' }, immutable: true }),
      new Secret({ metadata: { name: 's', namespace: 'shop' } }),
      'immutable',
    ],
    [
      'a binding to another role',
      new RoleBinding({ metadata: { name: 'b', namespace: 'shop' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' } }),
      new RoleBinding({ metadata: { name: 'b', namespace: 'shop' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'reader' } }),
      'roleRef',
    ],
    [
      'a StatefulSet of another service name',
      new StatefulSet({ metadata: { name: 'db', namespace: 'shop' }, spec: { serviceName: 'db', selector: {}, template: {} } }),
      new StatefulSet({ metadata: { name: 'db', namespace: 'shop' }, spec: { serviceName: 'db-headless', selector: {}, template: {} } }),
      'spec.serviceName',
    ],
    [
      'a StatefulSet of another pod management policy',
      new StatefulSet({ metadata: { name: 'db', namespace: 'shop' }, spec: { serviceName: 'db', selector: {}, template: {} } }),
      new StatefulSet({
        metadata: { name: 'db', namespace: 'shop' },
        spec: { serviceName: 'db', podManagementPolicy: 'Parallel', selector: {}, template: {} },
      }),
      'spec.podManagementPolicy',
    ],
  ])('should report %s as breaking, on exactly that field', (_title, before, after, field) => {
    expect(breaking(compareRenders([json(before)], [json(after)])).map((finding) => finding.field)).toEqual([field]);
  });

  it('should let a Service change to and from ExternalName in place (the API server moves its cluster IP)', () => {
    const service = (type: 'ClusterIP' | 'ExternalName') =>
      json(
        new Service({
          metadata: { name: 'menu', namespace: 'shop' },
          spec: { type, ...(type === 'ExternalName' ? { externalName: 'menu.example.com' } : { selector: { app: 'menu' } }) },
        }),
      );
    expect(breaking(compareRenders([service('ClusterIP')], [service('ExternalName')]))).toEqual([]);
    expect(breaking(compareRenders([service('ExternalName')], [service('ClusterIP')]))).toEqual([]);
  });

  it("should leave Helm's hooks and kept objects out of what the upgrade breaks", () => {
    const hook = (image: string) =>
      json(
        new Job({
          metadata: { name: 'migrate', namespace: 'shop', annotations: { 'helm.sh/hook': 'pre-upgrade' } },
          spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'migrate', image }] } } },
        }),
      );
    const claim = json(
      new PersistentVolumeClaim({
        metadata: { name: 'data', namespace: 'shop', annotations: { 'helm.sh/resource-policy': 'keep' } },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
      }),
    );
    expect(compareRenders([hook('migrate:1'), claim], [hook('migrate:2')]).map((finding) => [finding.severity, finding.reason])).toEqual([
      ['safe', 'a hook changed: Helm creates it anew when it runs'],
      ['safe', 'removed from the chart: Helm keeps it (helm.sh/resource-policy: keep), unmanaged from now on'],
    ]);
  });

  it('should pair objects moved to another namespace as renames, and report two objects of one identity', () => {
    const service = (namespace: string) =>
      json(new Service({ metadata: { name: 'menu', namespace }, spec: { selector: { app: 'menu' }, ports: [{ name: 'http', port: 80 }] } }));
    expect(compareRenders([service('shop')], [service('store')]).map((finding) => [summary(finding), finding.reason.split(':')[0]])).toEqual([
      ['Service store/menu [metadata.name]', 'renamed from shop/menu'],
    ]);
    expect(breaking(compareRenders([service('shop')], [service('shop'), service('shop')])).map((finding) => finding.reason)).toEqual([
      'rendered twice: Helm refuses a release with two objects of one identity',
    ]);
  });

  it('should let a Service switch between two running versions (blue/green) without reporting lost pods', () => {
    const selecting = (color: string) => json(new Service({ metadata: { name: 'menu', namespace: 'shop' }, spec: { selector: { app: 'menu', color } } }));
    const [blue, green] = [workload('menu-blue', { app: 'menu', color: 'blue' }), workload('menu-green', { app: 'menu', color: 'green' })];
    expect(breaking(compareRenders([blue, green, selecting('blue')], [blue, green, selecting('green')]))).toEqual([]);
  });

  it('should follow a principal moved from one policy to another selecting the same pods', () => {
    const policy = (name: string, principals: string[]) =>
      json(
        new AuthorizationPolicy({
          metadata: { name, namespace: 'shop' },
          spec: { selector: { matchLabels: { app: 'menu' } }, action: 'ALLOW', rules: [{ from: [{ source: { principals } }] }] },
        }),
      );
    const caller = workload('gateway', { app: 'gateway' });
    const menu = workload('menu', { app: 'menu' });
    const gateway = 'cluster.local/ns/shop/sa/default';
    expect(breaking(compareRenders([caller, menu, policy('a', [gateway]), policy('b', [])], [caller, menu, policy('a', []), policy('b', [gateway])]))).toEqual(
      [],
    );
    expect(breaking(compareRenders([caller, menu, policy('a', [gateway])], [caller, menu, policy('a', [])])).map(summary)).toEqual([
      'AuthorizationPolicy shop/a [spec.rules]',
    ]);
  });
});
