/**
 * fast-check generators of chart values, driven by a chart's own `values.schema.json`: valid
 * values, valid overrides of the defaults, and bad or boundary values ("mutations") in named
 * classes. They feed the property-based test of the charts; nothing here runs Helm.
 *
 * Only the draft-07 subset the charts use is understood (see {@link JsonSchema}); any other
 * keyword throws, naming the values path, instead of being ignored.
 */
import fc from 'fast-check';
import { isMap, mergeValues } from '../../values-schemas/common/merge.js';
import { INT32 } from '../../values-schemas/common/kubernetes.js';

/** A draft-07 `type` name. */
export type JsonType = 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array' | 'null';

/**
 * The draft-07 subset the charts' values schemas use. Not supported, and refused with an error
 * naming the values path: `anyOf`, `oneOf`, `allOf`, `not`, `$ref`, `const`, `propertyNames`,
 * `format`, `if`/`then`/`else`, `additionalProperties` as a schema, and any other keyword not
 * listed here. A node with neither `type` nor `enum` (an upstream subchart's pass-through value)
 * is opaque: generated objects leave it out when it is optional, and no override or mutation
 * targets it.
 */
export interface JsonSchema {
  /** One type, or several (`['integer', 'string']`): a value may be of any of them. */
  type?: JsonType | JsonType[];
  /** Fixed keys of an object. */
  properties?: Record<string, JsonSchema>;
  /** Map entries: keys matching the pattern (a regular expression) have the given schema. */
  patternProperties?: Record<string, JsonSchema>;
  /** Always `false` in the charts: no keys beyond `properties` and `patternProperties`. */
  additionalProperties?: false;
  /** Keys of `properties` an object must have. */
  required?: string[];
  /** The only values allowed. */
  enum?: readonly unknown[];
  /** A regular expression a string must match (unanchored unless it has `^`/`$`, as in Ajv). */
  pattern?: string;
  /** Smallest number allowed. */
  minimum?: number;
  /** Largest number allowed. */
  maximum?: number;
  /** Shortest string allowed. */
  minLength?: number;
  /** Longest string allowed. */
  maxLength?: number;
  /** Fewest keys an object may have. */
  minProperties?: number;
  /** Schema of every item of an array. */
  items?: JsonSchema;
  /** No two items of an array are equal. */
  uniqueItems?: boolean;
  /** Annotation, ignored. */
  description?: string;
  /** Annotation, ignored. */
  default?: unknown;
  /** Annotation, ignored. */
  title?: string;
  /** Annotation, ignored. */
  $comment?: string;
  /** Annotation, ignored. */
  $schema?: string;
}

/** One values path set to a value: `{ path: ['services', 'order-service', 'replicas'], value: 3 }`. */
export interface Override {
  /** Keys from the root of the values document. */
  path: string[];
  /** The value set there; a map merges key by key over what is there, anything else replaces it. */
  value: unknown;
}

/** The classes of bad or boundary values {@link mutationArbitrary} produces. */
export const MUTATION_CLASSES = [
  'yaml-ambiguous-string',
  'long-name',
  'space-in-label',
  'long-port-name',
  'duplicate-port',
  'reserved-label',
  'int32-overflow',
  'float-notation',
  'out-of-range',
  'percent-over-100',
  'requests-above-limits',
  'numeric-quantity',
] as const;

/** One of {@link MUTATION_CLASSES}. */
export type MutationClass = (typeof MUTATION_CLASSES)[number];

/** An {@link Override} with a bad or boundary value, tagged with its class. */
export interface Mutation extends Override {
  /** What kind of bad value it is. */
  class: MutationClass;
}

/** Strings YAML 1.1 reads as booleans, null or numbers unless they are quoted. */
export const YAML_AMBIGUOUS_STRINGS = ['yes', 'no', 'on', 'null', '~', '0777', '1e3', 'true', '0x1F'];

/** Label keys the charts set themselves; a user label with one of these keys clashes. */
export const RESERVED_LABELS = ['app', 'app.kubernetes.io/name', 'app.kubernetes.io/instance', 'version', 'app.kubernetes.io/managed-by', 'helm.sh/chart'];

const SUPPORTED = new Set([
  'type',
  'properties',
  'patternProperties',
  'additionalProperties',
  'required',
  'enum',
  'pattern',
  'minimum',
  'maximum',
  'minLength',
  'maxLength',
  'minProperties',
  'items',
  'uniqueItems',
  'description',
  'default',
  'title',
  '$comment',
  '$schema',
]);
const LONG_LENGTHS = [64, 70, 254, 300];

