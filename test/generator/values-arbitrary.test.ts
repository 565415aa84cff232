// The schema-driven values generators of the property-based chart test must themselves be right:
// "valid" values must pass the chart's own schema (as Helm checks it, with a draft-07 validator),
// and every mutation class must come up, at a real values path, where it applies.
import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { Ajv } from 'ajv';
import { load } from 'js-yaml';
import {
  MUTATION_CLASSES,
  RESERVED_LABELS,
  YAML_AMBIGUOUS_STRINGS,
  applyOverrides,
  describeCase,
  formatPath,
  mutationArbitrary,
  overridesArbitrary,
  overridesToValues,
  schemaAt,
  valueArbitrary,
  type JsonSchema,
  type Mutation,
  type MutationClass,
} from '../helpers/values-arbitrary.js';

const SEED = 42;
const ajv = new Ajv({ allErrors: true, strict: false });

function chart(name: string): { schema: JsonSchema; defaults: unknown; problems: (values: unknown) => string } {
  const schema = JSON.parse(readFileSync(`charts/${name}/values.schema.json`, 'utf8')) as JsonSchema;
  const validate = ajv.compile(schema);
  const problems = (values: unknown): string => (validate(values) ? '' : ajv.errorsText(validate.errors));
  return { schema, defaults: load(readFileSync(`charts/${name}/values.yaml`, 'utf8')), problems };
}

const types = (node: JsonSchema | undefined): string[] => (node?.type === undefined ? [] : [node.type].flat());

/** What each class must look like where it lands: the node at its path, and its value. */
const LOOKS_RIGHT: Record<MutationClass, (m: Mutation, node: JsonSchema, parent: JsonSchema | undefined) => boolean> = {
  'yaml-ambiguous-string': (m, node) => types(node).includes('string') && YAML_AMBIGUOUS_STRINGS.includes(m.value as string),
  'long-name': (m) => (typeof m.value === 'string' && m.value.length >= 64) || (m.path.at(-1) ?? '').length >= 64,
  'space-in-label': (m, node) => types(node).includes('string') && m.value === 'has space',
  'long-port-name': (m, _node, parent) => (m.path.at(-1) ?? '').length >= 16 && parent?.patternProperties !== undefined,
  'duplicate-port': (m, node) => node.properties?.port !== undefined && typeof (m.value as { port?: unknown }).port === 'number',
  'reserved-label': (m, node) => RESERVED_LABELS.includes(m.path.at(-1) ?? '') && types(node).includes('string'),
  'int32-overflow': (m, node) => types(node).includes('integer') && (m.value as number) > 2_147_483_647,
  'float-notation': (m, node) => types(node).includes('integer') && (m.value === 1_000_000 || m.value === 10_000_000),
  'out-of-range': (m, node) => (m.value as number) < (node.minimum ?? -Infinity) || (m.value as number) > (node.maximum ?? Infinity),
  'percent-over-100': (m, node) => (node.pattern ?? '').includes('%') && ['101%', '999%'].includes(m.value as string),
  'requests-above-limits': (m, node) =>
    node.properties?.requests !== undefined &&
    node.properties.limits !== undefined &&
    Object.keys(m.value as object)
      .sort()
      .join() === 'limits,requests',
  'numeric-quantity': (m) => ['cpu', 'memory'].includes(m.path.at(-1) ?? '') && typeof m.value === 'number',
};

/** Classes that add a map key shaped like the key pattern but too long for it. */
const KEY_CLASSES: MutationClass[] = ['long-name', 'long-port-name'];

