/**
 * Validates rendered custom resources against the real CustomResourceDefinitions, the way the
 * Kubernetes API server does on create with strict field validation: the version the object's
 * `apiVersion` names, its structural schema (defaults applied and non-nullable nulls pruned first),
 * unknown fields as errors, and the CEL rules (`x-kubernetes-validations`) evaluated in-process
 * with `@bufbuild/cel`. Pure: nothing here reads files or runs tools, so a user can run it on their
 * own renders:
 *
 * ```ts
 * import yaml from 'js-yaml';
 * import { loadCrdSchemas, validateAgainstCrds } from './generator/checks/crd.js';
 * import type { KubeObject } from './generator/checks/object.js';
 * const index = loadCrdSchemas([readFileSync('crd-all.gen.yaml', 'utf8')]);
 * const { findings } = validateAgainstCrds(yaml.loadAll(rendered) as KubeObject[], index);
 * ```
 *
 * Deliberate approximations: Go's inline `(?i)` regex flag becomes a whole-pattern `i` flag;
 * `format` checks int32/int64 ranges, date-time, byte, ipv4 and ipv6 and accepts other formats;
 * of the Kubernetes CEL libraries only `isIP`, `isURL` and `url(...).getScheme()/getHost()` are
 * shimmed, every other non-standard function makes its rule "not evaluated".
 */
import { isIP, isIPv4, isIPv6 } from 'node:net';
import yaml from 'js-yaml';
import { CelScalar, celEnv, celFunc, celMethod, isCelError, mapType, parse, plan, type CelResult } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import { isMap } from '../../values-schemas/common/merge.js';
import { INT32 } from '../../values-schemas/common/kubernetes.js';
import { describeObject, type KubeObject } from './object.js';

/** One `x-kubernetes-validations` entry. */
export interface CelRule {
  readonly rule: string;
  readonly message?: string;
  readonly messageExpression?: string;
}

/** The structural-schema keywords the check implements (OpenAPI v3 as CRDs use it). */
export interface CrdSchema {
  readonly type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  readonly properties?: Readonly<Record<string, CrdSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | CrdSchema;
  readonly items?: CrdSchema;
  readonly enum?: readonly unknown[];
  readonly pattern?: string;
  readonly format?: string;
  readonly default?: unknown;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: boolean;
  readonly exclusiveMaximum?: boolean;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly minProperties?: number;
  readonly maxProperties?: number;
  readonly nullable?: boolean;
  readonly oneOf?: readonly CrdSchema[];
  readonly anyOf?: readonly CrdSchema[];
  readonly allOf?: readonly CrdSchema[];
  readonly not?: CrdSchema;
  readonly 'x-kubernetes-int-or-string'?: boolean;
  readonly 'x-kubernetes-preserve-unknown-fields'?: boolean;
  readonly 'x-kubernetes-embedded-resource'?: boolean;
  readonly 'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  readonly 'x-kubernetes-list-map-keys'?: readonly string[];
  readonly 'x-kubernetes-validations'?: readonly CelRule[];
}

/** One served version of one CRD. */
export interface CrdVersion {
  /** The CRD's name (`virtualservices.networking.istio.io`). */
  readonly crd: string;
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly schema: CrdSchema;
}

/** The served versions of a set of CRDs, by `group/version/Kind`. */
export interface CrdIndex {
  readonly versions: ReadonlyMap<string, CrdVersion>;
  /** Every API group a CRD of the index defines. */
  readonly groups: ReadonlySet<string>;
}

/** A violation: the object (`VirtualService restaurant/frontend`), the JSON path in it and what is wrong. */
export interface CrdFinding {
  readonly object: string;
  readonly path: string;
  readonly message: string;
}

/** A CEL rule that was reached but not evaluated, and why. */
export interface NotEvaluatedRule {
  /** `<crd>/<version>`. */
  readonly crd: string;
  /** Schema path of the node declaring the rule (`spec.http[*]`, `(root)`). */
  readonly path: string;
  readonly rule: string;
  readonly reason: string;
}

