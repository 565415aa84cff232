/**
 * The rendered object every check reads (the mesh checks, the API server's rules, the CRD check),
 * and the readers of its untyped fields. A render is untrusted input: any field may be missing or
 * of the wrong type, so the checks read through these readers, which turn anything unexpected into
 * an empty value instead of throwing, and leave judging it to the check that owns the field.
 */
import { isMap, type ValueMap } from '../../values-schemas/common/merge.js';

/**
 * A rendered Kubernetes object (parsed from `helm template` output, or a model instance), as far as
 * the checks read it. Label and annotation values are typed as Kubernetes wants them; the checks
 * still read them as untrusted (a render can print a number there, which the label rule reports).
 */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: {
    readonly name?: string;
    readonly generateName?: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
  };
  readonly spec?: unknown;
  readonly [field: string]: unknown;
}

/** A map field as a map; anything else (absent, a list, a scalar) as an empty map. */
export const asObject = (value: unknown): ValueMap => (isMap(value) ? value : {});

/** A list field as a list; anything else as an empty list. */
export const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** The strings of a list field (other items left out). */
export const asStrings = (value: unknown): string[] => asArray(value).filter((item): item is string => typeof item === 'string');

/** A label map field: its string-valued entries (others left out, as no selector can match them). */
export function asLabels(value: unknown): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [key, item] of Object.entries(asObject(value))) if (typeof item === 'string') labels[key] = item;
  return labels;
}

/** How findings name an object: `Kind namespace/name` (`Kind name` when cluster-scoped). */
export function describeObject(object: Pick<KubeObject, 'kind' | 'metadata'>): string {
  return `${object.kind ?? '<no kind>'} ${object.metadata?.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata?.name ?? '<unnamed>'}`;
}
