// chartkit diff, the values part: keys of the user's values an upgrade breaks, against real renders
// of restaurant-app changed in a temporary copy the ways a chart author removes or renames a key.
// Done when: a key renamed in the schema is found by the schema comparison and, set by the user, as
// rejected, both naming the new key from the migration table; a key still accepted but no longer
// read by the templates is found as silently ignored; a content-only change finds nothing.
import { describe, it, expect, beforeAll } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import yaml from 'js-yaml';
import { repoRoot } from '../../generator/paths.mjs';
import { clusterApiVersions, scenarioRenders, templateArgs } from '../../generator/scenarios.js';
import { resolveHelm } from '../../generator/toolchain.js';
import {
  renderingValuesFiles,
  schemaRemovals,
  setValues,
  userValues,
  userValuesFindings,
  valuesSide,
  type ValuesMigration,
  type ValuesRender,
} from '../../generator/diff/values.js';
import type { KubeObject } from '../../generator/checks/object.js';
import { isMap, type ValueMap } from '../../values-schemas/common/merge.js';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'chartkit-diff-values-test-'));
const original = path.join(repoRoot, 'charts', 'restaurant-app');
const ENVIRONMENT = 'prod';
let copies = 0;

/** A copy of restaurant-app with `edit` applied to its files (path → new text). */
function changedCopy(edit: (read: (file: string) => string) => Record<string, string>): string {
  const dir = path.join(scratch, `copy-${(copies += 1)}`);
  cpSync(original, dir, { recursive: true });
  const read = (file: string) => readFileSync(path.join(dir, file), 'utf8');
  for (const [file, text] of Object.entries(edit(read))) writeFileSync(path.join(dir, file), text);
  return dir;
}
/** `text` with every `from` replaced; throws when there is none, so a stale edit fails the test instead of testing nothing. */
const replacedAll = (text: string, file: string, from: string, to: string) => {
  if (!text.includes(from)) throw new Error(`${file} has no ${JSON.stringify(from)}: the test's edit is stale`);
  return text.replaceAll(from, to);
};

/** The schema with a key of serviceDefaults and of every service renamed (and kept required where it was). */
function renamedInSchema(text: string, from: string, to: string): string {
  const schema = JSON.parse(text) as { properties: Record<string, ValueMap> };
  const serviceDefaults = schema.properties['serviceDefaults']!;
  const service = Object.values(schema.properties['services']!['patternProperties'] as Record<string, ValueMap>)[0]!;
  for (const node of [serviceDefaults, service]) {
    const properties = node['properties'] as Record<string, unknown>;
    if (!(from in properties)) throw new Error(`the schema has no ${from}: the test's edit is stale`);
    node['properties'] = Object.fromEntries(Object.entries(properties).map(([key, value]) => [key === from ? to : key, value]));
    if (Array.isArray(node['required'])) node['required'] = node['required'].map((key: string) => (key === from ? to : key));
  }
  return `${JSON.stringify(schema, null, 2)}\n`;
}

const GRACE = 'terminationGracePeriodSeconds';
/** A copy that renames `serviceDefaults.terminationGracePeriodSeconds` (and each service's) to `shutdownSeconds`: schema, defaults and template. */
const renamedGrace = () =>
  changedCopy((read) => ({
    'values.schema.json': renamedInSchema(read('values.schema.json'), GRACE, 'shutdownSeconds'),
    'values.yaml': replacedAll(read('values.yaml'), 'values.yaml', `  ${GRACE}: 30\n`, '  shutdownSeconds: 30\n'),
    'templates/deployment.yaml': replacedAll(read('templates/deployment.yaml'), 'deployment.yaml', `$settings.${GRACE}`, '$settings.shutdownSeconds'),
  }));
/** A copy whose pods always get 30 s to stop: the schema still takes the key, the template no longer reads it. */
const hardcodedGrace = () =>
  changedCopy((read) => ({
    'templates/deployment.yaml': replacedAll(read('templates/deployment.yaml'), 'deployment.yaml', `{{ $settings.${GRACE} | int64 }}`, '30'),
  }));

