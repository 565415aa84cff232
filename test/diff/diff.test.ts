// chartkit diff: what an upgrade between two versions of a chart does, against real renders of
// restaurant-app changed in a temporary copy in each way a chart author does it, and against this
// repository's own history. Done when: `diff restaurant-app --from HEAD` reports no change on a clean
// tree, and each class of change produces exactly its finding.
import { describe, it, expect, beforeAll } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../../generator/paths.mjs';
import { diff, compareRenders, type DiffFinding } from '../../generator/diff/index.js';
import type { KubeObject } from '../../generator/checks/object.js';
import { cliRun } from '../verify/fixtures.js';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'chartkit-diff-test-'));
let copies = 0;

/** A copy of restaurant-app with `edit` applied to its template files (path → new text). */
function changedCopy(edit: (read: (file: string) => string) => Record<string, string | null>): string {
  const dir = path.join(scratch, `copy-${(copies += 1)}`);
  cpSync(path.join(repoRoot, 'charts', 'restaurant-app'), dir, { recursive: true });
  const read = (file: string) => readFileSync(path.join(dir, file), 'utf8');
  for (const [file, text] of Object.entries(edit(read))) {
    if (text === null) rmSync(path.join(dir, file));
    else writeFileSync(path.join(dir, file), text);
  }
  return dir;
}
const replaced = (read: (file: string) => string, file: string, from: string, to: string) => {
  const text = read(file);
  if (!text.includes(from)) throw new Error(`${file} has no ${JSON.stringify(from)}: the test's edit is stale`);
  return { [file]: text.replace(from, to) };
};
/** A copy whose Deployments select one more label (`track: stable`). */
const withSelectorLabel = () =>
  changedCopy((read) =>
    replaced(
      read,
      'templates/deployment.yaml',
      '      version: {{ $settings.version | quote }}\n  template:',
      '      version: {{ $settings.version | quote }}\n      track: stable\n  template:',
    ),
  );
const upgrade = (from: string, to: string) =>
  diff(repoRoot, { chart: 'restaurant-app', from, to, environment: 'prod', files: [], set: [], helm: 4 }).then((report) => report.findings);
const breaking = (findings: readonly DiffFinding[]) => findings.filter((finding) => finding.severity === 'breaking');

describe('chartkit diff of restaurant-app', () => {
  const original = path.join(repoRoot, 'charts', 'restaurant-app');

  it('should report no change between a chart and a copy of it', async () => {
    expect(
      await upgrade(
        original,
        changedCopy(() => ({})),
      ),
    ).toEqual([]);
  });

  it('should report a changed Deployment selector as breaking, naming the field, on every Deployment', async () => {
    const selector = withSelectorLabel();
    const found = breaking(await upgrade(original, selector));
    expect(found.length).toBe(7);
    expect(new Set(found.map((finding) => `${finding.object.split(' ')[0]} ${finding.field}`))).toEqual(new Set(['Deployment spec.selector']));
    expect(found[0]!.reason).toContain('the API server refuses the upgrade');
  });

  it('should report a new annotation as a safe in-place change only', async () => {
    const annotated = changedCopy((read) =>
      replaced(
        read,
        'templates/configmap.yaml',
        '  labels:\n    {{- $service.labels | nindent 4 }}\ndata:',
        '  annotations:\n    team: platform\n  labels:\n    {{- $service.labels | nindent 4 }}\ndata:',
      ),
    );
    const findings = await upgrade(original, annotated);
    expect(breaking(findings)).toEqual([]);
    expect(findings.length).toBe(7);
    for (const finding of findings)
      expect([finding.object.split(' ')[0], finding.field, finding.reason]).toEqual([
        'ConfigMap',
        'metadata.annotations',
        'changed: updated in place on upgrade',
      ]);
  });

  it('should report a removed object as deleted by Helm, safe for a disruption budget', async () => {
    const findings = await upgrade(
      original,
      changedCopy(() => ({ 'templates/poddisruptionbudget.yaml': null })),
    );
    expect(findings.map((finding) => [finding.severity, finding.object.split(' ')[0], finding.reason])).toEqual(
      Array.from({ length: 7 }, () => ['safe', 'PodDisruptionBudget', 'removed: Helm deletes it on upgrade']),
    );
  });

  it('should report a cluster IP set on a Service as breaking', async () => {
    const headless = changedCopy((read) =>
      replaced(read, 'templates/service.yaml', 'spec:\n  type: ClusterIP\n', 'spec:\n  type: ClusterIP\n  clusterIP: None\n'),
    );
    const found = breaking(await upgrade(original, headless));
    expect(found.map((finding) => `${finding.object.split(' ')[0]} ${finding.field}`)).toEqual(Array.from({ length: 7 }, () => 'Service spec.clusterIP'));
  });

  it('should report new data in an immutable ConfigMap as breaking', async () => {
    const immutable = (extra: string) => (read: (file: string) => string) =>
      replaced(read, 'templates/configmap.yaml', '\ndata:\n  {{- $service.config', `\nimmutable: true\ndata:\n${extra}  {{- $service.config`);
    const [before, after] = [changedCopy(immutable('')), changedCopy(immutable('  FEATURE_FLAGS: "on"\n'))];
    const found = breaking(await upgrade(before, after));
    expect(found.map((finding) => `${finding.object.split(' ')[0]} ${finding.field}`)).toEqual(Array.from({ length: 7 }, () => 'ConfigMap data'));
  });
});

