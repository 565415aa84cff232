// generate refuses a chart whose own defaults or overlays break its own schema, naming the path:
// the README's schema-change recipe (a new required field) must fail at generate time, not later
// when the chart no longer renders with its own values.
import { describe, it, expect } from 'vitest';
import { Type } from '@sinclair/typebox';
import { strictObject } from '../../values-schemas/common/schema.js';
import { assertValuesSatisfySchema, valuesProblems } from '../../generator/emit/values-check.js';
import { restaurantAppValues } from '../../values-schemas/restaurant-app/index.js';
import { UserError } from '../../generator/errors.js';

const schema = strictObject({ replicas: Type.Integer({ minimum: 1 }), probe: strictObject({ path: Type.String() }) });
const overlays = { dev: {}, staging: {}, prod: {} };
const scenarios = {};

describe('values checked against their own schema at generate time', () => {
  it('should name a required field the defaults lack', () => {
    // GIVEN a schema that gained a required field without a default
    const source = { schema, defaults: { replicas: 2 } as never, overlays, scenarios };
    // THEN every values file is refused with the path
    expect(valuesProblems(source)).toEqual(
      ['values.yaml', 'values-dev.yaml', 'values-staging.yaml', 'values-prod.yaml'].map((file) => `${file}: probe: must have required property 'probe'`),
    );
    expect(() => assertValuesSatisfySchema('demo', source)).toThrow(UserError);
  });

  it('should name an overlay value the schema refuses, and only in that file', () => {
    const source = { schema, defaults: { replicas: 2, probe: { path: '/' } } as never, overlays: { ...overlays, prod: { replicas: 0 } } as never, scenarios };
    expect(valuesProblems(source)).toEqual(['values-prod.yaml: replicas: must be >= 1']);
  });

  it('should name an unknown key', () => {
    const source = { schema, defaults: { replicas: 2, probe: { path: '/', pth: '/x' } } as never, overlays, scenarios };
    expect(valuesProblems(source)[0]).toBe('values.yaml: probe.pth: must NOT have additional properties');
  });

  it("should name a CI scenario value the schema refuses, in that scenario's file", () => {
    // GIVEN a scenario that sets a value the schema refuses over a valid overlay
    const source = {
      schema,
      defaults: { replicas: 2, probe: { path: '/' } } as never,
      overlays,
      scenarios: { 'prod-tiny': { description: 'x', environment: 'prod' as const, values: { replicas: 0 } } },
    };
    // THEN only its ci/ file is refused, with the path
    expect(valuesProblems(source)).toEqual(['ci/prod-tiny-values.yaml: replicas: must be >= 1']);
  });

  it("should find nothing wrong with a real chart's values", () => {
    expect(valuesProblems(restaurantAppValues)).toEqual([]);
  });
});
