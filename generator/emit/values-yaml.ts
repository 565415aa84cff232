/**
 * Writes a values object as YAML with each key preceded by its schema description, so
 * `values.yaml` documents itself and stays derived from the one source.
 */
import yaml from 'js-yaml';
import { childSchema, type SchemaNode } from './schema-walk.js';
import { isMap } from '../../values-schemas/common/merge.js';

const WIDTH = 100;

function wrap(text: string, indent: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && indent.length + 2 + line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines.map((text) => `${indent}# ${text}`);
}

function scalar(value: unknown): string {
  return yaml.dump(value, { lineWidth: -1, flowLevel: 0 }).trimEnd();
}

function emitMapping(value: Record<string, unknown>, schema: SchemaNode | undefined, depth: number, out: string[]): void {
  const indent = '  '.repeat(depth);
  for (const [key, child] of Object.entries(value)) {
    const node = childSchema(schema, key);
    if (node?.description) out.push(...wrap(node.description, indent));
    const renderedKey = scalar(key);
    if (isMap(child) && Object.keys(child).length > 0) {
      out.push(`${indent}${renderedKey}:`);
      emitMapping(child, node, depth + 1, out);
    } else if (Array.isArray(child) && child.length > 0) {
      out.push(`${indent}${renderedKey}:`);
      for (const line of yaml.dump(child, { lineWidth: -1 }).trimEnd().split('\n')) out.push(`${indent}  ${line}`);
    } else {
      out.push(`${indent}${renderedKey}: ${scalar(child)}`);
    }
  }
}

/**
 * Renders `value` as commented YAML. `preamble` lines become leading comments.
 * Key order follows the value object, so the output is deterministic.
 */
export function renderValuesYaml(value: object, schema: SchemaNode, preamble: readonly string[]): string {
  const out: string[] = ['# yaml-language-server: $schema=values.schema.json', ...preamble.map((line) => (line ? `# ${line}` : '#'))];
  const body: string[] = [];
  emitMapping(value as Record<string, unknown>, schema, 0, body);
  // Blank line between top-level blocks, for readability.
  const withSpacing = body.flatMap((line, index) => (index > 0 && !line.startsWith(' ') && !body[index - 1]!.startsWith('#') ? ['', line] : [line]));
  return `${[...out, '', ...withSpacing].join('\n')}\n`;
}
