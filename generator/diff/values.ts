/**
 * What an upgrade does to the values users install a chart with: the keys the new
 * values.schema.json rejects (read from the two schemas, and from the user's own values validated
 * against each), and the keys of the user's values the old templates read that the new ones ignore
 * (read from renders with and without each key). Where the chart's migration table names the key
 * that replaces one, the finding says so. The analysis is pure; the renders come through the
 * function the caller passes, and the two helpers at the end are the only file I/O.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import yaml from 'js-yaml';
import { childSchema, type SchemaNode } from '../emit/schema-walk.js';
import { errorValuesPath, withoutNulls } from '../emit/values-check.js';
import { inParallel } from '../parallel.js';
import type { KubeObject } from '../checks/object.js';
import { isMap, mergeValues, type ValueMap } from '../../values-schemas/common/merge.js';
import type { DiffFinding } from './compare.js';
import { identityOf } from './identity.js';

/**
 * One entry of a chart's migration table: a values key a version removed or renamed. Paths are
 * dotted; `*` stands for any one key of a map (`services.*.replicas`).
 */
export interface ValuesMigration {
  /** The values path in the old version, e.g. `serviceDefaults.replicas`. */
  readonly from: string;
  /** The key replacing it, when one does; its `*`s take the keys `from`'s matched. */
  readonly to?: string;
  /** The chart version that made the change. */
  readonly since: string;
  readonly note?: string;
}

/** A render of a chart folder with values (beneath them, whatever the caller adds: the environment's overlay). */
export type ValuesRender = (
  chartDir: string,
  values: ValueMap,
) => Promise<{ readonly ok: true; readonly objects: KubeObject[] } | { readonly ok: false; readonly error: string }>;

/** One version of a chart, as the values analysis reads it. */
export interface ValuesSide {
  /** The chart folder, passed to the render. */
  readonly dir: string;
  /** Its values.schema.json, parsed. */
  readonly schema: unknown;
  /** What the chart puts beneath the user's values: its values.yaml merged with the environment's overlay. */
  readonly defaults: ValueMap;
}

/** The inputs of {@link userValuesFindings}. */
export interface UserValuesInputs {
  readonly old: ValuesSide;
  readonly next: ValuesSide;
  /** The user's own values: the `-f` files merged in order, then the `--set` pairs ({@link userValues}). */
  readonly values: ValueMap;
  /** The new version's migration table. */
  readonly migrations?: readonly ValuesMigration[];
  readonly render: ValuesRender;
  /** Renders at once. @default the number of cores */
  readonly concurrency?: number;
}

// Paths are kept as keys (a config key may hold dots) and only dotted for messages; `*` stands for
// any key of a map, `[]` for any item of a list.
type Path = readonly string[];
const dotted = (keys: Path) => keys.reduce((text, key) => (key === '[]' ? `${text}[]` : text ? `${text}.${key}` : key), '');
const isPrefix = (prefix: Path, keys: Path) => prefix.length <= keys.length && prefix.every((key, index) => key === keys[index]);

/**
 * The migration that covers a path (the one with the longest `from` equal to it or to one of its
 * ancestors), with its `to` spelled for this path: wildcards filled, the keys below `from` kept.
 */
function migrationOf(keys: Path, migrations: readonly ValuesMigration[]): ValuesMigration | undefined {
  let best: { migration: ValuesMigration; from: string[] } | undefined;
  for (const migration of migrations) {
    const from = migration.from.split('.');
    if (from.length > keys.length || !from.every((key, index) => key === '*' || key === keys[index])) continue;
    if (!best || from.length > best.from.length) best = { migration, from };
  }
  if (!best) return undefined;
  const { migration, from } = best;
  if (migration.to === undefined) return migration;
  const matched = from.flatMap((key, index) => (key === '*' ? [keys[index]!] : []));
  const to = migration.to.split('.').map((key) => (key === '*' ? (matched.shift() ?? key) : key));
  return { ...migration, to: dotted([...to, ...keys.slice(from.length)]) };
}

