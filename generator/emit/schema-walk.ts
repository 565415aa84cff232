/** Navigation of a JSON schema alongside a value: the child schema of a key, and descriptions. */

/** The subset of JSON Schema the values schemas use. */
export interface SchemaNode {
  readonly type?: string | readonly string[];
  readonly description?: string;
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly patternProperties?: Readonly<Record<string, SchemaNode>>;
  /** `false` closes an object to its declared keys; a schema types the values of a map. */
  readonly additionalProperties?: boolean | SchemaNode;
  /** A reference to another node of the same document (`#/$defs/name`). */
  readonly $ref?: string;
  readonly items?: SchemaNode;
  readonly enum?: readonly unknown[];
  readonly pattern?: string;
  readonly anyOf?: readonly SchemaNode[];
  readonly required?: readonly string[];
}

/** The schema of `key` inside an object schema: a declared property, else the first matching pattern. */
export function childSchema(node: SchemaNode | undefined, key: string): SchemaNode | undefined {
  if (!node) return undefined;
  const declared = node.properties?.[key];
  if (declared) return declared;
  for (const [pattern, schema] of Object.entries(node.patternProperties ?? {})) {
    if (new RegExp(pattern).test(key)) return schema;
  }
  return undefined;
}

/** A short human-readable type of a schema node, for the README table. */
export function typeLabel(node: SchemaNode): string {
  if (node.enum) return node.enum.map((value) => JSON.stringify(value)).join(' \\| ');
  if (node.anyOf) return node.anyOf.map(typeLabel).join(' \\| ');
  if (node.patternProperties) {
    const [value] = Object.values(node.patternProperties);
    return `map of ${value ? typeLabel(value) : 'any'}`;
  }
  if (node.type === 'array') return `list of ${node.items ? typeLabel(node.items) : 'any'}`;
  if (Array.isArray(node.type)) return node.type.join(' \\| ');
  return String(node.type ?? 'any');
}