type Values = Record<string, unknown>;
const typesOf = (node: JsonSchema): JsonType[] => (node.type === undefined ? [] : Array.isArray(node.type) ? node.type : [node.type]);
const hasType = (node: JsonSchema, type: JsonType): boolean => node.enum === undefined && typesOf(node).includes(type);
const isOpaque = (node: JsonSchema): boolean => node.type === undefined && node.enum === undefined;
const isObjectNode = (node: JsonSchema): boolean => hasType(node, 'object');
const isScalarNode = (node: JsonSchema): boolean => !isOpaque(node) && !isObjectNode(node) && !hasType(node, 'array');

/** Memoizes a function of a string: schemas repeat the same few patterns many times. */
function memo<T>(make: (key: string) => T): (key: string) => T {
  const made = new Map<string, T>();
  return (key) => made.get(key) ?? made.set(key, make(key)).get(key)!;
}
const regex = memo((pattern) => new RegExp(pattern, 'u'));
const matching = memo((pattern) => fc.stringMatching(regex(pattern)));

/** A values path as Helm users read it: dotted, with keys that contain dots or slashes in `["…"]`. */
export function formatPath(path: readonly string[]): string {
  return path.map((key, i) => (/^[A-Za-z0-9_-]+$/.test(key) ? `${i === 0 ? '' : '.'}${key}` : `[${JSON.stringify(key)}]`)).join('') || '(root)';
}

/** Throws, naming the path, on a keyword {@link JsonSchema} does not cover or a dangling `required`. */
function checkKeywords(node: JsonSchema, path: readonly string[]): void {
  const unsupported = Object.keys(node).filter((keyword) => !SUPPORTED.has(keyword));
  if (unsupported.length > 0 || (node.additionalProperties !== undefined && node.additionalProperties !== false)) {
    throw new Error(
      `${formatPath(path)}: values-arbitrary does not support ${unsupported.length > 0 ? unsupported.map((k) => `"${k}"`).join(', ') : 'an additionalProperties schema'} in a values schema`,
    );
  }
  for (const key of node.required ?? []) {
    if (!node.properties?.[key]) throw new Error(`${formatPath(path)}: required key "${key}" has no schema under properties`);
  }
}

/** The schema of the value at `path`, through properties and map entries; `undefined` when none. */
export function schemaAt(schema: JsonSchema, path: readonly string[]): JsonSchema | undefined {
  let node: JsonSchema | undefined = schema;
  for (const key of path) {
    if (!node) return undefined;
    node = node.properties?.[key] ?? Object.entries(node.patternProperties ?? {}).find(([pattern]) => regex(pattern).test(key))?.[1];
  }
  return node;
}

/** Keys matching a map's key pattern, never one of `taken` (nor `__proto__`). */
function keyArbitrary(pattern: string, taken: readonly string[] = []): fc.Arbitrary<string> {
  return matching(pattern).filter((key) => key !== '__proto__' && !taken.includes(key));
}

function integerArbitrary(minimum: number | undefined, maximum: number | undefined): fc.Arbitrary<number> {
  const min = minimum === undefined ? Math.min(0, maximum ?? 0) : Math.ceil(minimum);
  const max = maximum === undefined ? Math.max(min, INT32.max) : Math.floor(maximum);
  if (max - min <= 10_000) return fc.integer({ min, max });
  // Mostly everyday values, sometimes anything up to the bound (2^31-1 when unbounded).
  return fc.oneof({ arbitrary: fc.integer({ min, max: min + 10_000 }), weight: 9 }, { arbitrary: fc.integer({ min, max }), weight: 1 });
}

function stringArbitrary(node: JsonSchema): fc.Arbitrary<string> {
  const { minLength = 0, maxLength } = node;
  if (node.pattern === undefined) return fc.string({ minLength, maxLength: maxLength ?? Math.max(minLength, 20) });
  // fast-check pads an unanchored pattern with free text, as the pattern allows.
  return matching(node.pattern).filter((s) => s.length >= minLength && (maxLength === undefined || s.length <= maxLength));
}