/** What {@link validateAgainstCrds} found. */
export interface CrdReport {
  readonly findings: CrdFinding[];
  /** Distinct CEL rules (per CRD version and schema path) evaluated at least once. */
  readonly celEvaluated: number;
  /** Distinct CEL rules reached but not evaluated, with the reason. */
  readonly celNotEvaluated: NotEvaluatedRule[];
  /** Custom resources checked. */
  readonly checked: number;
  /** Objects of built-in Kubernetes kinds, not checked here. */
  readonly skipped: number;
}

/** The reason given for rules comparing with `oldSelf`. */
export const TRANSITION_RULE = 'transition rule (oldSelf), not applicable on create';

interface CrdDocument {
  kind?: string;
  metadata?: { name?: string };
  spec?: { group?: string; names?: { kind?: string }; versions?: Array<{ name: string; served?: boolean; schema?: { openAPIV3Schema?: CrdSchema } }> };
}

/**
 * Indexes the served versions of every `CustomResourceDefinition` in the given YAML texts; other
 * documents (e.g. a ValidatingAdmissionPolicy shipped with the CRDs) are ignored.
 * @throws when a served version has no `openAPIV3Schema`.
 */
export function loadCrdSchemas(yamlTexts: readonly string[]): CrdIndex {
  const versions = new Map<string, CrdVersion>();
  const groups = new Set<string>();
  for (const text of yamlTexts) {
    for (const document of yaml.loadAll(text) as CrdDocument[]) {
      if (document?.kind !== 'CustomResourceDefinition' || !document.spec?.group || !document.spec.names?.kind) continue;
      const { group, names } = document.spec;
      groups.add(group);
      for (const served of document.spec.versions ?? []) {
        if (served.served === false) continue;
        const schema = served.schema?.openAPIV3Schema;
        if (!schema) throw new Error(`CRD ${document.metadata?.name} version ${served.name} has no openAPIV3Schema`);
        versions.set(`${group}/${served.name}/${names.kind}`, {
          crd: document.metadata?.name ?? `${names.kind}.${group}`,
          group,
          version: served.name,
          kind: names.kind!,
          schema,
        });
      }
    }
  }
  return { versions, groups };
}

// ---------------------------------------------------------------------------------------------
// CEL: one environment with the strings extension and shims of the Kubernetes functions the
// pinned CRDs use; compiled rules are cached per process.

const URL_TYPE = mapType(CelScalar.STRING, CelScalar.STRING);
/** Kubernetes' `url()` accepts absolute URLs and absolute paths (Go's url.ParseRequestURI). */
function parseUrl(text: string): Map<string, string> | undefined {
  if (text.startsWith('/'))
    return new Map([
      ['scheme', ''],
      ['host', ''],
    ]);
  try {
    const url = new URL(text);
    return new Map([
      ['scheme', url.protocol.replace(/:$/, '')],
      ['host', url.host],
    ]);
  } catch {
    return undefined;
  }
}
const KUBERNETES_SHIMS = [
  celFunc('isIP', [CelScalar.STRING], CelScalar.BOOL, (text) => isIP(text) !== 0),
  celFunc('isURL', [CelScalar.STRING], CelScalar.BOOL, (text) => parseUrl(text) !== undefined),
  celFunc('url', [CelScalar.STRING], URL_TYPE, (text) => {
    const url = parseUrl(text);
    if (!url) throw new Error(`url: ${JSON.stringify(text)} is not an absolute URL or path`);
    return url;
  }),
  celMethod('getScheme', URL_TYPE, [], CelScalar.STRING, function () {
    return String(this.get('scheme'));
  }),
  celMethod('getHost', URL_TYPE, [], CelScalar.STRING, function () {
    return String(this.get('host'));
  }),
];
const ENV = celEnv({ funcs: [...strings, ...KUBERNETES_SHIMS] });

type Program = { run: (bindings: { self: unknown }) => CelResult } | { error: string };
const programs = new Map<string, Program>();
function compile(rule: string): Program {
  let program = programs.get(rule);
  if (!program) {
    try {
      const evaluate = plan(ENV, parse(rule)) as (bindings: Record<string, unknown>) => CelResult;
      program = { run: (bindings) => evaluate(bindings) };
    } catch (error) {
      program = { error: `does not compile: ${(error as Error).message}` };
    }
    programs.set(rule, program);
  }
  return program;
}
/** Errors that mean the evaluator lacks a function, not that the object is wrong. */
const UNSUPPORTED = /unbound function|no matching overload|unsupported input|unresolved attribute/;