const RENAME: readonly ValuesMigration[] = [
  { from: `serviceDefaults.${GRACE}`, to: 'serviceDefaults.shutdownSeconds', since: '0.5.0' },
  { from: `services.*.${GRACE}`, to: 'services.*.shutdownSeconds', since: '0.5.0' },
];

/** `helm template` of a chart folder as `chartkit diff` renders it: the environment's overlay first, then the values. */
const render: ValuesRender = renderingValuesFiles(scratch, async (chartDir, valuesFile) => {
  const namespace = scenarioRenders(['restaurant-app']).find((candidate) => candidate.scenario === ENVIRONMENT)?.namespace ?? 'default';
  const args = templateArgs({
    release: 'restaurant-app',
    chart: chartDir,
    namespace,
    values: [path.join(chartDir, `values-${ENVIRONMENT}.yaml`), valuesFile],
    apiVersions: clusterApiVersions(),
  });
  const result = await execa(resolveHelm(4), args, { reject: false });
  if (result.exitCode !== 0) return { ok: false, error: result.stderr };
  return { ok: true, objects: yaml.loadAll(result.stdout).filter(isMap) as unknown as KubeObject[] };
});

const schemaOf = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'values.schema.json'), 'utf8')) as unknown;
const upgrade = (to: string, values: ValueMap, migrations: readonly ValuesMigration[] = []) =>
  userValuesFindings({ old: valuesSide(original, ENVIRONMENT), next: valuesSide(to, ENVIRONMENT), values, migrations, render, concurrency: 2 });

describe('the values restaurant-app users set, across an upgrade', () => {
  it('should find a key renamed in the schema, under serviceDefaults and every service, naming the new key', () => {
    expect(schemaRemovals(schemaOf(original), schemaOf(renamedGrace()), RENAME)).toEqual([
      {
        severity: 'breaking',
        object: 'values.schema.json',
        field: `serviceDefaults.${GRACE}`,
        reason: `the new schema rejects \`serviceDefaults.${GRACE}\`: a values file that sets it no longer installs; use \`serviceDefaults.shutdownSeconds\` (since 0.5.0)`,
      },
      {
        severity: 'breaking',
        object: 'values.schema.json',
        field: `services.*.${GRACE}`,
        reason: `the new schema rejects \`services.*.${GRACE}\`: a values file that sets it no longer installs; use \`services.*.shutdownSeconds\` (since 0.5.0)`,
      },
    ]);
  });

  it("should report the user's keys the new schema rejects, from -f and --set, with the new key for that service", async () => {
    const values = userValues(
      [{ services: { 'order-service': { [GRACE]: 60 } } }, { serviceDefaults: { podAnnotations: { team: 'orders' } } }],
      [`serviceDefaults.${GRACE}=45`],
    );
    expect(await upgrade(renamedGrace(), values, RENAME)).toEqual([
      {
        severity: 'breaking',
        object: 'values',
        field: `services.order-service.${GRACE}`,
        reason: `the new schema rejects \`services.order-service.${GRACE}\` (the key is not declared): the upgrade with these values fails; use \`services.order-service.shutdownSeconds\` (since 0.5.0)`,
      },
      {
        severity: 'breaking',
        object: 'values',
        field: `serviceDefaults.${GRACE}`,
        reason: `the new schema rejects \`serviceDefaults.${GRACE}\` (the key is not declared): the upgrade with these values fails; use \`serviceDefaults.shutdownSeconds\` (since 0.5.0)`,
      },
    ]);
  });

  it('should report a key the schema still accepts but the templates no longer read, and not one set to its default', async () => {
    const values = { serviceDefaults: { [GRACE]: 45, podAnnotations: { team: 'orders' }, metrics: { path: '/metrics' } } };
    const dropped: ValuesMigration = { from: `serviceDefaults.${GRACE}`, since: '0.5.0', note: 'pods get 30 s to stop' };
    expect(await upgrade(hardcodedGrace(), values, [dropped])).toEqual([
      {
        severity: 'breaking',
        object: 'values',
        field: `serviceDefaults.${GRACE}`,
        reason: `the new templates no longer read \`serviceDefaults.${GRACE}\`: the old ones did, the upgrade silently ignores it now; removed in 0.5.0: pods get 30 s to stop`,
      },
    ]);
  });

  it("should not call a key unread when the new version defaults to the user's value", async () => {
    // GIVEN a new version whose default grace period is the one the user sets (and still read)
    const newDefault = changedCopy((read) => ({ 'values.yaml': replacedAll(read('values.yaml'), 'values.yaml', `  ${GRACE}: 30\n`, `  ${GRACE}: 45\n`) }));
    expect(await upgrade(newDefault, { serviceDefaults: { [GRACE]: 45 } })).toEqual([]);
  });

  it('should find nothing for a content-only change (a new annotation)', async () => {
    const annotated = changedCopy((read) => ({
      'templates/configmap.yaml': replacedAll(
        read('templates/configmap.yaml'),
        'configmap.yaml',
        '  labels:\n    {{- $service.labels | nindent 4 }}\ndata:',
        '  annotations:\n    team: platform\n  labels:\n    {{- $service.labels | nindent 4 }}\ndata:',
      ),
    }));
    expect(schemaRemovals(schemaOf(original), schemaOf(annotated), RENAME)).toEqual([]);
    expect(await upgrade(annotated, { serviceDefaults: { [GRACE]: 45, config: { LOG_LEVEL: 'debug' } } }, RENAME)).toEqual([]);
  });
});