function objectArbitrary(node: JsonSchema, path: readonly string[]): fc.Arbitrary<Values> {
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    checkKeywords(child, [...path, key]);
    if (!isOpaque(child) || node.required?.includes(key)) model[key] = nodeArbitrary(child, [...path, key]);
  }
  const fixed = fc.record(model, { requiredKeys: node.required ?? [], noNullPrototype: true });
  const maps = Object.entries(node.patternProperties ?? {}).map(([pattern, entry], i) => {
    const minKeys = i === 0 ? (node.minProperties ?? 0) : 0;
    return fc.dictionary(keyArbitrary(pattern, Object.keys(node.properties ?? {})), nodeArbitrary(entry, [...path, `<${pattern}>`]), {
      minKeys,
      maxKeys: Math.max(3, minKeys),
      noNullPrototype: true,
    });
  });
  return fc.tuple(fixed, ...maps).map(([own, ...entries]) => Object.assign({}, ...entries, own) as Values);
}

const cache = new WeakMap<JsonSchema, fc.Arbitrary<unknown>>();

function nodeArbitrary(node: JsonSchema, path: readonly string[]): fc.Arbitrary<unknown> {
  const cached = cache.get(node);
  if (cached) return cached;
  checkKeywords(node, path);
  if (isOpaque(node)) throw new Error(`${formatPath(path)}: a value with neither type nor enum is opaque; values-arbitrary cannot generate it`);
  const arbitrary =
    node.enum !== undefined
      ? fc.constantFrom(...node.enum)
      : fc.oneof(
          ...typesOf(node).map((type): fc.Arbitrary<unknown> => {
            switch (type) {
              case 'string':
                return stringArbitrary(node);
              case 'integer':
                return integerArbitrary(node.minimum, node.maximum);
              case 'number': {
                const hundredths = (bound: number | undefined): number | undefined => (bound === undefined ? undefined : bound * 100);
                return integerArbitrary(hundredths(node.minimum), hundredths(node.maximum)).map((n) => n / 100);
              }
              case 'boolean':
                return fc.boolean();
              case 'null':
                return fc.constant(null);
              case 'object':
                return objectArbitrary(node, path);
              case 'array': {
                if (!node.items) return fc.constant([]);
                const items = nodeArbitrary(node.items, [...path, '[]']);
                return node.uniqueItems ? fc.uniqueArray(items, { maxLength: 3, selector: (item) => JSON.stringify(item) }) : fc.array(items, { maxLength: 3 });
              }
            }
          }),
        );
  cache.set(node, arbitrary);
  return arbitrary;
}

/**
 * Values valid for a schema node: strings matching `pattern` within min/maxLength, integers within
 * minimum/maximum (mostly within 10 000 of the lower bound, sometimes up to the upper bound or
 * 2^31-1), numbers likewise in hundredths, enum members,
 * objects with every required key and some optional ones, maps with 0–3 entries (at least
 * `minProperties`) whose keys match the key pattern.
 *
 * @throws when the node or one below it uses a keyword {@link JsonSchema} does not support.
 */
export function valueArbitrary(schema: JsonSchema): fc.Arbitrary<unknown> {
  return nodeArbitrary(schema, []);
}

/**
 * Whether an override can set a single key inside this object node and still leave it valid: the
 * object is in the defaults already, or it has nothing required.
 */
const canDescend = (node: JsonSchema, current: unknown): boolean =>
  isObjectNode(node) && (isMap(current) || ((node.required ?? []).length === 0 && (node.minProperties ?? 0) <= 1));

function overrideAt(node: JsonSchema, current: unknown, path: string[]): fc.Arbitrary<Override> {
  checkKeywords(node, path);
  const whole = (): fc.Arbitrary<Override> => nodeArbitrary(node, path).map((value) => ({ path, value }));
  if (!canDescend(node, current)) return whole();
  const existing = isMap(current) ? current : {};
  const choices: Array<fc.Arbitrary<Override>> = [];
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    checkKeywords(child, [...path, key]);
    if (!isOpaque(child)) choices.push(overrideAt(child, existing[key], [...path, key]));
  }
  for (const [pattern, entry] of Object.entries(node.patternProperties ?? {})) {
    const keys = Object.keys(existing).filter((key) => regex(pattern).test(key));
    for (const key of keys) choices.push(overrideAt(entry, existing[key], [...path, key]));
    choices.push(
      fc.tuple(keyArbitrary(pattern, keys), nodeArbitrary(entry, [...path, `<${pattern}>`])).map(([key, value]) => ({ path: [...path, key], value })),
    );
  }
  return choices.length > 0 ? fc.oneof(...choices) : whole();
}

/**
 * Options for {@link overridesArbitrary}.
 */
