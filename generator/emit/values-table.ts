/** The README's values table, derived from the schema and the defaults. */
import { typeLabel, type SchemaNode } from './schema-walk.js';

/** One row of the values table. */
export interface ValuesRow {
  readonly path: string;
  readonly type: string;
  readonly defaultValue: string;
  readonly description: string;
}

function lookup(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null || !(segment in current)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/**
 * Lists every documented value path with type, default and description. Paths in `collapse`
 * become one row (for map entries whose fields repeat another block).
 */
export function valuesRows(schema: SchemaNode, defaults: unknown, collapse: readonly string[] = []): ValuesRow[] {
  const rows: ValuesRow[] = [];
  const walk = (node: SchemaNode, path: string[]) => {
    const joined = path.join('.');
    const isMapOfObjects = node.patternProperties && Object.values(node.patternProperties).some((child) => child.properties);
    if (path.length > 0 && (collapse.includes(joined) || (!node.properties && !isMapOfObjects))) {
      const value = path.includes('<name>') ? undefined : lookup(defaults, path);
      // A collapsed map entry shows which entries the defaults hold.
      const entries = path.at(-1) === '<name>' && path.indexOf('<name>') === path.length - 1 ? lookup(defaults, path.slice(0, -1)) : undefined;
      const defaultValue =
        value !== undefined
          ? `\`${cell(JSON.stringify(value))}\``
          : entries && typeof entries === 'object'
            ? `entries: ${Object.keys(entries).map((key) => `\`${key}\``).join(', ')}`
            : '';
      rows.push({
        path: joined,
        type: typeLabel(node),
        defaultValue,
        description: cell(node.description ?? ''),
      });
      return;
    }
    for (const [key, child] of Object.entries(node.properties ?? {})) walk(child, [...path, key]);
    for (const child of Object.values(node.patternProperties ?? {})) walk(child, [...path, '<name>']);
  };
  walk(schema, []);
  return rows;
}

/** The values table as Markdown. */
export function renderValuesTable(rows: readonly ValuesRow[]): string {
  return [
    '| Key | Type | Default | Description |',
    '| --- | --- | --- | --- |',
    ...rows.map((row) => `| \`${row.path}\` | ${row.type} | ${row.defaultValue} | ${row.description} |`),
  ].join('\n');
}