const CEL_RESERVED = new Set([
  'true',
  'false',
  'null',
  'in',
  'as',
  'break',
  'const',
  'continue',
  'else',
  'for',
  'function',
  'if',
  'import',
  'let',
  'loop',
  'package',
  'namespace',
  'return',
  'var',
  'void',
  'while',
]);
/** Kubernetes' escaping of property names in CEL (`namespace` → `__namespace__`, `a-b` → `a__dash__b`). */
const escapeProperty = (name: string) =>
  CEL_RESERVED.has(name)
    ? `__${name}__`
    : name.replaceAll('__', '__underscores__').replaceAll('.', '__dot__').replaceAll('-', '__dash__').replaceAll('/', '__slash__');

/**
 * The CEL value of a node: maps as `Map` (schema properties under their escaped names), integers
 * as `BigInt` (`number`-typed fields stay doubles).
 */
function toCel(schema: CrdSchema | undefined, value: unknown, resourceRoot = false): unknown {
  if (Array.isArray(value)) return value.map((item) => toCel(schema?.items, item));
  if (isMap(value)) {
    const entries = Object.entries(value)
      // CEL sees only name and generateName of a resource's metadata.
      .map(([key, child]): [string, unknown] =>
        resourceRoot && key === 'metadata' && child && typeof child === 'object'
          ? [key, toCel(undefined, Object.fromEntries(Object.entries(child).filter(([field]) => field === 'name' || field === 'generateName')))]
          : schema?.properties?.[key]
            ? [escapeProperty(key), toCel(schema.properties[key], child)]
            : [key, toCel(typeof schema?.additionalProperties === 'object' ? schema.additionalProperties : undefined, child)],
      );
    return new Map(entries);
  }
  if (typeof value === 'number' && schema?.type !== 'number' && Number.isInteger(value)) return BigInt(value);
  return value;
}

// ---------------------------------------------------------------------------------------------
// Structural validation.

type Segment = string | number;
const IDENTIFIER = /^[A-Za-z_$][\w$-]*$/;
function formatPath(path: readonly Segment[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += segment < 0 ? '[*]' : `[${segment}]`;
    else if (segment === '*') text += '.*';
    else text += IDENTIFIER.test(segment) ? `${text ? '.' : ''}${segment}` : `[${JSON.stringify(segment)}]`;
  }
  return text || '(root)';
}

const show = (value: unknown) => JSON.stringify(value) ?? String(value);
const regexes = new Map<string, RegExp>();
/** Go RE2 patterns in JavaScript: an inline `(?i)` becomes the `i` flag for the whole pattern. */
function regex(pattern: string): RegExp {
  let compiled = regexes.get(pattern);
  if (!compiled) {
    compiled = pattern.includes('(?i)') ? new RegExp(pattern.replaceAll('(?i)', ''), 'iu') : new RegExp(pattern, 'u');
    regexes.set(pattern, compiled);
  }
  return compiled;
}