export interface OverridesOptions {
  /**
   * Most overrides in one case.
   * @default 4
   */
  maxLeaves?: number;
}

/**
 * 1..`maxLeaves` overrides that keep the values valid once merged over `defaults`. Each walks
 * down from the root, at every object to one of its properties and at every map to an existing
 * key of `defaults` or a new generated key; it ends at a leaf with a valid value for it, or with
 * a full valid value at a new map entry or at an absent object that has required keys.
 */
export function overridesArbitrary(schema: JsonSchema, defaults: unknown, options: OverridesOptions = {}): fc.Arbitrary<Override[]> {
  return fc.array(overrideAt(schema, defaults, []), { minLength: 1, maxLength: options.maxLeaves ?? 4 });
}

/**
 * The values document the overrides make, as a `-f` file merged by Helm over the chart's
 * `values.yaml`: overrides merge into each other, a later one winning.
 */
export function overridesToValues(overrides: readonly Override[]): Record<string, unknown> {
  return mergeValues<Values>(
    {},
    ...overrides.map((override) => {
      if (override.path.length === 0) throw new Error('an override needs a non-empty values path');
      return override.path.reduceRight<unknown>((value, key) => ({ [key]: value }), override.value);
    }),
  );
}

/** A copy of `defaults` with the overrides merged over it as Helm merges values (maps key by key). */
export function applyOverrides(defaults: unknown, overrides: readonly Override[]): unknown {
  return structuredClone(mergeValues(defaults, overridesToValues(overrides)));
}

/** A place a mutation can go: a node of the schema reachable through the defaults. */
interface Slot {
  /** Where the node is. */
  path: string[];
  /** Its schema. */
  node: JsonSchema;
  /** Its value in the defaults, if any. */
  current: unknown;
  /** Set when the slot is a new entry of the map at `path`: the key pattern and the keys taken. */
  newEntry?: { pattern: string; taken: string[] };
}

function slotsOf(node: JsonSchema, current: unknown, path: string[], out: Slot[] = []): Slot[] {
  checkKeywords(node, path);
  out.push({ path, node, current });
  if (!canDescend(node, current)) return out;
  const existing = isMap(current) ? current : {};
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    checkKeywords(child, [...path, key]);
    if (!isOpaque(child) && (!isObjectNode(child) || canDescend(child, existing[key]))) slotsOf(child, existing[key], [...path, key], out);
  }
  for (const [pattern, entry] of Object.entries(node.patternProperties ?? {})) {
    const keys = Object.keys(existing).filter((key) => regex(pattern).test(key));
    for (const key of keys) slotsOf(entry, existing[key], [...path, key], out);
    if (isScalarNode(entry)) out.push({ path, node: entry, current: undefined, newEntry: { pattern, taken: keys } });
  }
  return out;
}

/** The override at a slot: at its path, or at a new key of its map. */
function at(slot: Slot, value: fc.Arbitrary<unknown>): fc.Arbitrary<Override> {
  if (!slot.newEntry) return value.map((v) => ({ path: slot.path, value: v }));
  return fc.tuple(keyArbitrary(slot.newEntry.pattern, slot.newEntry.taken), value).map(([key, v]) => ({ path: [...slot.path, key], value: v }));
}

/** The first map entry schema of a slot that is an existing map, with its keys in the defaults. */
function mapOf(slot: Slot): { pattern: string; entry: JsonSchema; keys: string[] } | undefined {
  const first = Object.entries(slot.node.patternProperties ?? {})[0];
  if (slot.newEntry || !first) return undefined;
  const [pattern, entry] = first;
  return { pattern, entry, keys: isMap(slot.current) ? Object.keys(slot.current).filter((key) => regex(pattern).test(key)) : [] };
}

/** A new entry of a map under a given key, with a valid value. */
const newEntry = (slot: Slot, entry: JsonSchema, keys: string[]): fc.Arbitrary<Override> =>
  fc.tuple(fc.constantFrom(...keys), valueArbitrary(entry)).map(([key, value]) => ({ path: [...slot.path, key], value }));

/**
 * The pattern with its bounded repetitions `{m,n}` opened to `{m,}`: strings of its shape at any
 * length, so a long-name mutation still comes up where the pattern itself caps the length.
 */
const shapeOf = memo((pattern) => regex(pattern.replace(/\{(\d+),\d+\}/g, '{$1,}')));

