/**
 * Value types that Kubernetes and Istio judge at apply time, judged here at render time instead,
 * so a typo fails `helm template` with the values path rather than a cluster admission error.
 */
import { Type } from '@sinclair/typebox';
import { strictObject, mapOf } from './schema.js';
import { ISTIO_DURATION } from './duration.js';
import { CPU_QUANTITY, MEMORY_QUANTITY } from './quantity.js';

// Lengths are part of the patterns, not only `maxLength`: a pattern is the one constraint JSON
// Schema applies to map keys, and map keys here become object names and label values.
const LABEL_BODY = '[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?';

/** RFC 1123 DNS label of at most 63 characters (namespaces, ServiceAccounts, Secrets, map keys that become names). */
export const DNS_LABEL = `^${LABEL_BODY}$`;
/**
 * RFC 1035 DNS label of at most 63 characters: starts with a letter. Service names must be one,
 * so every key that names a Service is one.
 */
export const DNS_1035_LABEL = '^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$';
/**
 * RFC 1123 subdomain (each label at most 63 characters): a host name such as `restaurant.example.com`.
 * Its 253-character total is `maxLength` of {@link DnsSubdomain}.
 */
const DNS_SUBDOMAIN = `^${LABEL_BODY}(\\.${LABEL_BODY})*$`;
/** The longest RFC 1123 subdomain: object names and host names. */
const DNS_SUBDOMAIN_MAX_LENGTH = 253;
/** An OCI image tag. */
export const IMAGE_TAG = '^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$';
/** An image tag, or empty for "inherit". */
export const OPTIONAL_IMAGE_TAG = '^([A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?$';
/** An OCI image digest. */
export const IMAGE_DIGEST = '^sha256:[a-f0-9]{64}$';
/** An image registry host with optional port and path: `registry.example.com/restaurant`. */
export const IMAGE_REGISTRY = '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:[0-9]{1,5})?(/[a-z0-9]([-a-z0-9._]*[a-z0-9])?)*$';
/** An image repository path below the registry: `order-service`, `team/order-service`. */
export const IMAGE_REPOSITORY = '^[a-z0-9]([-a-z0-9._]*[a-z0-9])?(/[a-z0-9]([-a-z0-9._]*[a-z0-9])?)*$';
/** A C-identifier-like environment variable name. */
export const ENV_NAME = '^[A-Za-z_][A-Za-z0-9_]*$';
/** A ConfigMap/Secret key (at most 253 characters). */
export const CONFIG_KEY = '^[-._a-zA-Z0-9]{1,253}$';
/**
 * A label or annotation key: an optional DNS-subdomain prefix and `/`, then a name of at most 63
 * characters (alphanumeric at both ends; `-`, `_`, `.` inside).
 */
const LABEL_KEY = `^(${LABEL_BODY}(\\.${LABEL_BODY})*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$`;
/** A label value: empty, or at most 63 characters, alphanumeric at both ends (no spaces, no `/`). */
const LABEL_VALUE = '^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$';
/** A percentage from 0% to 100%, as PodDisruptionBudget fields take it: `"50%"`. */
const PERCENT = '^([0-9]|[1-9][0-9]|100)%$';
/** The range of a Kubernetes int32 field (replicas, ports, probe settings, …), which the API server decodes it into. */
export const INT32 = { min: -2_147_483_648, max: 2_147_483_647 } as const;

/** A whole number within a Kubernetes int32 field's range (`minimum` defaults to 0). */
export const Int32 = (description: string, minimum = 0, maximum: number = INT32.max) => Type.Integer({ minimum, maximum, description });

/** A TCP/UDP port number. */
export const Port = (description: string) => Type.Integer({ minimum: 1, maximum: 65535, description });

/** An RFC 1123 DNS label of at most 63 characters, such as a namespace. */
export const DnsLabel = (description: string) => Type.String({ pattern: DNS_LABEL, maxLength: 63, description });

/** An RFC 1123 subdomain of at most 253 characters, such as a host name. */
export const DnsSubdomain = (description: string) => Type.String({ pattern: DNS_SUBDOMAIN, maxLength: DNS_SUBDOMAIN_MAX_LENGTH, description });

/** An Istio duration string ({@link ISTIO_DURATION}). */
export const Duration = (description: string) => Type.String({ pattern: ISTIO_DURATION, description });

/** A non-negative whole number of seconds (bounded as the int32 probe fields are). */
export const Seconds = (description: string, minimum = 0) => Int32(description, minimum);

/** Labels as a map (merged across values files): label keys, label values. */
export const LabelMap = (description: string) => mapOf(LABEL_KEY, Type.String({ pattern: LABEL_VALUE }), { description });

/** Annotations as a map (merged across values files): label-syntax keys, any string values. */
export const AnnotationMap = (description: string) => mapOf(LABEL_KEY, Type.String(), { description });

/**
 * A resource quantity: a string in `pattern`'s form, or a plain number (`cpu: 2`, `memory:
 * 1073741824`), which Kubernetes accepts too.
 */
const Quantity = (pattern: string, description: string) =>
  // One node rather than anyOf, as in IntOrPercent: both Helm versions then report one clear error.
  Type.Unsafe<string | number>({ type: ['string', 'number'], pattern, minimum: 0, description });

/** CPU and memory requests and limits. */
export const Resources = (description: string) =>
  strictObject(
    {
      requests: strictObject(
        {
          cpu: Quantity(CPU_QUANTITY, 'CPU request, e.g. `100m`; at most the limit.'),
          memory: Quantity(MEMORY_QUANTITY, 'Memory request, e.g. `128Mi`; at most the limit.'),
        },
        { description: 'What the scheduler reserves for the container.' },
      ),
      limits: strictObject(
        {
          cpu: Quantity(CPU_QUANTITY, 'CPU limit, e.g. `500m`.'),
          memory: Quantity(MEMORY_QUANTITY, 'Memory limit, e.g. `256Mi`; the container is OOM-killed above it.'),
        },
        { description: 'The most the container may use.' },
      ),
    },
    { description },
  );

/** An integer or a percentage string. */
export const IntOrPercent = (description: string) =>
  // One node rather than anyOf: `pattern` applies to strings only, `minimum` to numbers only,
  // and both Helm versions then report a single clear error.
  Type.Unsafe<number | string>({ type: ['integer', 'string'], minimum: 0, maximum: INT32.max, pattern: PERCENT, description });