describe('chartkit diff on the command line, against this repository', () => {
  it('should report no change from HEAD on a clean tree, and exit 0', async () => {
    const run = await cliRun('diff', ['restaurant-app', '--from', 'HEAD']);
    expect([run.exitCode, run.stdout.trimEnd().split('\n').at(-1)]).toEqual([0, 'no change']);
  });

  it('should diff the observability umbrella, assembled with its pinned upstream charts, with no change from HEAD', async () => {
    const run = await cliRun('diff', ['observability', '--from', 'HEAD']);
    expect([run.exitCode, run.stderr, run.stdout.trimEnd().split('\n')]).toEqual([
      0,
      '',
      ['chartkit diff observability: HEAD → this version, prod', 'no change'],
    ]);
  });

  it('should exit 1 with the finding for a breaking change, and 2 for a ref that does not exist', async () => {
    const selector = withSelectorLabel();
    const [broken, unknown] = await Promise.all([
      cliRun('diff', ['restaurant-app', '--from', 'HEAD', '--to', selector]),
      cliRun('diff', ['restaurant-app', '--from', 'no-such-ref']),
    ]);
    expect(broken.exitCode).toBe(1);
    expect(broken.stdout).toMatch(/^breaking: Deployment restaurant\/api-gateway \[spec\.selector\]: /m);
    expect([unknown.exitCode, unknown.stderr]).toEqual([
      2,
      expect.stringContaining('--from no-such-ref: neither a chart directory nor a git ref of this repository'),
    ]);
  });
});

describe("chartkit diff of values, from a version in this repository's history", () => {
  // 2612197: restaurant-app 0.3.2, whose istio.skipCapabilityCheck 0.4.0 replaced with global.skipCapabilityCheck.
  it('should report a key the new schema rejects, naming the key that replaces it, and exit 1', async () => {
    const run = await cliRun('diff', ['restaurant-app', '--from', '2612197', '--set', 'istio.skipCapabilityCheck=true', '--format', 'json']);
    const report = JSON.parse(run.stdout) as { findings: DiffFinding[] };
    expect(run.exitCode).toBe(1);
    expect(report.findings.map((finding) => [finding.severity, finding.object, finding.field])).toEqual([
      ['breaking', 'values', 'istio.skipCapabilityCheck'],
      ['breaking', 'values.schema.json', 'istio.skipCapabilityCheck'],
    ]);
    for (const finding of report.findings) expect(finding.reason).toContain('use `global.skipCapabilityCheck` (since 0.4.0)');
  });
});

describe('chartkit diff refusing to compare unlike renders', () => {
  it("should refuse a version without the environment's overlay, which would render under other values", async () => {
    const run = await cliRun('diff', ['restaurant-app', '--from', changedCopy(() => ({ 'values-prod.yaml': null })), '--env', 'prod']);
    expect([run.exitCode, run.stderr]).toEqual([2, expect.stringContaining('has no values-prod.yaml: the two versions would render with different values')]);
  });
});

describe('compareRenders on the kinds restaurant-app does not render', () => {
  const object = (kind: string, spec: Record<string, unknown>, apiVersion = 'apps/v1'): KubeObject => ({
    apiVersion,
    kind,
    metadata: { name: 'x', namespace: 'shop' },
    spec,
  });
  it.each([
    [
      'a StatefulSet claim template',
      object('StatefulSet', { serviceName: 'x', volumeClaimTemplates: [{ spec: { resources: { requests: { storage: '1Gi' } } } }] }),
      object('StatefulSet', { serviceName: 'x', volumeClaimTemplates: [{ spec: { resources: { requests: { storage: '2Gi' } } } }] }),
      'spec.volumeClaimTemplates',
    ],
    [
      'a shrunk claim',
      object('PersistentVolumeClaim', { resources: { requests: { storage: '10Gi' } } }, 'v1'),
      object('PersistentVolumeClaim', { resources: { requests: { storage: '5Gi' } } }, 'v1'),
      'spec.resources.requests.storage',
    ],
    [
      'a claim of another storage class',
      object('PersistentVolumeClaim', { storageClassName: 'a', resources: { requests: { storage: '1Gi' } } }, 'v1'),
      object('PersistentVolumeClaim', { storageClassName: 'b', resources: { requests: { storage: '1Gi' } } }, 'v1'),
      'spec',
    ],
    [
      'a Job template',
      object('Job', { template: { spec: { containers: [{ name: 'a', image: 'x:1' }] } } }, 'batch/v1'),
      object('Job', { template: { spec: { containers: [{ name: 'a', image: 'x:2' }] } } }, 'batch/v1'),
      'spec.template',
    ],
    [
      'a CRD version removed',
      object('CustomResourceDefinition', { versions: [{ name: 'v1' }, { name: 'v1beta1' }] }, 'apiextensions.k8s.io/v1'),
      object('CustomResourceDefinition', { versions: [{ name: 'v1' }] }, 'apiextensions.k8s.io/v1'),
      'spec.versions',
    ],
  ])('should report %s as breaking', (_title, before, after, field) => {
    expect(breaking(compareRenders([before], [after])).map((finding) => finding.field)).toEqual([field]);
  });

  it('should let a claim grow, and report a removed claim as breaking', () => {
    const claim = (size: string) => object('PersistentVolumeClaim', { resources: { requests: { storage: size } } }, 'v1');
    expect(compareRenders([claim('1Gi')], [claim('2Gi')]).map((finding) => finding.severity)).toEqual(['safe']);
    expect(compareRenders([claim('1Gi')], []).map((finding) => [finding.severity, finding.reason])).toEqual([
      ['breaking', 'removed: Helm deletes it on upgrade; its volume goes with it, unless the volume keeps a Retain policy'],
    ]);
  });
});

beforeAll(() => () => rmSync(scratch, { recursive: true, force: true }));