describe('schemaRemovals on the schema shapes restaurant-app does not use', () => {
  const closed = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    type: 'object',
    additionalProperties: false,
    properties,
    ...extra,
  });
  it.each([
    [
      'a key removed inside a $defs node both versions reference',
      closed({ store: { $ref: '#/$defs/store' } }, { $defs: { store: closed({ host: { type: 'string' }, port: { type: 'integer' } }) } }),
      closed({ store: { $ref: '#/$defs/store' } }, { $defs: { store: closed({ host: { type: 'string' } }) } }),
      ['store.port'],
    ],
    [
      'a key removed from the entries of an additionalProperties map',
      closed({ stores: { type: 'object', additionalProperties: closed({ host: { type: 'string' }, tls: { type: 'boolean' } }) } }),
      closed({ stores: { type: 'object', additionalProperties: closed({ host: { type: 'string' } }) } }),
      ['stores.*.tls'],
    ],
    [
      'a map made an object of declared keys',
      closed({ labels: { type: 'object', patternProperties: { '^[a-z]+$': { type: 'string' } } } }),
      closed({ labels: closed({ team: { type: 'string' } }) }),
      ['labels.*'],
    ],
    [
      'a type narrowed and an enum value dropped, inside list items',
      closed({ rules: { type: 'array', items: closed({ match: { type: ['object', 'string'] }, mode: { type: 'string', enum: ['a', 'b'] } }) } }),
      closed({ rules: { type: 'array', items: closed({ match: { type: 'string' }, mode: { type: 'string', enum: ['a'] } }) } }),
      ['rules[].match', 'rules[].mode'],
    ],
  ])('should report %s', (_title, before, after, fields) => {
    expect(schemaRemovals(before, after).map((finding) => finding.field)).toEqual(fields);
  });

  it('should accept keys the new schema leaves open, integers where it takes numbers, and walk a recursive schema once', () => {
    const tree = { $defs: { node: closed({ name: { type: 'integer' }, children: { type: 'array', items: { $ref: '#/$defs/node' } } }) }, $ref: '#/$defs/node' };
    const wider = { $defs: { node: closed({ name: { type: 'number' }, children: { type: 'array', items: { $ref: '#/$defs/node' } } }) }, $ref: '#/$defs/node' };
    expect(schemaRemovals(tree, wider)).toEqual([]);
    expect(schemaRemovals(closed({ a: { type: 'string' } }), { type: 'object', properties: {} })).toEqual([]);
    expect(schemaRemovals(closed({ a: { type: 'string' } }), closed({}), [{ from: 'a', since: '2.0.0' }])).toEqual([
      {
        severity: 'breaking',
        object: 'values.schema.json',
        field: 'a',
        reason: 'the new schema rejects `a`: a values file that sets it no longer installs; removed in 2.0.0',
      },
    ]);
  });
});

