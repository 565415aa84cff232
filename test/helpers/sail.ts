// The Sail Operator's kinds (sailoperator.io/v1 Istio, IstioRevisionTag, IstioCNI, ZTunnel) have no
// model package, so they are validated here against JSON schemas written from the documented API
// (Sail Operator 1.30.3) for the fields the istio-mesh chart emits: additionalProperties false
// throughout, so a misspelt key fails like the strict model check fails it for other kinds.
// Importing this module registers the validators with the render harness.
import { registerCustomKind, describeObject, type KubeObject } from './models.js';

/** The JSON-Schema subset the Sail schemas use (draft-07 keywords). */
export interface SailSchema {
  readonly type?: 'object' | 'string' | 'integer' | 'number' | 'boolean' | 'array';
  readonly properties?: Readonly<Record<string, SailSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: false | SailSchema;
  readonly items?: SailSchema;
  readonly enum?: readonly unknown[];
  readonly pattern?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minItems?: number;
}

/**
 * Validates a value against a {@link SailSchema}; returns one message per violation, each with the
 * JSON path (`spec.values.pilot.autoscaleMin`), empty when the value is valid.
 */
export function validateAgainst(schema: SailSchema, value: unknown, path = ''): string[] {
  const at = path || '(root)';
  const errors: string[] = [];
  const type = schema.type;
  if (type === 'object') {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return [`${at}: expected an object`];
    const record = value as Record<string, unknown>;
    for (const key of schema.required ?? []) if (!(key in record)) errors.push(`${at}: missing required field ${key}`);
    for (const [key, child] of Object.entries(record)) {
      const childPath = path ? `${path}.${key}` : key;
      const known = schema.properties?.[key];
      if (known) errors.push(...validateAgainst(known, child, childPath));
      else if (schema.additionalProperties === false || schema.additionalProperties === undefined) errors.push(`${childPath}: unknown field`);
      else errors.push(...validateAgainst(schema.additionalProperties, child, childPath));
    }
    return errors;
  }
  if (type === 'array') {
    if (!Array.isArray(value)) return [`${at}: expected an array`];
    if (schema.minItems !== undefined && value.length < schema.minItems) errors.push(`${at}: expected at least ${schema.minItems} item(s)`);
    value.forEach((item, index) => errors.push(...validateAgainst(schema.items ?? {}, item, `${path}[${index}]`)));
    return errors;
  }
  if (type === 'string' && typeof value !== 'string') return [`${at}: expected a string`];
  if (type === 'boolean' && typeof value !== 'boolean') return [`${at}: expected a boolean`];
  if ((type === 'number' || type === 'integer') && typeof value !== 'number') return [`${at}: expected a number`];
  if (type === 'integer' && !Number.isInteger(value)) return [`${at}: expected an integer`];
  if (schema.enum && !schema.enum.includes(value)) errors.push(`${at}: ${JSON.stringify(value)} is not one of ${schema.enum.map((item) => JSON.stringify(item)).join(', ')}`);
  if (schema.pattern && typeof value === 'string' && !new RegExp(schema.pattern).test(value)) errors.push(`${at}: ${JSON.stringify(value)} does not match ${schema.pattern}`);
  if (schema.minimum !== undefined && typeof value === 'number' && value < schema.minimum) errors.push(`${at}: ${value} is below ${schema.minimum}`);
  if (schema.maximum !== undefined && typeof value === 'number' && value > schema.maximum) errors.push(`${at}: ${value} is above ${schema.maximum}`);
  return errors;
}

const object = (properties: Record<string, SailSchema>, required: readonly string[] = []): SailSchema => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
});
const string = (pattern?: string): SailSchema => (pattern ? { type: 'string', pattern } : { type: 'string' });
const stringMap: SailSchema = { type: 'object', additionalProperties: { type: 'string' } };
const DNS_LABEL = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
const CPU = '^([0-9]+m|[0-9]+(\\.[0-9]{1,3})?)$';
const MEMORY = '^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|k|M|G|T)?$';

/** Versions Sail Operator 1.30.3 installs: v1.28.x, v1.29.x, v1.30.0–v1.30.3 and `vX.Y-latest`. */
export const SAIL_VERSION = '^(v1\\.(28|29)\\.[0-9]+|v1\\.30\\.[0-3]|v1\\.(28|29|30)-latest)$';
/** Profiles Sail ships. */
export const SAIL_PROFILES = ['ambient', 'default', 'demo', 'empty', 'openshift', 'openshift-ambient', 'preview', 'remote', 'stable'] as const;