/** Strings of 64, 70, 254 and 300 characters shaped like the node's pattern (and in its enum). */
function longStrings(node: JsonSchema): string[] {
  // DNS-like: 63-character labels joined with dots, cut to length.
  const dotted = (n: number): string =>
    Array.from({ length: Math.ceil(n / 64) + 1 }, () => 'a'.repeat(63))
      .join('.')
      .slice(0, n)
      .replace(/\.$/, 'a');
  const accepts = (s: string): boolean => (node.pattern === undefined || shapeOf(node.pattern).test(s)) && (node.enum === undefined || node.enum.includes(s));
  return LONG_LENGTHS.flatMap((n) => {
    // A single long label first for 64 and 70, dotted labels first beyond the 253 of a DNS name.
    const plain = n > 70 ? [dotted(n), 'a'.repeat(n)] : ['a'.repeat(n), dotted(n)];
    const candidates = [
      ...plain,
      `${dotted(n - 2)}/a`,
      `v1${'a'.repeat(n - 2)}`,
      `/${'a'.repeat(n - 1)}`,
      `http-${'a'.repeat(n - 5)}`,
      'A'.repeat(n),
      '1'.repeat(n),
    ];
    return candidates.filter(accepts).slice(0, 1);
  });
}
const longKeys = memo((pattern) => longStrings({ pattern }));

/**
 * Port names of 16, 19 and 24 characters (`http-abcdefghijklmn`, beyond the 15 Kubernetes
 * allows) for a map whose key pattern starts with a protocol alternation.
 */
