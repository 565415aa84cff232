/** Helm's merge of values files, for code that must know the values Helm will render with. */

const isMap = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Merges overlays over a base as Helm merges `-f` files: maps merge key by key, anything else
 * (lists included) replaces; later overlays win. Inputs are not modified.
 */
export function mergeValues<T>(base: T, ...overlays: readonly unknown[]): T {
  const merge = (target: unknown, source: unknown): unknown => {
    if (!isMap(source) || !isMap(target)) return source === undefined ? target : source;
    const out: Record<string, unknown> = { ...target };
    for (const [key, value] of Object.entries(source)) out[key] = merge(out[key], value);
    return out;
  };
  return overlays.reduce<unknown>((merged, overlay) => merge(merged, overlay), base) as T;
}
