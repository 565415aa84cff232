/**
 * The README's values table, derived from the schema and the defaults. Every value a user can set
 * gets a row, map entries included: a map is documented by its entry, `<map>.<name>`, and, when
 * the entries are objects, by one row per entry field, `<map>.<name>.<field>`.
 */
import { typeLabel, type SchemaNode } from './schema-walk.js';

/** One row of the values table. */
export interface ValuesRow {
  readonly path: string;
  readonly type: string;
  readonly defaultValue: string;
  readonly description: string;
}

/**
 * A block the table documents in one row instead of one per field. A path alone is one row for the
 * whole block (a subchart's values, documented in that chart's README). With `repeats`, the fields
 * the block shares with the block at `repeats` (its overrides: `services.<name>` repeats
 * `serviceDefaults`) become one row `<path>.*` that points there; its own fields keep their rows.
 */
export type ValuesCollapse = string | { readonly path: string; readonly repeats: string };

/** Placeholder of a map key in a row's path. */
const KEY = '<name>';

/** Longest per-entry default listing; longer ones list the entries only. */
const MAX_LISTING = 200;

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (text: string) => `\`${cell(text)}\``;

function lookup(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null || !(segment in current)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/** The values at `path` in the defaults, `<name>` standing for every key there, with the keys it took. */
function instances(value: unknown, path: readonly string[], keys: readonly string[] = []): Array<{ keys: string[]; value: unknown }> {
  if (value === undefined) return [];
  if (path.length === 0) return [{ keys: [...keys], value }];
  const [segment = '', ...rest] = path;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  const record = value as Record<string, unknown>;
  if (segment === KEY) return Object.keys(record).flatMap((key) => instances(record[key], rest, [...keys, key]));
  return segment in record ? instances(record[segment], rest, keys) : [];
}

const isObjectNode = (node: SchemaNode) => node.properties !== undefined || node.patternProperties !== undefined;
const joinSentences = (...texts: Array<string | undefined>) => texts.filter((text): text is string => Boolean(text)).join(' ');

/**
 * The default cell. A path without `<name>` shows its default. A map entry (`…<name>`) lists the
 * entries the defaults hold, with their values when they are scalars; a field of map entries lists
 * each entry's value, or, when that is too long, which entries set it.
 */
function defaultCell(defaults: unknown, path: readonly string[], entryIsObject: boolean): string {
  if (!path.includes(KEY)) {
    const value = lookup(defaults, path);
    return value === undefined ? '' : code(JSON.stringify(value));
  }
  const found = instances(defaults, path);
  if (found.length === 0) {
    // A map the defaults hold (in some entry of the map around it), empty: say so rather than leave the cell blank.
    if (path.at(-1) !== KEY) return '';
    const parent = path.slice(0, -1);
    const anchor = parent.includes(KEY) ? parent.slice(0, parent.lastIndexOf(KEY) + 1) : parent;
    return instances(defaults, anchor).length > 0 ? 'no entries' : '';
  }
  const label = (keys: readonly string[]) => code(keys.join('.'));
  if (path.at(-1) === KEY && entryIsObject) return `entries: ${found.map((entry) => label(entry.keys)).join(', ')}`;
  const listing = found.map((entry) => `${label(entry.keys)}: ${code(JSON.stringify(entry.value))}`).join(', ');
  if (listing.length <= MAX_LISTING) return listing;
  const entries = [...new Set(found.map((entry) => entry.keys[0]!))];
  return `set for ${entries.map((key) => code(key)).join(', ')}`;
}

/** The repeated block's leaves as paths below it, for the example in the collapsed row. */
function leafPaths(node: SchemaNode, prefix: string[] = []): string[] {
  return Object.entries(node.properties ?? {}).flatMap(([key, child]) =>
    child.properties ? leafPaths(child, [...prefix, key]) : [[...prefix, key].join('.')],
  );
}

/**
 * Lists every documented value path with type, default and description; map entries are walked
 * into (see the module comment). `collapse` names the blocks that get fewer rows ({@link ValuesCollapse}).
 */
export function valuesRows(schema: SchemaNode, defaults: unknown, collapse: readonly ValuesCollapse[] = []): ValuesRow[] {
  const rows: ValuesRow[] = [];
  const whole = new Set(collapse.filter((entry): entry is string => typeof entry === 'string'));
  const repeating = new Map(
    collapse.filter((entry): entry is Exclude<ValuesCollapse, string> => typeof entry !== 'string').map((entry) => [entry.path, entry.repeats]),
  );
  const used = new Set<string>();
  const push = (path: readonly string[], type: string, defaultValue: string, description: string | undefined) =>
    rows.push({ path: path.join('.'), type, defaultValue, description: cell(description ?? '') });

  const walk = (node: SchemaNode, path: string[]) => {
    if (path.length > 0 && whole.has(path.join('.'))) {
      used.add(path.join('.'));
      push(path, typeLabel(node), defaultCell(defaults, path, true), node.description);
      return;
    }
    if (node.patternProperties) {
      // A map: its entry is a row of its own (which entries the defaults hold), then its fields.
      for (const entry of Object.values(node.patternProperties)) {
        const entryPath = [...path, KEY];
        const entryIsObject = isObjectNode(entry);
        push(
          entryPath,
          entryIsObject ? 'object' : typeLabel(entry),
          defaultCell(defaults, entryPath, entryIsObject),
          joinSentences(node.description, entry.description),
        );
        if (whole.has(entryPath.join('.'))) {
          used.add(entryPath.join('.'));
          continue;
        }
        if (entry.properties) walkFields(entry, entryPath);
        else if (entry.patternProperties) walk(entry, entryPath);
      }
      return;
    }
    if (node.properties) return walkFields(node, path);
    push(path, typeLabel(node), defaultCell(defaults, path, false), node.description);
  };

  const walkFields = (node: SchemaNode, path: string[]) => {
    const joined = path.join('.');
    const repeats = repeating.get(joined);
    const repeated = repeats === undefined ? undefined : lookupSchema(schema, repeats.split('.'));
    if (repeats !== undefined) used.add(joined);
    if (repeats !== undefined && !repeated?.properties) throw new Error(`values table: ${joined} repeats ${repeats}, which is not a block of the schema`);
    let pointed = false;
    for (const [key, child] of Object.entries(node.properties ?? {})) {
      if (!repeated?.properties?.[key]) {
        walk(child, [...path, key]);
        continue;
      }
      if (pointed) continue;
      pointed = true;
      const examples = leafPaths(repeated)
        .slice(0, 2)
        .map((leaf) => code(`${joined}.${leaf}`))
        .join(', ');
      const overriding = instances(defaults, path).filter(
        (entry) => typeof entry.value === 'object' && entry.value !== null && Object.keys(entry.value).some((field) => repeated.properties![field]),
      );
      push(
        [...path, '*'],
        `as \`${repeats}.*\``,
        overriding.length > 0
          ? `set for ${overriding
              .map(
                (entry) =>
                  `${code(entry.keys.join('.'))} (${Object.keys(entry.value as object)
                    .filter((field) => repeated.properties![field])
                    .map((field) => code(field))
                    .join(', ')})`,
              )
              .join(', ')}`
          : '',
        `Any \`${repeats}\` value, overridden for this entry at the same path below it (e.g. ${examples}); type and meaning as in the \`${repeats}.*\` rows. What the entry leaves unset comes from \`${repeats}\`.`,
      );
    }
  };

  walk(schema, []);
  // A collapse path that matches nothing is a typo: the block it meant would silently keep every row.
  const unused = collapse.map((entry) => (typeof entry === 'string' ? entry : entry.path)).filter((entry) => !used.has(entry));
  if (unused.length > 0) throw new Error(`values table: collapse ${unused.join(', ')} matches no block of the schema`);
  return rows;
}

/** The schema node at a dotted path of declared properties. */
function lookupSchema(schema: SchemaNode, path: readonly string[]): SchemaNode | undefined {
  let current: SchemaNode | undefined = schema;
  for (const segment of path) current = current?.properties?.[segment];
  return current;
}

/** The values table as Markdown. */
export function renderValuesTable(rows: readonly ValuesRow[]): string {
  return [
    '| Key | Type | Default | Description |',
    '| --- | --- | --- | --- |',
    ...rows.map((row) => `| \`${row.path}\` | ${row.type} | ${row.defaultValue} | ${row.description} |`),
  ].join('\n');
}