function longPortNames(pattern: string): string[] {
  const protocol = /^\^\(+(http|http2|https|grpc|grpc-web|tcp|tls|udp)\b/.exec(pattern)?.[1];
  if (!protocol) return [];
  return [16, 19, 24].map((n) => `${protocol}-${'abcdefghijklmnopqrstuvwxyz'.slice(0, n - protocol.length - 1)}`).filter((key) => shapeOf(pattern).test(key));
}

const resourcesLike = (node: JsonSchema): boolean =>
  ['requests', 'limits'].every((side) => ['cpu', 'memory'].every((quantity) => node.properties?.[side]?.properties?.[quantity] !== undefined));
const isStringLeaf = (slot: Slot): boolean => isScalarNode(slot.node) && hasType(slot.node, 'string');
const isIntegerLeaf = (slot: Slot): boolean => isScalarNode(slot.node) && hasType(slot.node, 'integer');
const portsOf = (slot: Slot): number[] =>
  isMap(slot.current) ? Object.values(slot.current).flatMap((entry) => (isMap(entry) && Number.isInteger(entry.port) ? [entry.port as number] : [])) : [];

/** Where a mutation class applies, and the mutations it makes there. */
interface MutationRule {
  applies(slot: Slot): boolean;
  mutate(slot: Slot): fc.Arbitrary<Override>;
}

const RULES: Record<MutationClass, MutationRule> = {
  'yaml-ambiguous-string': { applies: isStringLeaf, mutate: (slot) => at(slot, fc.constantFrom(...YAML_AMBIGUOUS_STRINGS)) },
  'long-name': {
    applies: (slot) => (isStringLeaf(slot) ? longStrings(slot.node) : longKeys(mapOf(slot)?.pattern ?? '(?!)')).length > 0,
    mutate: (slot) => {
      const map = mapOf(slot);
      return map ? newEntry(slot, map.entry, longKeys(map.pattern)) : at(slot, fc.constantFrom(...longStrings(slot.node)));
    },
  },
  'space-in-label': { applies: isStringLeaf, mutate: (slot) => at(slot, fc.constant('has space')) },
  'long-port-name': {
    applies: (slot) => longPortNames(mapOf(slot)?.pattern ?? '').length > 0,
    mutate: (slot) => {
      const map = mapOf(slot)!;
      return newEntry(slot, map.entry, longPortNames(map.pattern));
    },
  },
  'duplicate-port': {
    applies: (slot) => hasType(mapOf(slot)?.entry.properties?.port ?? {}, 'integer') && portsOf(slot).length > 0,
    mutate: (slot) => {
      const map = mapOf(slot)!;
      return fc
        .tuple(keyArbitrary(map.pattern, map.keys), valueArbitrary(map.entry), fc.constantFrom(...portsOf(slot)))
        .map(([key, value, port]) => ({ path: [...slot.path, key], value: { ...(value as Values), port } }));
    },
  },
  'reserved-label': {
    applies: (slot) => {
      const map = mapOf(slot);
      return map !== undefined && hasType(map.entry, 'string') && RESERVED_LABELS.every((key) => regex(map.pattern).test(key));
    },
    mutate: (slot) =>
      fc.tuple(fc.constantFrom(...RESERVED_LABELS), fc.constantFrom('other', 'x')).map(([key, value]) => ({ path: [...slot.path, key], value })),
  },
  'int32-overflow': { applies: isIntegerLeaf, mutate: (slot) => at(slot, fc.constantFrom(2_147_483_648, 4_294_967_296)) },
  'float-notation': { applies: isIntegerLeaf, mutate: (slot) => at(slot, fc.constantFrom(1_000_000, 10_000_000)) },
  'out-of-range': {
    applies: (slot) =>
      isScalarNode(slot.node) &&
      (hasType(slot.node, 'integer') || hasType(slot.node, 'number')) &&
      (slot.node.minimum !== undefined || slot.node.maximum !== undefined),
    mutate: (slot) =>
      at(
        slot,
        fc.constantFrom(...[slot.node.minimum, slot.node.maximum].flatMap((bound, i) => (bound === undefined ? [] : [i === 0 ? bound - 1 : bound + 1]))),
      ),
  },
  'percent-over-100': {
    applies: (slot) => isStringLeaf(slot) && (slot.node.pattern ?? '').includes('%'),
    mutate: (slot) => at(slot, fc.constantFrom('101%', '999%')),
  },
  'requests-above-limits': {
    applies: (slot) => !slot.newEntry && resourcesLike(slot.node),
    mutate: (slot) =>
      fc
        .constantFrom(
          { requests: { cpu: '4' }, limits: { cpu: '1' } },
          { requests: { memory: '2Gi' }, limits: { memory: '512Mi' } },
          { requests: { cpu: '4', memory: '2Gi' }, limits: { cpu: '1', memory: '512Mi' } },
        )
        .map((value) => ({ path: slot.path, value })),
  },
  'numeric-quantity': {
    applies: (slot) => !slot.newEntry && isStringLeaf(slot) && ['cpu', 'memory'].includes(slot.path.at(-1) ?? ''),
    mutate: (slot) => at(slot, fc.constant(slot.path.at(-1) === 'cpu' ? 2 : 1_073_741_824)),
  },
};

/**
 * One bad or boundary value at a path of the schema reachable through `defaults`. The class is
 * chosen first among those that apply somewhere in the schema, then a path where it applies, so
 * a class never lands where it does not apply and rare ones (`requests-above-limits`) come up as
 * often as common ones. Map-level classes add an entry under a new key; the rest set one leaf.
 *
 * @throws when no class applies anywhere, or the schema uses an unsupported keyword.
 */
export function mutationArbitrary(schema: JsonSchema, defaults: unknown): fc.Arbitrary<Mutation> {
  const slots = slotsOf(schema, defaults, []).filter((slot) => slot.path.length > 0);
  const classes = MUTATION_CLASSES.flatMap((name) => {
    const where = slots.filter((slot) => RULES[name].applies(slot));
    return where.length === 0
      ? []
      : [
          fc
            .constantFrom(...where)
            .chain((slot) => RULES[name].mutate(slot))
            .map((override): Mutation => ({ ...override, class: name })),
        ];
  });
  if (classes.length === 0) throw new Error('no mutation class applies to any values path of this schema');
  return fc.oneof(...classes);
}

/** A failing case, for {@link describeCase}. */
export interface Case {
  /** The chart the values were for. */
  chart: string;
  /** fast-check's seed of the run. */
  seed: number;
  /** fast-check's replay path of the case (`RunDetails.counterexamplePath`), if known. */
  runPath?: string | null;
  /** What the case set, mutations included. */
  overrides: ReadonlyArray<Override | Mutation>;
}

/**
 * A case as YAML-ish one-liners, to print when a property fails:
 * `restaurant-app: seed 42, path "17:0"` then `  services.order-service.replicas: 3  # out-of-range`.
 */
export function describeCase(c: Case): string {
  const head = `${c.chart}: seed ${c.seed}${c.runPath ? `, path ${JSON.stringify(c.runPath)}` : ''}`;
  const lines = c.overrides.map((o) => `  ${formatPath(o.path)}: ${JSON.stringify(o.value)}${'class' in o ? `  # ${o.class}` : ''}`);
  return [head, ...lines].join('\n');
}
