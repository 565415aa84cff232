/**
 * Value types that Kubernetes and Istio judge at apply time, judged here at render time instead,
 * so a typo fails `helm template` with the values path rather than a cluster admission error.
 */
import { Type } from '@sinclair/typebox';
import { strictObject, mapOf } from './schema.js';

/** RFC 1123 DNS label (names of Services, ServiceAccounts, namespaces, map keys that become names). */
export const DNS_LABEL = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
/** RFC 1123 subdomain: a fully qualified host name such as `restaurant.example.com`. */
export const DNS_SUBDOMAIN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
/** CPU quantity: `250m`, `0.5`, `2`. */
export const CPU_QUANTITY = '^([0-9]+m|[0-9]+(\\.[0-9]{1,3})?)$';
/** Memory quantity in binary or decimal units: `128Mi`, `1Gi`, `500M` (not `500mb`). */
export const MEMORY_QUANTITY = '^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$';
/** Go/Envoy duration as Istio accepts it: `500ms`, `10s`, `1m30s`, `2h`. */
export const DURATION = '^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$';
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
/** A ConfigMap/Secret key. */
export const CONFIG_KEY = '^[-._a-zA-Z0-9]+$';
/** A label or annotation key (optional DNS prefix, then a name). */
export const LABEL_KEY = '^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$';
/** An integer or a percentage, as PodDisruptionBudget fields take them: `1`, `"50%"`. */
export const PERCENT = '^[0-9]{1,3}%$';

/** A TCP/UDP port number. */
export const Port = (description: string) => Type.Integer({ minimum: 1, maximum: 65535, description });

/** A Kubernetes duration string. */
export const Duration = (description: string) => Type.String({ pattern: DURATION, description });

/** A non-negative whole number of seconds. */
export const Seconds = (description: string, minimum = 0) => Type.Integer({ minimum, description });

/** Labels or annotations as a map (merged across values files). */
export const StringMap = (description: string) => mapOf(LABEL_KEY, Type.String(), { description });

/** CPU and memory requests and limits. */
export const Resources = (description: string) =>
  strictObject(
    {
      requests: strictObject(
        {
          cpu: Type.String({ pattern: CPU_QUANTITY, description: 'CPU request, e.g. `100m`.' }),
          memory: Type.String({ pattern: MEMORY_QUANTITY, description: 'Memory request, e.g. `128Mi`.' }),
        },
        { description: 'What the scheduler reserves for the container.' },
      ),
      limits: strictObject(
        {
          cpu: Type.String({ pattern: CPU_QUANTITY, description: 'CPU limit, e.g. `500m`.' }),
          memory: Type.String({ pattern: MEMORY_QUANTITY, description: 'Memory limit, e.g. `256Mi`; the container is OOM-killed above it.' }),
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
  Type.Unsafe<number | string>({ type: ['integer', 'string'], minimum: 0, pattern: PERCENT, description });
