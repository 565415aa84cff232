/** The shape every chart's values source has: what the generator derives the values files from. */
import type { TSchema } from '@sinclair/typebox';
import type { DeepPartial } from './schema.js';
import type { Environment } from './global.js';

/** A chart's values: the schema, complete defaults, and one overlay per environment. */
export interface ValuesSource<T> {
  /** The values schema (draft-07 subset); becomes `values.schema.json`. */
  readonly schema: TSchema;
  /** Every value's default; becomes `values.yaml`. */
  readonly defaults: T;
  /** What each environment changes; becomes `values-<env>.yaml`. */
  readonly overlays: Readonly<Record<Environment, DeepPartial<T>>>;
}
