/**
 * Refuses a chart whose own defaults or environment overlays do not satisfy its own values schema,
 * checked with a real draft-07 validator (Ajv) the way Helm checks them: the defaults alone, and
 * the defaults merged with each overlay, and with each CI scenario. Without it, a required field with no default passes
 * `generate` and `check` while the chart no longer renders with its own values.
 */
import { Ajv, type ErrorObject } from 'ajv';
import type { TSchema } from '@sinclair/typebox';
import { ENVIRONMENTS } from '../../values-schemas/common/global.js';
import { mergeValues } from '../../values-schemas/common/merge.js';
import type { ValuesSource } from '../../values-schemas/common/source.js';
import { UserError } from '../errors.js';

const ajv = new Ajv({ allErrors: true, strict: false });

/**
 * The values path an Ajv error is about, as keys: the instance path, plus the missing key of a
 * `required` error and the extra key of an `additionalProperties` one (the key the message names).
 */
export function errorValuesPath(error: ErrorObject): string[] {
  const path = error.instancePath
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (error.keyword === 'required') path.push((error.params as { missingProperty: string }).missingProperty);
  else if (error.keyword === 'additionalProperties') path.push((error.params as { additionalProperty: string }).additionalProperty);
  return path;
}

/** An Ajv error as `values path: message`, the path dotted as Helm 3 prints it. */
function describeError(error: ErrorObject): string {
  return `${errorValuesPath(error).join('.') || '(root)'}: ${error.message ?? error.keyword}`;
}

/** The values without keys set to null: Helm deletes those (how a parent removes a subchart default) before it validates. */
export function withoutNulls(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, child]) => child !== null)
      .map(([key, child]) => [key, withoutNulls(child)]),
  );
}

/** The problems of each values file of a chart (empty when all satisfy the schema). */
export function valuesProblems<T>(values: ValuesSource<T>): string[] {
  const validate = ajv.compile(JSON.parse(JSON.stringify(values.schema as TSchema)) as object);
  const files: Array<[string, unknown]> = [
    ['values.yaml', values.defaults],
    ...ENVIRONMENTS.map((environment) => [`values-${environment}.yaml`, mergeValues(values.defaults, values.overlays[environment])] as [string, unknown]),
    ...Object.entries(values.scenarios).map(
      ([name, scenario]) =>
        [`ci/${name}-values.yaml`, mergeValues(values.defaults, values.overlays[scenario.environment], scenario.values ?? {})] as [string, unknown],
    ),
  ];
  return files.flatMap(([file, merged]) => (validate(withoutNulls(merged)) ? [] : (validate.errors ?? []).map((error) => `${file}: ${describeError(error)}`)));
}

/** Throws a {@link UserError} naming every values path that fails the chart's schema. */
export function assertValuesSatisfySchema<T>(chart: string, values: ValuesSource<T>): void {
  const problems = valuesProblems(values);
  if (problems.length > 0) {
    throw new UserError(
      `${chart}: its own values do not satisfy its values.schema.json (fix the defaults or overlays in values-schemas/${chart}/):\n${problems.map((line) => `  ${line}`).join('\n')}`,
    );
  }
}
