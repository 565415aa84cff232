/**
 * Built-in Kubernetes objects against the Kubernetes OpenAPI schemas, through the kubernetes-models
 * classes (`kubernetes-models/<group>/<version>/<Kind>`). Custom resources are the CRD check's
 * (./crd.ts). A built-in kind without a model is reported, not passed.
 */
import { describeObject, type KubeObject } from './object.js';

/** One object the schemas refuse. */
export interface ModelFinding {
  readonly object: string;
  readonly message: string;
}

interface ModelClass {
  new (data: object): { validate(): void };
}

/** Whether an API group is Kubernetes' own (core, the unqualified groups and `*.k8s.io` but the Gateway API). */
export function isBuiltInGroup(group: string): boolean {
  if (group === '') return true;
  if (group === 'gateway.networking.k8s.io') return false;
  return !group.includes('.') || group.endsWith('.k8s.io');
}

const models = new Map<string, Promise<ModelClass | undefined>>();

function modelOf(group: string, version: string, kind: string): Promise<ModelClass | undefined> {
  const specifier = group ? `kubernetes-models/${group}/${version}/${kind}` : `kubernetes-models/${version}/${kind}`;
  let model = models.get(specifier);
  if (!model) {
    model = import(specifier).then(
      (module: Record<string, ModelClass>) => module[kind],
      () => undefined,
    );
    models.set(specifier, model);
  }
  return model;
}

/** Loads the models of these built-in kinds ahead of {@link checkModels} (their modules are large: loading is most of its first run). */
export async function preloadModels(kinds: ReadonlyArray<readonly [apiVersion: string, kind: string]>): Promise<void> {
  await Promise.all(
    kinds.map(([apiVersion, kind]) => {
      const [group, version] = apiVersion.includes('/') ? (apiVersion.split('/') as [string, string]) : ['', apiVersion];
      return modelOf(group, version, kind);
    }),
  );
}

/** Validates every built-in object of `objects`; custom kinds are skipped. */
export async function checkModels(objects: readonly KubeObject[]): Promise<{ findings: ModelFinding[]; checked: number }> {
  const findings: ModelFinding[] = [];
  let checked = 0;
  for (const object of objects) {
    const [group, version] = object.apiVersion.includes('/') ? (object.apiVersion.split('/') as [string, string]) : ['', object.apiVersion];
    if (!isBuiltInGroup(group)) continue;
    const Model = await modelOf(group, version, object.kind);
    if (!Model) {
      findings.push({
        object: describeObject(object),
        message: `no Kubernetes schema for ${object.apiVersion} ${object.kind}: a kind this Kubernetes does not serve`,
      });
      continue;
    }
    checked += 1;
    try {
      // The model copies the fields it is given; the object itself is not changed.
      new Model(object as object).validate();
    } catch (error) {
      findings.push({ object: describeObject(object), message: (error as Error).message.split('\n')[0]! });
    }
  }
  return { findings, checked };
}