const resources = object({
  requests: object({ cpu: string(CPU), memory: string(MEMORY) }),
  limits: object({ cpu: string(CPU), memory: string(MEMORY) }),
});

// Cluster-scoped resources: metadata has no namespace.
const metadata = object({ name: string(DNS_LABEL), labels: stringMap, annotations: stringMap }, ['name']);
const resource = (kind: string, spec: SailSchema): SailSchema =>
  object({ apiVersion: { type: 'string', enum: ['sailoperator.io/v1'] }, kind: { type: 'string', enum: [kind] }, metadata, spec }, ['apiVersion', 'kind', 'metadata', 'spec']);

/** `Istio`: the control plane (spec.version, namespace, profile, updateStrategy, values). */
export const ISTIO_SCHEMA: SailSchema = resource(
  'Istio',
  object(
    {
      version: string(SAIL_VERSION),
      namespace: string(DNS_LABEL),
      profile: { type: 'string', enum: SAIL_PROFILES },
      updateStrategy: object(
        {
          type: { type: 'string', enum: ['InPlace', 'RevisionBased'] },
          inactiveRevisionDeletionGracePeriodSeconds: { type: 'integer', minimum: 0 },
          updateWorkloads: { type: 'boolean' },
        },
        ['type'],
      ),
      values: object({
        pilot: object({
          autoscaleEnabled: { type: 'boolean' },
          autoscaleMin: { type: 'integer', minimum: 1 },
          autoscaleMax: { type: 'integer', minimum: 1 },
          replicaCount: { type: 'integer', minimum: 0 },
          resources,
          traceSampling: { type: 'number', minimum: 0, maximum: 100 },
          env: stringMap,
          cni: object({ enabled: { type: 'boolean' } }),
        }),
        global: object({ proxy: object({ resources }) }),
        meshConfig: object({
          accessLogFile: string(),
          accessLogEncoding: { type: 'string', enum: ['JSON', 'TEXT'] },
          extensionProviders: {
            type: 'array',
            items: object({ name: string(DNS_LABEL), opentelemetry: object({ service: string(), port: { type: 'integer', minimum: 1, maximum: 65535 } }, ['service', 'port']) }, ['name']),
          },
        }),
      }),
    },
    ['version', 'namespace'],
  ),
);

/** `IstioRevisionTag`: a stable name for the active revision of an `Istio`. */
export const ISTIO_REVISION_TAG_SCHEMA: SailSchema = resource(
  'IstioRevisionTag',
  object({ targetRef: object({ kind: { type: 'string', enum: ['Istio', 'IstioRevision'] }, name: string(DNS_LABEL) }, ['kind', 'name']) }, ['targetRef']),
);

/** `IstioCNI`: the CNI node agent. */
export const ISTIO_CNI_SCHEMA: SailSchema = resource(
  'IstioCNI',
  object({ version: string(SAIL_VERSION), namespace: string(DNS_LABEL), profile: { type: 'string', enum: SAIL_PROFILES } }, ['version', 'namespace']),
);

/** `ZTunnel`: the ambient node proxy. */
export const ZTUNNEL_SCHEMA: SailSchema = resource(
  'ZTunnel',
  object({ version: string(SAIL_VERSION), namespace: string(DNS_LABEL) }, ['version', 'namespace']),
);

/** The schemas by kind. */
export const SAIL_SCHEMAS: Readonly<Record<string, SailSchema>> = {
  Istio: ISTIO_SCHEMA,
  IstioRevisionTag: ISTIO_REVISION_TAG_SCHEMA,
  IstioCNI: ISTIO_CNI_SCHEMA,
  ZTunnel: ZTUNNEL_SCHEMA,
};

for (const [kind, schema] of Object.entries(SAIL_SCHEMAS)) {
  registerCustomKind('sailoperator.io/v1', kind, (document: KubeObject) => {
    const errors = validateAgainst(schema, document);
    if (errors.length > 0) throw new Error(`${describeObject(document)} is invalid against the Sail ${kind} schema:\n  ${errors.join('\n  ')}`);
  });
}