describe('the inputs of the values analysis', () => {
  it('should parse --set pairs with types and escapes, later values winning over -f files', () => {
    expect(setValues(['a.b=1,c=true', 'd\\.e=x\\,y', 'f=null', 'g=007', 'h.i=-3', 'j=yes'])).toEqual({
      a: { b: 1 },
      c: true,
      'd.e': 'x,y',
      f: null,
      g: '007',
      h: { i: -3 },
      j: 'yes',
    });
    expect(userValues([{ a: { b: 1, c: 2 } }, { a: { c: 3 } }], ['a.b=4'])).toEqual({ a: { b: 4, c: 3 } });
  });

  it('should leave out keys the old schema rejected too, and name the replacement from the most specific migration', async () => {
    const renders: ValuesRender = async () => ({ ok: true, objects: [] });
    const closed = (properties: Record<string, unknown>) => ({ type: 'object', additionalProperties: false, properties });
    const old = { dir: 'old', schema: closed({ x: closed({ a: { type: 'integer' }, b: { type: 'integer' } }) }), defaults: {} };
    const next = { dir: 'new', schema: closed({}), defaults: {} };
    const migrations: ValuesMigration[] = [
      { from: 'x', to: 'y', since: '2.0.0' },
      { from: 'x.a', to: 'z', since: '2.1.0' },
    ];
    const findings = await userValuesFindings({ old, next, values: { x: { a: 1, b: 2 }, stray: true }, migrations, render: renders });
    expect(findings.map((finding) => [finding.field, finding.reason])).toEqual([
      ['x.a', 'the new schema rejects `x.a` (`x` is not declared): the upgrade with these values fails; use `z` (since 2.1.0)'],
      ['x.b', 'the new schema rejects `x.b` (`x` is not declared): the upgrade with these values fails; use `y.b` (since 2.0.0)'],
    ]);
  });

  it('should blame a newly required key on the user only where the user added the entry or deleted the key', async () => {
    const renders: ValuesRender = async () => ({ ok: true, objects: [] });
    const schema = (required: string[]) => ({
      type: 'object',
      required: ['level'],
      properties: {
        level: { type: 'string' },
        services: { type: 'object', additionalProperties: { type: 'object', required, properties: { port: { type: 'integer' }, owner: { type: 'string' } } } },
      },
    });
    const defaults = { level: 'info', services: { web: { port: 80, owner: 'web-team' } } };
    const findings = await userValuesFindings({
      old: { dir: 'old', schema: { ...schema([]), required: [] }, defaults },
      next: { dir: 'new', schema: schema(['owner']), defaults },
      values: { level: null, services: { web: { port: 8080 }, mine: { port: 81 } } },
      render: renders,
    });
    expect(findings.map((finding) => [finding.field, finding.reason])).toEqual([
      ['level', 'the new schema rejects `level` (`level` is required): the upgrade with these values fails'],
      ['services.mine.port', 'the new schema rejects `services.mine.port` (`services.mine.owner` is required): the upgrade with these values fails'],
    ]);
  });

  it('should run at most `concurrency` renders at once', async () => {
    let running = 0;
    let most = 0;
    const slow: ValuesRender = async () => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running -= 1;
      return { ok: true, objects: [] };
    };
    const side = { dir: 'x', schema: {}, defaults: {} };
    const values = { a: 1, b: 2, c: 3, d: 4, e: 5 };
    expect(await userValuesFindings({ old: side, next: side, values, render: slow, concurrency: 2 })).toEqual([]);
    expect(most).toBe(2);
  });
});

beforeAll(() => () => rmSync(scratch, { recursive: true, force: true }));
