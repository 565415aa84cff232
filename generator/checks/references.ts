/**
 * Cross-chart references over the renders of several charts together: every in-cluster URL or
 * host any object names (`<service>.<namespace>.svc[.<clusterDomain>][:port]`, in env values,
 * config files, annotations, Istio resources) must resolve to a rendered Service with that port;
 * the mesh's OTLP tracing provider must reach a rendered collector port. Hosts in namespaces that
 * no rendered object lives in are not ours to judge and are returned as unresolved, not passed.
 * Services that exist only at run time are matched by their makers: the Sail Operator's istiod
 * Services (for a rendered `Istio`), and an ambient waypoint's Service (for a rendered Gateway of
 * class `istio-waypoint`). Pure.
 */
import { asArray, asObject, describeObject, type KubeObject } from './object.js';

/** One reference that does not resolve. */
export interface ReferenceFinding {
  readonly object: string;
  readonly message: string;
  readonly fix: string;
}

/** The result of {@link checkReferences}. */
export interface ReferenceReport {
  readonly findings: ReferenceFinding[];
  /** `host` → the objects naming it, for hosts in namespaces no rendered object lives in. */
  readonly outside: ReadonlyMap<string, readonly string[]>;
  /** How many references were resolved. */
  readonly resolved: number;
}

/** Options for {@link checkReferences}. */
export interface ReferenceOptions {
  /** The cluster DNS domain. @default "cluster.local" */
  readonly clusterDomain?: string;
}

const spec = (object: KubeObject) => asObject((object as { spec?: unknown }).spec);

/** Every string below a value, with JSON and YAML documents inside strings read as text too. */
function* strings(value: unknown): Generator<string> {
  if (typeof value === 'string') yield value;
  else if (Array.isArray(value)) for (const item of value) yield* strings(item);
  else if (value !== null && typeof value === 'object') for (const item of Object.values(value)) yield* strings(item);
}

/** The Services of the render, and those the rendered control plane and waypoints create at run time. */
function serviceIndex(objects: readonly KubeObject[]): { ports: Map<string, Set<number> | 'any'>; namespaces: Set<string> } {
  const ports = new Map<string, Set<number> | 'any'>();
  const namespaces = new Set<string>();
  for (const object of objects) {
    const namespace = object.metadata?.namespace;
    if (namespace) namespaces.add(namespace);
    if (object.kind === 'Namespace' && object.metadata?.name) namespaces.add(object.metadata.name);
    if (object.kind === 'Service' && namespace) {
      const numbers = new Set<number>();
      for (const port of asArray(spec(object)['ports'])) numbers.add(Number(asObject(port)['port']));
      ports.set(`${object.metadata?.name}.${namespace}`, numbers);
    }
    if (
      object.kind === 'Gateway' &&
      object.apiVersion.startsWith('gateway.networking.k8s.io/') &&
      spec(object)['gatewayClassName'] === 'istio-waypoint' &&
      namespace
    ) {
      ports.set(`${object.metadata?.name}.${namespace}`, 'any');
    }
  }
  for (const istio of objects.filter((object) => object.apiVersion === 'sailoperator.io/v1' && object.kind === 'Istio')) {
    const namespace = String(spec(istio)['namespace'] ?? 'istio-system');
    namespaces.add(namespace);
    ports.set(`istiod.${namespace}`, 'any');
    ports.set(`istiod-*.${namespace}`, 'any');
  }
  return { ports, namespaces };
}

/** `checkReferences`: see the module comment. */
export function checkReferences(objects: readonly KubeObject[], options: ReferenceOptions = {}): ReferenceReport {
  const domain = (options.clusterDomain ?? 'cluster.local').replaceAll('.', '\\.');
  const host = new RegExp(
    `(?<![-a-z0-9.])([a-z0-9]([-a-z0-9]*[a-z0-9])?)\\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)\\.svc(?:\\.${domain})?(?![-a-z0-9])(?::(\\d{1,5}))?`,
    'g',
  );
  const { ports, namespaces } = serviceIndex(objects);
  const findings: ReferenceFinding[] = [];
  const outside = new Map<string, string[]>();
  let resolved = 0;
  const known = (name: string, namespace: string) =>
    ports.get(`${name}.${namespace}`) ?? (name.startsWith('istiod-') ? ports.get(`istiod-*.${namespace}`) : undefined);

  const judge = (object: KubeObject, name: string, namespace: string, port: number | undefined, where: string) => {
    const id = describeObject(object);
    if (!namespaces.has(namespace)) {
      const key = `${name}.${namespace}.svc`;
      outside.set(key, [...new Set([...(outside.get(key) ?? []), id])]);
      return;
    }
    const service = known(name, namespace);
    if (!service) {
      findings.push({
        object: id,
        message: `${where} names ${name}.${namespace}.svc, but no Service ${namespace}/${name} is rendered`,
        fix: `point it at a rendered Service (or render ${namespace}/${name})`,
      });
    } else if (port !== undefined && service !== 'any' && !service.has(port)) {
      findings.push({
        object: id,
        message: `${where} names port ${port} of Service ${namespace}/${name}, which serves ${[...service].sort((a, b) => a - b).join(', ')}`,
        fix: `use one of the Service's ports`,
      });
    } else resolved += 1;
  };

  for (const object of objects) {
    const seen = new Set<string>();
    // Istio's tracing providers give the port apart from the host: judged with it, and only once.
    if (object.apiVersion === 'sailoperator.io/v1' && object.kind === 'Istio') {
      const providers = asArray(asObject(asObject(spec(object)['values'])['meshConfig'])['extensionProviders']);
      for (const provider of providers.map(asObject)) {
        const otel = asObject(provider['opentelemetry']);
        const [name, namespace] = String(otel['service'] ?? '').split('.');
        if (!name || !namespace) continue;
        seen.add(`${name}.${namespace}:`);
        judge(object, name, namespace, typeof otel['port'] === 'number' ? otel['port'] : undefined, `tracing provider ${String(provider['name'])}`);
      }
    }
    for (const text of strings(object)) {
      for (const match of text.matchAll(host)) {
        const [, name, , namespace, , port] = match as unknown as [string, string, string, string, string, string | undefined];
        const key = `${name}.${namespace}:${port ?? ''}`;
        if (seen.has(key)) continue;
        seen.add(key);
        judge(object, name, namespace, port === undefined ? undefined : Number(port), 'a URL');
      }
    }
  }
  return { findings, outside, resolved };
}
