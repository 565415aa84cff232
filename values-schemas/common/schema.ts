/**
 * Building blocks for values schemas: strict objects, maps keyed by name and closed string sets,
 * all inside the JSON-Schema draft-07 subset that Helm 3 and Helm 4 both enforce the same way.
 */
import { Type, type Static, type TSchema, type TUnsafe, type ObjectOptions, type TProperties } from '@sinclair/typebox';

/** A JSON-Schema object that rejects keys it does not declare (Helm 3 and 4 agree on this one). */
export function strictObject<T extends TProperties>(properties: T, options: ObjectOptions = {}) {
  return Type.Object(properties, { ...options, additionalProperties: false });
}

/**
 * A map keyed by name. Helm merges maps across `-f` files and `--set` but replaces lists whole,
 * so everything a user adds or overrides by key is a map.
 */
export function mapOf<V extends TSchema>(keyPattern: string, value: V, options: { description?: string; minProperties?: number } = {}) {
  return Type.Unsafe<Record<string, Static<V>>>({
    type: 'object',
    ...options,
    patternProperties: { [keyPattern]: value },
    additionalProperties: false,
  });
}

/** A closed set of strings, emitted as `enum` (clearer errors on both Helm versions than anyOf/const). */
export function stringEnum<const T extends readonly string[]>(values: T, options: { description?: string; default?: T[number] } = {}) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}

/** Recursively makes every property optional: the shape of an overlay or a per-entry override. */
export type DeepPartial<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

/**
 * The same schema with `required` removed at every level, for values that are merged over
 * defaults (an entry that sets one field keeps the others from the defaults).
 */
export function deepPartial<T extends TSchema>(schema: T, options: { description?: string } = {}): TUnsafe<DeepPartial<Static<T>>> {
  const strip = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(strip);
    if (node === null || typeof node !== 'object') return node;
    const copy: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === 'required') continue;
      copy[key] = strip(value);
    }
    return copy;
  };
  return Type.Unsafe<DeepPartial<Static<T>>>({ ...(strip(schema) as object), ...options });
}
