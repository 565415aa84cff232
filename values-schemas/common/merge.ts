/**
 * Values as maps: the one test for "a map" (what Helm merges key by key, as opposed to a list or a
 * scalar, which it replaces whole), and every merge and difference of value maps the generator,
 * the values sources and the tests compute.
 */

/** A map of values (a YAML mapping / JSON object): the node Helm merges key by key. */
export type ValueMap = Record<string, unknown>;

/**
 * Whether a value is a map: an object that is neither `null` nor an array. Helm merges maps and
 * replaces everything else, so this is the branch every merge, walk and difference takes.
 */
export const isMap = (value: unknown): value is ValueMap => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Merges overlays over a base as Helm merges `-f` files: maps merge key by key, anything else
 * (lists included) replaces; later overlays win. Inputs are not modified, and unchanged subtrees
 * are shared with them (copy before writing into the result).
 */
export function mergeValues<T>(base: T, ...overlays: readonly unknown[]): T {
  const merge = (target: unknown, source: unknown): unknown => {
    if (!isMap(source) || !isMap(target)) return source === undefined ? target : source;
    const out: ValueMap = { ...target };
    for (const [key, value] of Object.entries(source)) out[key] = merge(out[key], value);
    return out;
  };
  return overlays.reduce<unknown>((merged, overlay) => merge(merged, overlay), base) as T;
}

/**
 * Merges `b` into `a` where neither may win: maps merge key by key, and a leaf both set to
 * different values (compared as JSON) throws `<subject> disagree on <path>.<key>: …`.
 * @param path - the dotted path of `a` and `b`, for the message
 * @param subject - what `a` and `b` are, plural, for the message (e.g. `subchart overlays`)
 */
export function mergeAgreeing(a: ValueMap, b: ValueMap, path: string, subject: string): ValueMap {
  const out: ValueMap = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const here = `${path}.${key}`;
    const existing = out[key];
    if (!(key in out)) out[key] = value;
    else if (isMap(existing) && isMap(value)) out[key] = mergeAgreeing(existing, value, here, subject);
    else if (JSON.stringify(existing) !== JSON.stringify(value))
      throw new Error(`${subject} disagree on ${here}: ${JSON.stringify(existing)} vs ${JSON.stringify(value)}`);
  }
  return out;
}

/**
 * What `full` changes relative to `base`, as the overlay that {@link mergeValues} would merge over
 * `base` to give `full` back (for keys `full` has): maps compared key by key, lists and scalars
 * whole (compared as JSON); maps with no change are left out.
 */
export function difference(full: ValueMap, base: ValueMap): ValueMap {
  const out: ValueMap = {};
  for (const [key, value] of Object.entries(full)) {
    const baseValue = base[key];
    if (isMap(value) && isMap(baseValue)) {
      const nested = difference(value, baseValue);
      if (Object.keys(nested).length > 0) out[key] = nested;
    } else if (JSON.stringify(value) !== JSON.stringify(baseValue)) {
      out[key] = value;
    }
  }
  return out;
}