/** ObjectMeta as the API server accepts it on create (the CRD schemas only say `type: object`). */
const stringMap: CrdSchema = { type: 'object', additionalProperties: { type: 'string' } };
const OBJECT_META: CrdSchema = {
  type: 'object',
  properties: {
    name: { type: 'string', maxLength: 253, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$' },
    generateName: { type: 'string' },
    namespace: { type: 'string', maxLength: 63, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' },
    labels: stringMap,
    annotations: stringMap,
    finalizers: { type: 'array', items: { type: 'string' } },
    ownerReferences: { type: 'array', items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
    uid: { type: 'string' },
    resourceVersion: { type: 'string' },
    generation: { type: 'integer' },
    creationTimestamp: { type: 'string', nullable: true },
  },
};

interface Context {
  readonly crd: string;
  readonly object: string;
  readonly findings: CrdFinding[];
  readonly evaluated: Set<string>;
  readonly notEvaluated: Map<string, NotEvaluatedRule>;
  /** False inside oneOf/anyOf/allOf/not: value validations only (no unknown fields, no CEL). */
  readonly structural: boolean;
}

/** Applies defaults and prunes nulls of non-nullable fields, as the API server does before validating. */
function defaulted(schema: CrdSchema | undefined, value: unknown): unknown {
  if (!schema) return value;
  if (Array.isArray(value)) return value.map((item) => defaulted(schema.items, item));
  if (!isMap(value)) return value;
  const result: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const childSchema = schema.properties?.[key] ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
    if (child === null && childSchema && !childSchema.nullable) continue;
    result[key] = defaulted(childSchema, child);
  }
  for (const [key, childSchema] of Object.entries(schema.properties ?? {})) {
    if (!(key in result) && childSchema.default !== undefined) result[key] = defaulted(childSchema, structuredClone(childSchema.default));
  }
  return result;
}

function checkFormat(format: string, value: unknown): string | undefined {
  if (typeof value === 'number') {
    if (format === 'int32' && (value < INT32.min || value > INT32.max)) return `${value} does not fit int32`;
    if (format === 'int64' && !Number.isSafeInteger(value)) return `${value} does not fit int64 exactly`;
  }
  if (typeof value !== 'string') return undefined;
  if (format === 'date-time' && !/^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(value))
    return `${show(value)} is not an RFC 3339 date-time`;
  if (format === 'byte' && !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) return `${show(value)} is not base64`;
  if (format === 'ipv4' && !isIPv4(value)) return `${show(value)} is not an IPv4 address`;
  if (format === 'ipv6' && !isIPv6(value)) return `${show(value)} is not an IPv6 address`;
  return undefined;
}

function typeError(schema: CrdSchema, value: unknown): string | undefined {
  if (schema['x-kubernetes-int-or-string'])
    return typeof value === 'string' || Number.isInteger(value) ? undefined : `expected an integer or a string, got ${show(value)}`;
  switch (schema.type) {
    case 'object':
      return isMap(value) ? undefined : `expected an object, got ${show(value)}`;
    case 'array':
      return Array.isArray(value) ? undefined : `expected an array, got ${show(value)}`;
    case 'string':
    case 'boolean':
      return typeof value === schema.type ? undefined : `expected a ${schema.type}, got ${show(value)}`;
    case 'integer':
      return Number.isInteger(value) ? undefined : `expected an integer, got ${show(value)}`;
    case 'number':
      return typeof value === 'number' ? undefined : `expected a number, got ${show(value)}`;
    default:
      return undefined;
  }
}

function validateNode(schema: CrdSchema, value: unknown, path: Segment[], schemaPath: Segment[], cx: Context, resourceRoot = false): void {
  const report = (message: string, at: Segment[] = path): void => void cx.findings.push({ object: cx.object, path: formatPath(at), message });
  if (value === null) {
    if (!schema.nullable) report('must not be null');
    return;
  }
  const wrongType = typeError(schema, value);
  if (wrongType) {
    report(wrongType);
    return;
  }
  if (schema.enum && !schema.enum.some((allowed) => show(allowed) === show(value))) {
    const allowed = schema.enum.slice(0, 8).map(show).join(', ') + (schema.enum.length > 8 ? `, … (${schema.enum.length} in all)` : '');
    report(`${show(value)} is not one of ${allowed}`);
  }
  if (schema.format) {
    const problem = checkFormat(schema.format, value);
    if (problem) report(problem);
  }
  if (typeof value === 'string') {
    const length = [...value].length;
    if (schema.minLength !== undefined && length < schema.minLength) report(`must be at least ${schema.minLength} characters long`);
    if (schema.maxLength !== undefined && length > schema.maxLength) report(`must be at most ${schema.maxLength} characters long, is ${length}`);
    if (schema.pattern && !regex(schema.pattern).test(value)) report(`${show(value)} does not match ${schema.pattern}`);
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && (schema.exclusiveMinimum ? value <= schema.minimum : value < schema.minimum))
      report(`${value} must be ${schema.exclusiveMinimum ? 'greater than' : 'at least'} ${schema.minimum}`);
    if (schema.maximum !== undefined && (schema.exclusiveMaximum ? value >= schema.maximum : value > schema.maximum))
      report(`${value} must be ${schema.exclusiveMaximum ? 'less than' : 'at most'} ${schema.maximum}`);
  }
  if (Array.isArray(value)) validateArray(schema, value, path, schemaPath, cx);
  if (isMap(value)) validateObject(schema, value, path, schemaPath, cx, resourceRoot || !!schema['x-kubernetes-embedded-resource']);
  validateJunctors(schema, value, path, cx);
  if (cx.structural) for (const rule of schema['x-kubernetes-validations'] ?? []) evaluateRule(rule, schema, value, path, schemaPath, cx, resourceRoot);
}

function validateArray(schema: CrdSchema, value: readonly unknown[], path: Segment[], schemaPath: Segment[], cx: Context): void {
  const report = (message: string, at: Segment[] = path): void => void cx.findings.push({ object: cx.object, path: formatPath(at), message });
  if (schema.minItems !== undefined && value.length < schema.minItems) report(`must have at least ${schema.minItems} item(s)`);
  if (schema.maxItems !== undefined && value.length > schema.maxItems) report(`must have at most ${schema.maxItems} item(s), has ${value.length}`);
  const listType = schema['x-kubernetes-list-type'];
  if (listType === 'set' || listType === 'map') {
    const keys = schema['x-kubernetes-list-map-keys'] ?? [];
    const keyOf = (item: unknown) =>
      listType === 'set' ? show(item) : show(keys.map((key) => (isMap(item) && key in item ? item[key] : schema.items?.properties?.[key]?.default)));
    const seen = new Set<string>();
    value.forEach((item, index) => {
      const key = keyOf(item);
      if (seen.has(key)) report(`duplicate ${listType === 'set' ? 'value' : `entry for key ${keys.join(', ')}`}: ${key}`, [...path, index]);
      seen.add(key);
    });
  }
  if (schema.items) {
    for (const [index, item] of value.entries()) validateNode(schema.items, item, [...path, index], [...schemaPath, -1], cx);
  }
}

function validateObject(schema: CrdSchema, value: Record<string, unknown>, path: Segment[], schemaPath: Segment[], cx: Context, resource: boolean): void {
  const report = (message: string, at: Segment[] = path): void => void cx.findings.push({ object: cx.object, path: formatPath(at), message });
  for (const key of schema.required ?? []) if (!(key in value)) report(`missing required field ${key}`);
  const count = Object.keys(value).length;
  if (schema.minProperties !== undefined && count < schema.minProperties) report(`must have at least ${schema.minProperties} field(s)`);
  if (schema.maxProperties !== undefined && count > schema.maxProperties) report(`must have at most ${schema.maxProperties} field(s), has ${count}`);
  for (const [key, child] of Object.entries(value)) {
    const at = [...path, key];
    if (resource && key === 'metadata' && cx.structural) {
      validateNode(OBJECT_META, child, at, [...schemaPath, key], cx);
      const own = schema.properties?.metadata;
      if (own) validateNode(own, child, at, [...schemaPath, key], { ...cx, structural: false });
      continue;
    }
    const known = schema.properties?.[key];
    if (known) validateNode(known, child, at, [...schemaPath, key], cx);
    else if (typeof schema.additionalProperties === 'object') validateNode(schema.additionalProperties, child, at, [...schemaPath, '*'], cx);
    else if (schema.additionalProperties === true || schema['x-kubernetes-preserve-unknown-fields']) continue;
    else if (resource && (key === 'apiVersion' || key === 'kind')) {
      if (typeof child !== 'string') report('expected a string', at);
    } else if (cx.structural) report('unknown field', at);
  }
  if (resource && cx.structural && path.length > 0) for (const key of ['apiVersion', 'kind']) if (!value[key]) report(`missing required field ${key}`);
}

function validateJunctors(schema: CrdSchema, value: unknown, path: Segment[], cx: Context): void {
  if (!schema.allOf && !schema.anyOf && !schema.oneOf && !schema.not) return;
  const passes = (sub: CrdSchema) => {
    const probe: Context = { ...cx, findings: [], structural: false };
    validateNode(sub, value, path, [], probe);
    return probe.findings;
  };
  const report = (message: string) => cx.findings.push({ object: cx.object, path: formatPath(path), message });
  for (const sub of schema.allOf ?? []) cx.findings.push(...passes(sub));
  if (schema.anyOf && !schema.anyOf.some((sub) => passes(sub).length === 0))
    report(`must validate against at least one of the anyOf schemas (${schema.anyOf.map((sub) => show(sub)).join(' | ')})`);
  if (schema.oneOf) {
    const matching = schema.oneOf.filter((sub) => passes(sub).length === 0).length;
    if (matching !== 1)
      report(`must validate against exactly one of the oneOf schemas, matches ${matching} (${schema.oneOf.map((sub) => show(sub)).join(' | ')})`);
  }
  if (schema.not && passes(schema.not).length === 0) report(`must not validate against ${show(schema.not)}`);
}

function evaluateRule(rule: CelRule, schema: CrdSchema, value: unknown, path: Segment[], schemaPath: Segment[], cx: Context, resourceRoot: boolean): void {
  const where = formatPath(schemaPath);
  const id = `${cx.crd}\u0000${where}\u0000${rule.rule}`;
  const skip = (reason: string): void => void cx.notEvaluated.set(id, { crd: cx.crd, path: where, rule: rule.rule, reason });
  if (/\boldSelf\b/.test(rule.rule)) {
    skip(TRANSITION_RULE);
    return;
  }
  const program = compile(rule.rule);
  if ('error' in program) {
    skip(program.error);
    return;
  }
  const self = toCel(schema, value, resourceRoot);
  const result = program.run({ self });
  if (isCelError(result) && UNSUPPORTED.test(result.message)) {
    skip(`not supported by the evaluator: ${result.message}`);
    return;
  }
  cx.evaluated.add(id);
  if (result === true) return;
  let message = rule.message ?? `failed rule: ${rule.rule}`;
  if (rule.messageExpression) {
    const expression = compile(rule.messageExpression);
    const text = 'run' in expression ? expression.run({ self }) : undefined;
    if (typeof text === 'string') message = text;
  }
  const detail = isCelError(result) ? `rule \`${rule.rule}\` failed to evaluate: ${result.message}` : `${message} (rule \`${rule.rule}\`)`;
  cx.findings.push({ object: cx.object, path: formatPath(path), message: detail });
}

/** Whether an API group is Kubernetes' own (core, `apps`, `*.k8s.io` not defined by a CRD). */
const isBuiltIn = (group: string, index: CrdIndex) => !index.groups.has(group) && (group === '' || !group.includes('.') || group.endsWith('.k8s.io'));

/**
 * Validates every custom resource among `objects` against the CRD version its `apiVersion` names:
 * structural schema with unknown fields as errors, then every CEL rule at the node declaring it.
 * A custom resource no CRD of the index serves is a finding; built-in kinds are only counted.
 */
export function validateAgainstCrds(objects: readonly KubeObject[], index: CrdIndex): CrdReport {
  const findings: CrdFinding[] = [];
  const evaluated = new Set<string>();
  const notEvaluated = new Map<string, NotEvaluatedRule>();
  let checked = 0;
  let skipped = 0;
  for (const original of objects) {
    const apiVersion = original.apiVersion ?? '';
    const [group, version] = apiVersion.includes('/') ? (apiVersion.split('/') as [string, string]) : ['', apiVersion];
    if (isBuiltIn(group, index)) {
      skipped += 1;
      continue;
    }
    checked += 1;
    const served = index.versions.get(`${group}/${version}/${original.kind}`);
    if (!served) {
      findings.push({ object: describeObject(original), path: 'apiVersion', message: `no CRD serves ${apiVersion} ${original.kind}` });
      continue;
    }
    // What the API server decodes: plain JSON, defaults applied.
    const object = defaulted(served.schema, JSON.parse(JSON.stringify(original)));
    const cx: Context = { crd: `${served.crd}/${served.version}`, object: describeObject(original), findings, evaluated, notEvaluated, structural: true };
    validateNode(served.schema, object, [], [], cx, true);
    if (!original.metadata?.name && !original.metadata?.generateName)
      findings.push({ object: cx.object, path: 'metadata.name', message: 'missing required field name (or generateName)' });
  }
  return { findings, celEvaluated: evaluated.size, celNotEvaluated: [...notEvaluated.values()], checked, skipped };
}