describe.each(['restaurant-app', 'istio-mesh', 'restaurant-platform'])('values-arbitrary on %s', (name) => {
  const { schema, defaults, problems } = chart(name);

  it('should generate only values the chart schema accepts', () => {
    fc.assert(
      fc.property(valueArbitrary(schema), (values) => {
        expect(problems(values)).toBe('');
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('should generate overrides that keep the defaults valid, at real values paths, leaving the defaults untouched', () => {
    const before = JSON.stringify(defaults);
    fc.assert(
      fc.property(overridesArbitrary(schema, defaults), (overrides) => {
        expect(overrides.length).toBeGreaterThanOrEqual(1);
        expect(overrides.length).toBeLessThanOrEqual(4);
        for (const { path } of overrides) expect(schemaAt(schema, path), formatPath(path)).toBeDefined();
        expect(problems(applyOverrides(defaults, overrides)), describeCase({ chart: name, seed: SEED, overrides })).toBe('');
      }),
      { seed: SEED, numRuns: 200 },
    );
    expect(JSON.stringify(defaults)).toBe(before);
  });

  it('should put each mutation at a real values path, looking like its class', () => {
    for (const mutation of fc.sample(mutationArbitrary(schema, defaults), { seed: SEED, numRuns: 300 })) {
      const where = describeCase({ chart: name, seed: SEED, overrides: [mutation] });
      // A too-long key may break the key pattern on purpose: then it must still be a key of a real map.
      const parent = schemaAt(schema, mutation.path.slice(0, -1));
      const entry = KEY_CLASSES.includes(mutation.class) ? Object.values(parent?.patternProperties ?? {})[0] : undefined;
      const node = schemaAt(schema, mutation.path) ?? entry;
      expect(node, where).toBeDefined();
      expect(LOOKS_RIGHT[mutation.class](mutation, node!, parent), where).toBe(true);
    }
  });
});

describe('mutationArbitrary on restaurant-app', () => {
  const { schema, defaults } = chart('restaurant-app');

  it('should produce every mutation class over a few hundred cases', () => {
    const seen = new Set(fc.sample(mutationArbitrary(schema, defaults), { seed: SEED, numRuns: 300 }).map((m) => m.class));
    expect([...MUTATION_CLASSES].filter((name) => !seen.has(name))).toEqual([]);
  });

  it('should copy an existing port for duplicate-port', () => {
    // GIVEN the ports of the defaults: services' ports and backing stores
    const { services, backingStores } = defaults as {
      services: Record<string, { ports: Record<string, { port: number }> }>;
      backingStores: Record<string, { port: number }>;
    };
    const ports = new Set([...Object.values(services).flatMap((s) => Object.values(s.ports)), ...Object.values(backingStores)].map((p) => p.port));
    const duplicates = fc.sample(mutationArbitrary(schema, defaults), { seed: SEED, numRuns: 300 }).filter((m) => m.class === 'duplicate-port');
    expect(duplicates.length).toBeGreaterThan(0);
    for (const m of duplicates) expect(ports.has((m.value as { port: number }).port), formatPath(m.path)).toBe(true);
  });
});

describe('applyOverrides', () => {
  it('should merge maps key by key over a copy of the defaults, a later override winning', () => {
    // GIVEN defaults and overrides that touch the same map twice
    const defaults = { a: { b: 1, c: [1, 2] }, d: 'x' };
    const overrides = [
      { path: ['a', 'b'], value: 2 },
      { path: ['a', 'c'], value: [3] },
      { path: ['a', 'b'], value: 3 },
      { path: ['e', 'f'], value: { g: true } },
    ];
    // THEN the values file nests them, and the merge keeps untouched keys
    expect(overridesToValues(overrides)).toEqual({ a: { b: 3, c: [3] }, e: { f: { g: true } } });
    const merged = applyOverrides(defaults, overrides);
    expect(merged).toEqual({ a: { b: 3, c: [3] }, d: 'x', e: { f: { g: true } } });
    expect(defaults).toEqual({ a: { b: 1, c: [1, 2] }, d: 'x' });
  });
});

describe('unsupported schemas', () => {
  it('should name the values path of a keyword it does not support', () => {
    const schema = { type: 'object', properties: { a: { type: 'object', properties: { b: { anyOf: [{ type: 'string' }] } } } } } as unknown as JsonSchema;
    expect(() => valueArbitrary(schema)).toThrow('a.b: values-arbitrary does not support "anyOf"');
  });

  it('should refuse an additionalProperties schema', () => {
    expect(() => valueArbitrary({ type: 'object', additionalProperties: { type: 'string' } } as unknown as JsonSchema)).toThrow(
      'an additionalProperties schema',
    );
  });
});

describe('describeCase', () => {
  it('should print the seed, the replay path and one line per values path', () => {
    const text = describeCase({
      chart: 'restaurant-app',
      seed: 42,
      runPath: '17:0',
      overrides: [
        { path: ['services', 'order-service', 'replicas'], value: 3 },
        { path: ['commonLabels', 'app.kubernetes.io/name'], value: 'x', class: 'reserved-label' },
      ],
    });
    expect(text).toBe(
      'restaurant-app: seed 42, path "17:0"\n  services.order-service.replicas: 3\n  commonLabels["app.kubernetes.io/name"]: "x"  # reserved-label',
    );
  });
});
