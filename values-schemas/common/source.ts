/** The shape every chart's values source has: what the generator derives the values files from. */
import type { TSchema } from '@sinclair/typebox';
import type { DeepPartial } from './schema.js';
import type { Environment } from './global.js';

/**
 * A named situation a chart is rendered in by CI: written to `ci/<name>-values.yaml` (the
 * environment's overlay with this scenario's changes, self-contained as chart-testing expects),
 * linted, and rendered to a committed golden (`test/goldens/<chart>/<name>.yaml`).
 */
export interface Scenario<T> {
  /** One line: what this scenario exercises. */
  readonly description: string;
  /** The environment overlay it starts from. */
  readonly environment: Environment;
  /** What it changes on top of that overlay. @default nothing */
  readonly values?: DeepPartial<T>;
}

/** A chart's values: the schema, complete defaults, one overlay per environment and its CI scenarios. */
export interface ValuesSource<T> {
  /** The values schema (draft-07 subset); becomes `values.schema.json`. */
  readonly schema: TSchema;
  /** Every value's default; becomes `values.yaml`. */
  readonly defaults: T;
  /** What each environment changes; becomes `values-<env>.yaml`. */
  readonly overlays: Readonly<Record<Environment, DeepPartial<T>>>;
  /** The scenarios CI renders, by name (a DNS label); each becomes `ci/<name>-values.yaml`. */
  readonly scenarios: Readonly<Record<string, Scenario<T>>>;
}
