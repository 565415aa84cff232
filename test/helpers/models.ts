// Maps rendered documents to their kubernetes-models classes, validates each, and offers typed
// look-ups. A kind without a model fails: an object nobody can check is not silently accepted.
import { describeObject, type KubeObject } from '../../generator/checks/object.js';

/** A rendered Kubernetes object (a model instance once {@link toModels} has run): the checks' own type. */
export type { KubeObject };

/** What a model class offers the harness. */
interface ModelClass {
  new (data: object): { validate(): void };
}

/** A model class as test code uses it: a type guard plus its kind. */
export interface TypedModel<T> {
  readonly kind: string;
  readonly apiVersion: string;
  is(value: unknown): value is T;
}

/** A validator for a kind no package models (e.g. the Sail Operator's `Istio`). */
export type CustomValidator = (object: KubeObject) => void;

const customValidators = new Map<string, CustomValidator>();

/**
 * Registers a validator for a kind no model package covers; it must throw on an invalid object,
 * unknown fields included (the strict check does not see custom kinds).
 */
export function registerCustomKind(apiVersion: string, kind: string, validate: CustomValidator): void {
  customValidators.set(`${apiVersion}/${kind}`, validate);
}

/** Whether a kind is covered by a custom validator rather than a model package. */
export function isCustomKind(apiVersion: string, kind: string): boolean {
  return customValidators.has(`${apiVersion}/${kind}`);
}

/**
 * The module that holds the model of `apiVersion`/`kind`, by the model packages' layout:
 * core (`v1/Kind`), built-in groups, Istio, Prometheus Operator and Gateway API.
 */
export function modelModule(apiVersion: string, kind: string): string {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  if (!group) return `kubernetes-models/${version}/${kind}`;
  if (group.endsWith('.istio.io')) return `@kubernetes-models/istio/${group}/${version}/${kind}`;
  if (group === 'monitoring.coreos.com') return `@kubernetes-models/prometheus-operator/${group}/${version}/${kind}`;
  if (group === 'gateway.networking.k8s.io') return `@kubernetes-models/gateway-api/${group}/${version}/${kind}`;
  return `kubernetes-models/${group}/${version}/${kind}`;
}

const modelCache = new Map<string, ModelClass>();

async function modelFor(apiVersion: string, kind: string): Promise<ModelClass> {
  const specifier = modelModule(apiVersion, kind);
  let model = modelCache.get(specifier);
  if (!model) {
    let loaded: Record<string, ModelClass>;
    try {
      loaded = (await import(specifier)) as Record<string, ModelClass>;
    } catch {
      throw new Error(
        `no model for ${apiVersion} ${kind} (looked for ${specifier}): add its model package, or register a custom validator in test/helpers/models.ts`,
      );
    }
    model = loaded[kind];
    if (!model) throw new Error(`${specifier} exports no ${kind}`);
    modelCache.set(specifier, model);
  }
  return model;
}

/**
 * Turns plain documents into model instances and validates each against its schema.
 * @throws on a kind without a model and on the first invalid object, naming it.
 */
export async function toModels(documents: readonly KubeObject[]): Promise<KubeObject[]> {
  const objects: KubeObject[] = [];
  for (const document of documents) {
    if (!document.apiVersion || !document.kind) throw new Error(`a rendered document has no apiVersion/kind: ${JSON.stringify(document).slice(0, 200)}`);
    const custom = customValidators.get(`${document.apiVersion}/${document.kind}`);
    if (custom) {
      custom(document);
      objects.push(document);
      continue;
    }
    const Model = await modelFor(document.apiVersion, document.kind);
    const instance = new Model(document);
    try {
      instance.validate();
    } catch (error) {
      throw new Error(`${describeObject(document)} is invalid: ${(error as Error).message}`);
    }
    objects.push(instance as unknown as KubeObject);
  }
  return objects;
}

/** Every object of a model's kind. */
export function all<T>(objects: readonly unknown[], model: TypedModel<T>): T[] {
  return objects.filter((object): object is T => model.is(object));
}

/** The object of a model's kind with this name; throws, listing the names there are, if absent. */
export function mustGet<T>(objects: readonly unknown[], model: TypedModel<T>, name: string): T {
  const candidates = all(objects, model);
  const found = candidates.find((object) => (object as KubeObject).metadata?.name === name);
  if (!found) {
    const names = candidates.map((object) => (object as KubeObject).metadata?.name).join(', ');
    throw new Error(`no ${model.kind} named ${name} (there are: ${names || 'none'})`);
  }
  return found;
}

/** Counts objects per kind: `{ Deployment: 7, Service: 7 }`. */
export function countByKind(objects: readonly KubeObject[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const object of objects) counts[object.kind] = (counts[object.kind] ?? 0) + 1;
  return counts;
}