/** The tail of a reason that names the replacement, or when the key went. */
function instead(keys: Path, migrations: readonly ValuesMigration[]): string {
  const migration = migrationOf(keys, migrations);
  if (!migration) return '';
  const note = migration.note ? `: ${migration.note}` : '';
  return migration.to ? `; use \`${migration.to}\` (since ${migration.since}${note})` : `; removed in ${migration.since}${note}`;
}

/** A node with its local `$ref`s followed (`#/$defs/name`, any JSON pointer into the same document); undefined for a ref that leaves it. */
function resolved(node: SchemaNode | undefined, root: unknown): SchemaNode | undefined {
  const seen = new Set<string>();
  let current = node;
  while (current?.$ref !== undefined) {
    const ref = current.$ref;
    if (!ref.startsWith('#') || seen.has(ref)) return undefined;
    seen.add(ref);
    let target: unknown = root;
    for (const key of ref.slice(1).split('/').slice(1))
      target = isMap(target) ? target[decodeURIComponent(key).replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
    current = isMap(target) ? (target as SchemaNode) : undefined;
  }
  return current;
}

/** The schema of any key of a map node: its first pattern's, else its `additionalProperties` schema. */
function mapValueSchema(node: SchemaNode): SchemaNode | undefined {
  const [pattern] = Object.values(node.patternProperties ?? {});
  return pattern ?? (isMap(node.additionalProperties) ? node.additionalProperties : undefined);
}

/** Whether a node combines subschemas, which this walk does not pair up. */
const composed = (node: SchemaNode) => ['anyOf', 'oneOf', 'allOf'].some((keyword) => keyword in node);
const typesOf = (node: SchemaNode) => (node.type === undefined ? undefined : typeof node.type === 'string' ? [node.type] : [...node.type]);

/**
 * The values paths the old chart's schema accepts and the new one rejects: a key removed from an
 * object the new schema closes (`additionalProperties: false`), a map closed or removed (`services.*`),
 * a type narrowed (object → string) and enum values dropped. Keys the new schema leaves open are
 * accepted, and a node under `anyOf`/`oneOf`/`allOf` is not compared (either would need the
 * branches matched up). Each is `breaking`: a values file that sets it no longer installs.
 * @param migrations - the new version's migration table, to name the key replacing each
 */
export function schemaRemovals(oldSchema: unknown, newSchema: unknown, migrations: readonly ValuesMigration[] = []): DiffFinding[] {
  const findings: DiffFinding[] = [];
  const report = (keys: Path, why: string) =>
    findings.push({
      severity: 'breaking',
      object: 'values.schema.json',
      field: dotted(keys),
      reason: `the new schema rejects ${why}: a values file that sets it no longer installs${instead(keys, migrations)}`,
    });
  // A recursive schema ($ref to an ancestor) is walked once along each path.
  const walk = (before: SchemaNode | undefined, after: SchemaNode | undefined, keys: Path, trail: ReadonlySet<SchemaNode>) => {
    const [a, b] = [resolved(before, oldSchema), resolved(after, newSchema)];
    if (!a || !b || trail.has(a) || composed(a) || composed(b)) return;
    const [typesA, typesB] = [typesOf(a), typesOf(b)];
    const lost = typesA && typesB ? typesA.filter((type) => !typesB.includes(type) && !(type === 'integer' && typesB.includes('number'))) : [];
    if (lost.length > 0) {
      report(keys, `\`${dotted(keys)}\` as ${lost.join(' or ')} (it takes ${typesB!.join(' or ')} now)`);
      return;
    }
    if (a.enum && b.enum) {
      const dropped = a.enum.filter((value) => !b.enum!.some((kept) => isDeepStrictEqual(kept, value)));
      if (dropped.length > 0) report(keys, `\`${dotted(keys)}: ${dropped.map((value) => JSON.stringify(value)).join(' | ')}\``);
    }
    const inside = new Set([...trail, a]);
    const closed = b.additionalProperties === false;
    for (const [key, child] of Object.entries(a.properties ?? {})) {
      // A key none of the new patterns matches falls to additionalProperties, as in the validator.
      const counterpart = childSchema(b, key) ?? (isMap(b.additionalProperties) ? b.additionalProperties : undefined);
      if (counterpart) walk(child, counterpart, [...keys, key], inside);
      else if (closed) report([...keys, key], `\`${dotted([...keys, key])}\``);
    }
    const entries = mapValueSchema(a);
    if (entries) {
      const counterpart = mapValueSchema(b);
      if (counterpart) walk(entries, counterpart, [...keys, '*'], inside);
      // A map the new schema makes an object of declared keys takes only those: its other keys are rejected.
      else if (closed) report([...keys, '*'], `the keys of \`${dotted(keys)}\` other than ${Object.keys(b.properties ?? {}).join(', ') || 'none'}`);
    }
    if (a.items && b.items) walk(a.items, b.items, [...keys, '[]'], inside);
  };
  walk(oldSchema as SchemaNode, newSchema as SchemaNode, [], new Set());
  return findings.sort((x, y) => x.field!.localeCompare(y.field!));
}

/**
 * Parses `--set` pairs as Helm does for the simple cases: `a.b=c`, several pairs split by commas,
 * `\.` and `\,` escaped; `true`/`false`, `null` and integers typed, anything else a string. Lists
 * (`a[0]=x`, `{x,y}`) are not supported; a pair without `=` is left out.
 */
export function setValues(pairs: readonly string[]): ValueMap {
  const out: ValueMap = {};
  const split = (text: string, separator: string) => text.split(new RegExp(`(?<!\\\\)\\${separator}`)).map((part) => part.replace(/\\([.,=])/g, '$1'));
  for (const pair of pairs.flatMap((text) => text.split(/(?<!\\),/))) {
    const at = pair.search(/(?<!\\)=/);
    if (at < 0) continue;
    const keys = split(pair.slice(0, at), '.');
    const text = pair.slice(at + 1).replace(/\\,/g, ',');
    const value = /^(true|false)$/i.test(text)
      ? text.toLowerCase() === 'true'
      : text === 'null'
        ? null
        : /^(0|-?[1-9][0-9]*)$/.test(text) && Number.isSafeInteger(Number(text))
          ? Number(text)
          : text;
    let map = out;
    for (const key of keys.slice(0, -1)) {
      if (!isMap(map[key])) map[key] = {};
      map = map[key] as ValueMap;
    }
    map[keys.at(-1)!] = value;
  }
  return out;
}

/** The user's values as Helm merges them over the chart's: the `-f` documents in order, then the `--set` pairs. */
export function userValues(documents: readonly ValueMap[], set: readonly string[]): ValueMap {
  return mergeValues({}, ...documents, setValues(set));
}

/** The dotted paths of the keys a values map sets (see {@link leafPaths}). */
export const setKeys = (values: ValueMap): string[] => leafPaths(values).map(dotted);

/** The keys a values map sets, as paths: each scalar, list, null and empty map (Helm replaces lists whole, so a list is one key). */
function leafPaths(values: ValueMap, prefix: Path = []): Path[] {
  return Object.entries(values).flatMap(([key, value]) =>
    isMap(value) && Object.keys(value).length > 0 ? leafPaths(value, [...prefix, key]) : [[...prefix, key]],
  );
}

/** The values with one key taken out (the maps around it copied, the rest shared). */
function without(values: ValueMap, keys: Path): ValueMap {
  const [key, ...rest] = keys;
  if (key === undefined || !(key in values)) return values;
  const { [key]: child, ...others } = values;
  return rest.length === 0 || !isMap(child) ? others : { ...others, [key]: without(child, rest) };
}

const lookup = (values: unknown, keys: Path): unknown => keys.reduce<unknown>((node, key) => (isMap(node) ? node[key] : undefined), values);

// Compiled once per schema document; a fresh Ajv each, so two versions' schemas never share ids.
const validators = new WeakMap<object, ValidateFunction>();
function validatorOf(schema: unknown): ValidateFunction {
  const document = isMap(schema) ? schema : {};
  let validate = validators.get(document);
  if (!validate) {
    validate = new Ajv({ allErrors: true, strict: false }).compile(document);
    validators.set(document, validate);
  }
  return validate;
}

/** Why a schema error concerns a key, in a few words. */
function errorDetail(error: ErrorObject, at: Path, key: Path): string {
  const where = isDeepStrictEqual(at, key) ? '' : `\`${dotted(at)}\` `;
  if (error.keyword === 'additionalProperties') return `${where || 'the key '}is not declared`;
  if (error.keyword === 'required') return `\`${dotted(at)}\` is required`;
  return `${where}${error.message ?? error.keyword}`;
}

/**
 * The user's keys a side's schema rejects, with why: the user's values are validated over the
 * side's defaults (as Helm validates the merged values, nulls deleted), and an error concerns a key
 * when it is at the key, above it or inside it; a `required` error only when the user deleted that
 * key (null) or added the map entry that lacks it, since the chart's defaults satisfy its schema.
 */
function rejectedKeys(side: ValuesSide, values: ValueMap, keys: readonly Path[]): Map<string, string> {
  const validate = validatorOf(side.schema);
  const rejected = new Map<string, string>();
  if (validate(withoutNulls(mergeValues(side.defaults, values)))) return rejected;
  for (const error of validate.errors ?? []) {
    const at = errorValuesPath(error);
    const parent = at.slice(0, -1);
    for (const key of keys) {
      const concerns =
        error.keyword === 'required'
          ? isDeepStrictEqual(at, key) || (parent.length > 0 && isPrefix(parent, key) && lookup(side.defaults, parent) === undefined)
          : isPrefix(at, key) || isPrefix(key, at);
      const id = JSON.stringify(key);
      if (concerns && !rejected.has(id)) rejected.set(id, errorDetail(error, at, key));
    }
  }
  return rejected;
}

/**
 * What the upgrade does to the user's own values, key by key (each key they set, not the chart's
 * defaults): a key the new schema rejects and the old one accepted is `breaking` (the upgrade with
 * these values fails); a key the old templates read and the new ones do not is `breaking` too (the
 * upgrade succeeds and silently drops the setting). A key is read when the render without it
 * differs from the render with it (or fails); a key set to what the chart defaults to is read by
 * neither. The new side is rendered without the keys it rejects. Renders: four, one per key on the
 * old side, and one per key the old side reads on the new side, at most `concurrency` at once.
 * Each side's base is rendered twice: objects that differ between the two are not compared.
 */
export async function userValuesFindings(inputs: UserValuesInputs): Promise<DiffFinding[]> {
  const { old, next, values, render } = inputs;
  const migrations = inputs.migrations ?? [];
  const keys = leafPaths(values);
  const [rejectedBefore, rejectedAfter] = [rejectedKeys(old, values, keys), rejectedKeys(next, values, keys)];
  const finding = (key: Path, reason: string): DiffFinding => ({ severity: 'breaking', object: 'values', field: dotted(key), reason });
  const findings: DiffFinding[] = [];
  const refused: Path[] = [];
  for (const key of keys) {
    const detail = rejectedAfter.get(JSON.stringify(key));
    // Rejected by both: the old version did not install with these values either; its render reports that.
    if (detail === undefined || rejectedBefore.has(JSON.stringify(key))) continue;
    refused.push(key);
    findings.push(finding(key, `the new schema rejects \`${dotted(key)}\` (${detail}): the upgrade with these values fails${instead(key, migrations)}`));
  }

  // No keys of the user's own: nothing to render them with and without.
  if (keys.length === 0) return findings;
  const limit = inputs.concurrency ?? os.availableParallelism();
  const accepted = refused.reduce(without, values);
  const [before, after, beforeAgain, afterAgain] = await inParallel(
    [() => render(old.dir, values), () => render(next.dir, accepted), () => render(old.dir, values), () => render(next.dir, accepted)],
    limit,
  );
  // A side that does not render with the values at all reads nothing here; the diff's own render reports it.
  if (!before?.ok || !after?.ok || !beforeAgain?.ok || !afterAgain?.ok) return findings;
  // Objects that differ between two renders of the same values (a generated password, a CA) say
  // nothing about which keys are read: they are left out of every comparison of their side.
  const unstable = (a: KubeObject[], b: KubeObject[]) => {
    const index = new Map(b.map((object) => [identityOf(object), object]));
    return new Set(a.filter((object) => !isDeepStrictEqual(object, index.get(identityOf(object)))).map(identityOf));
  };
  const shaky = new Map([
    [old.dir, unstable(before.objects, beforeAgain.objects)],
    [next.dir, unstable(after.objects, afterAgain.objects)],
  ]);
  const stable = (dir: string, objects: KubeObject[]) => objects.filter((object) => !shaky.get(dir)?.has(identityOf(object)));
  const reads = async (dir: string, base: KubeObject[], from: ValueMap, key: Path) => {
    const rendered = await render(dir, without(from, key));
    return !rendered.ok || !isDeepStrictEqual(stable(dir, rendered.objects), stable(dir, base));
  };
  // A key the new version defaults to the user's value takes effect either way: a render without it cannot tell whether it is read.
  const candidates = keys.filter((key) => !rejectedAfter.has(JSON.stringify(key)) && !isDeepStrictEqual(lookup(next.defaults, key), lookup(values, key)));
  // One task per key, so the new side is asked only about the keys the old side reads.
  const dropped = await inParallel(
    candidates.map((key) => async () => (await reads(old.dir, before.objects, values, key)) && !(await reads(next.dir, after.objects, accepted, key))),
    limit,
  );
  candidates.forEach((key, index) => {
    if (dropped[index])
      findings.push(
        finding(key, `the new templates no longer read \`${dotted(key)}\`: the old ones did, the upgrade silently ignores it now${instead(key, migrations)}`),
      );
  });
  return findings;
}

/** One version of a chart folder as {@link userValuesFindings} reads it: its schema, and its values.yaml under the environment's overlay (when it has one). */
export function valuesSide(dir: string, environment: string): ValuesSide {
  const read = (file: string): ValueMap => {
    let text: string;
    try {
      text = readFileSync(path.join(dir, file), 'utf8');
    } catch {
      return {};
    }
    const parsed = yaml.load(text);
    return isMap(parsed) ? parsed : {};
  };
  let schema: unknown = {};
  try {
    schema = JSON.parse(readFileSync(path.join(dir, 'values.schema.json'), 'utf8'));
  } catch {
    // A chart without a schema accepts any values, as Helm does.
  }
  return { dir, schema, defaults: mergeValues(read('values.yaml'), read(`values-${environment}.yaml`)) };
}

/**
 * A {@link ValuesRender} from a render of values files: each values map is written to its own
 * file in a new folder below `scratch` (the caller's, removed with it) and passed on. The file is
 * JSON, which is YAML Helm cannot read another way (a string `yes` stays a string).
 */
export function renderingValuesFiles(scratch: string, renderFile: (chartDir: string, valuesFile: string) => ReturnType<ValuesRender>): ValuesRender {
  const folder = mkdtempSync(path.join(scratch, 'values-'));
  let count = 0;
  return (chartDir, values) => {
    count += 1;
    const file = path.join(folder, `values-${count}.json`);
    writeFileSync(file, JSON.stringify(values));
    return renderFile(chartDir, file);
  };
}
