/**
 * What an upgrade from one render to another does to each object, judged offline: objects are
 * paired by identity (API group, kind, namespace, name); an added object is created, a removed one
 * deleted by Helm, unless an added one is the same object under a new name (a rename); a changed one is updated in place, unless a field changed that the API server
 * will not update (then the upgrade fails, or needs the object replaced). Each finding is
 * `breaking` or `safe`, with the object, the field and a one-line reason. Pure.
 */
import { isDeepStrictEqual } from 'node:util';
import { asArray, asObject, describeObject, type KubeObject } from '../checks/object.js';
import { parseQuantity } from '../../values-schemas/common/quantity.js';
import { identityOf } from './identity.js';
import { spec } from '../checks/mesh/model.js';
import { relationChanges } from './relations.js';

/** One thing an upgrade does or breaks. */
export interface DiffFinding {
  readonly severity: 'breaking' | 'safe';
  readonly object: string;
  /** The field, where one is concerned (`spec.selector`). */
  readonly field?: string;
  readonly reason: string;
}

/** What a deletion costs, for the kinds where it costs running pods, callers or data. */
const DELETE_COSTS: Record<string, string> = {
  Deployment: 'its pods stop',
  DaemonSet: 'its pods stop on every node',
  StatefulSet: 'its pods stop (its claims stay, unless its retention policy deletes them)',
  Service: 'clients that call it fail',
  PersistentVolumeClaim: 'its volume goes with it, unless the volume keeps a Retain policy',
  Namespace: 'everything in it is deleted',
  CustomResourceDefinition: 'every object of it is deleted',
};

const annotation = (object: KubeObject, key: string) => asObject(object.metadata?.annotations)[key];
/** A Helm hook: run by Helm at its event and recreated each time (before-hook-creation), never part of the upgrade's object set. */
const isHook = (object: KubeObject) => annotation(object, 'helm.sh/hook') !== undefined;

/** What a rename costs, for the kinds where it costs more than a new name: Helm creates the new object and deletes the old one. */
const RENAME_COSTS: Record<string, string> = {
  Deployment: 'its pods are replaced at once, not rolled (downtime until the new pods are ready)',
  StatefulSet: 'its pods are replaced at once and its claims are not carried over (the data stays with the old claims)',
  DaemonSet: 'its pods are replaced on every node at once',
  Service: 'clients that call the old name fail',
  PersistentVolumeClaim: 'the new claim starts empty; the old one, and its data, is deleted',
  Namespace: 'everything in the old namespace is deleted',
  CustomResourceDefinition: 'every object of the old definition is deleted',
};

export { identityOf } from './identity.js';

/**
 * What makes two objects of one kind the same thing under different names, strongest first: the
 * same selector (a workload, Service or budget), the same ports (a Service), or the same content
 * but the name and its labels and annotations (anything else).
 */
function likenesses(object: KubeObject): string[] {
  const { selector, ports } = spec(object);
  // The namespace is left out: a move to another namespace is a rename too.
  const where = [object.kind];
  const portsOf = asArray(ports).map((port) => {
    const { port: number, targetPort, protocol } = asObject(port);
    return [number, targetPort, protocol ?? 'TCP'];
  });
  const keys = [];
  if (selector !== undefined) keys.push(JSON.stringify([...where, 'selector', selector]));
  if (portsOf.length > 0) keys.push(JSON.stringify([...where, 'ports', portsOf]));
  if (keys.length === 0) {
    const { name: _name, labels: _labels, annotations: _annotations, ...metadata } = asObject(object.metadata);
    keys.push(JSON.stringify([...where, 'content', metadata, { ...object, metadata: undefined }]));
  }
  return keys;
}

/** Removed and added objects that are one object under a new name, by the strongest likeness only they share; new object → old. */
function renames(removed: readonly KubeObject[], added: readonly KubeObject[]): Map<KubeObject, KubeObject> {
  const pairs = new Map<KubeObject, KubeObject>();
  const paired = new Set<KubeObject>();
  for (let tier = 0; tier < 2; tier += 1) {
    const groups = new Map<string, { old: KubeObject[]; next: KubeObject[] }>();
    const group = (object: KubeObject, side: 'old' | 'next') => {
      const key = likenesses(object)[tier];
      if (key === undefined || paired.has(object)) return;
      const entry = groups.get(key) ?? { old: [], next: [] };
      entry[side].push(object);
      groups.set(key, entry);
    };
    for (const object of removed) group(object, 'old');
    for (const object of added) group(object, 'next');
    for (const { old, next } of groups.values()) {
      if (old.length !== 1 || next.length !== 1) continue;
      pairs.set(next[0]!, old[0]!);
      paired.add(old[0]!).add(next[0]!);
    }
  }
  return pairs;
}

/** The fields of each kind the API server refuses to change on update, read from both sides. */
function immutableChanges(before: KubeObject, after: KubeObject): DiffFinding[] {
  const object = describeObject(after);
  const findings: DiffFinding[] = [];
  const changed = (field: string, a: unknown, b: unknown, reason: string) => {
    if (!isDeepStrictEqual(a ?? null, b ?? null)) findings.push({ severity: 'breaking', object, field, reason });
  };
  const [a, b] = [spec(before), spec(after)];
  switch (after.kind) {
    case 'Deployment':
    case 'ReplicaSet':
    case 'DaemonSet':
      changed(
        'spec.selector',
        a['selector'],
        b['selector'],
        'the selector of a workload is immutable: the API server refuses the upgrade (delete the object first, or keep the selector)',
      );
      break;
    case 'StatefulSet':
      changed('spec.selector', a['selector'], b['selector'], 'the selector of a StatefulSet is immutable: the API server refuses the upgrade');
      changed('spec.serviceName', a['serviceName'], b['serviceName'], 'serviceName of a StatefulSet is immutable: the API server refuses the upgrade');
      changed(
        'spec.podManagementPolicy',
        a['podManagementPolicy'],
        b['podManagementPolicy'],
        'podManagementPolicy is immutable: the API server refuses the upgrade',
      );
      changed(
        'spec.volumeClaimTemplates',
        a['volumeClaimTemplates'],
        b['volumeClaimTemplates'],
        'volumeClaimTemplates of a StatefulSet are immutable: the API server refuses the upgrade',
      );
      break;
    case 'Job':
      changed('spec.template', a['template'], b['template'], "a Job's pod template is immutable: the upgrade fails (Jobs are run once; use a new name)");
      changed('spec.selector', a['selector'], b['selector'], "a Job's selector is immutable");
      break;
    case 'Service': {
      // The API server releases or allocates the cluster IP itself when the type changes (1.20+),
      // and takes a new secondary IP family; what it refuses is a different IP, or another primary family.
      if (a['clusterIP'] !== undefined || b['clusterIP'] !== undefined)
        changed(
          'spec.clusterIP',
          a['clusterIP'],
          b['clusterIP'],
          'the cluster IP of a Service cannot change once allocated: the upgrade needs the Service replaced',
        );
      const ips = [asArray(a['clusterIPs']), asArray(b['clusterIPs'])];
      if (ips[0]!.length > 0 && ips[1]!.length > 0 && ips[0]![0] !== ips[1]![0])
        changed('spec.clusterIPs', ips[0]![0], ips[1]![0], 'the primary cluster IP of a Service cannot change: the upgrade needs the Service replaced');
      const families = [asArray(a['ipFamilies']), asArray(b['ipFamilies'])];
      if (families[0]!.length > 0 && families[1]!.length > 0 && families[0]![0] !== families[1]![0])
        changed(
          'spec.ipFamilies',
          families[0]![0],
          families[1]![0],
          'the primary IP family of a Service cannot change: the upgrade needs the Service replaced',
        );
      break;
    }
    case 'PersistentVolumeClaim': {
      const storage = (s: Record<string, unknown>) => parseQuantity(asObject(asObject(s['resources'])['requests'])['storage']) ?? 0;
      // Growth of the request and the volume attributes class (1.31+) are the updates a bound claim takes.
      const strip = (s: Record<string, unknown>) => ({
        ...s,
        volumeAttributesClassName: undefined,
        resources: { ...asObject(s['resources']), requests: { ...asObject(asObject(s['resources'])['requests']), storage: undefined } },
      });
      changed('spec', strip(a), strip(b), 'a bound claim accepts only a larger storage request: the upgrade fails');
      if (storage(b) < storage(a))
        findings.push({ severity: 'breaking', object, field: 'spec.resources.requests.storage', reason: 'a claim cannot shrink: the upgrade fails' });
      break;
    }
    case 'ConfigMap':
    case 'Secret': {
      const [was, is] = [before as Record<string, unknown>, after as Record<string, unknown>];
      if (after.kind === 'Secret')
        changed('type', was['type'] ?? 'Opaque', is['type'] ?? 'Opaque', 'the type of a Secret is immutable: the upgrade fails (give the new type a new name)');
      if (was['immutable'] === true) {
        changed('immutable', true, is['immutable'] ?? false, `an immutable ${after.kind} cannot be made mutable again: the upgrade fails`);
        for (const field of ['data', 'binaryData', 'stringData'])
          changed(field, was[field], is[field], `the ${after.kind} is immutable: its data cannot change (give the new data a new name)`);
      }
      break;
    }
    case 'RoleBinding':
    case 'ClusterRoleBinding':
      changed(
        'roleRef',
        (before as Record<string, unknown>)['roleRef'],
        (after as Record<string, unknown>)['roleRef'],
        'the roleRef of a binding cannot change: the upgrade fails (delete the binding first, or give it a new name)',
      );
      break;
    case 'CustomResourceDefinition': {
      const served = (s: Record<string, unknown>) => asArray(s['versions']).map((version) => String(asObject(version)['name']));
      for (const version of served(a).filter((name) => !served(b).includes(name))) {
        findings.push({
          severity: 'breaking',
          object,
          field: 'spec.versions',
          reason: `version ${version} is removed: stored objects of that version can no longer be read`,
        });
      }
      break;
    }
  }
  return findings;
}

/** The top-level fields two renders of an object differ in (`metadata.labels`, `spec`, `data`). */
function changedFields(before: KubeObject, after: KubeObject): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  const fields: string[] = [];
  for (const key of [...keys].sort()) {
    const [a, b] = [(before as Record<string, unknown>)[key], (after as Record<string, unknown>)[key]];
    if (isDeepStrictEqual(a, b)) continue;
    if (key === 'metadata') {
      for (const sub of [...new Set([...Object.keys(asObject(a)), ...Object.keys(asObject(b))])].sort())
        if (!isDeepStrictEqual(asObject(a)[sub], asObject(b)[sub])) fields.push(`metadata.${sub}`);
    } else fields.push(key);
  }
  return fields;
}

/**
 * Compares two renders of a chart: see the module comment. No findings means the renders are the same.
 * Objects are paired by identity, then removed and added ones by likeness (a rename).
 */
export function compareRenders(before: readonly KubeObject[], after: readonly KubeObject[]): DiffFinding[] {
  const index = (objects: readonly KubeObject[]) => new Map(objects.map((object) => [identityOf(object), object]));
  const [old, next] = [index(before), index(after)];
  const findings: DiffFinding[] = [];
  // Two objects of one identity: the second would silently replace the first here, and Helm refuses the release.
  const seen = new Set<string>();
  for (const object of after) {
    const id = identityOf(object);
    if (seen.has(id))
      findings.push({
        severity: 'breaking',
        object: describeObject(object),
        reason: 'rendered twice: Helm refuses a release with two objects of one identity',
      });
    seen.add(id);
  }
  const renamed = renames(
    [...old].filter(([id, object]) => !next.has(id) && !isHook(object)).map(([, object]) => object),
    [...next].filter(([id, object]) => !old.has(id) && !isHook(object)).map(([, object]) => object),
  );
  const renamedFrom = new Set(renamed.values());
  for (const [id, object] of old) {
    if (next.has(id) || renamedFrom.has(object)) continue;
    const cost = DELETE_COSTS[object.kind];
    const kept = annotation(object, 'helm.sh/resource-policy') === 'keep';
    findings.push({
      severity: cost && !kept && !isHook(object) ? 'breaking' : 'safe',
      object: describeObject(object),
      reason: isHook(object)
        ? 'a hook no longer run: Helm does not run it on upgrade'
        : kept
          ? 'removed from the chart: Helm keeps it (helm.sh/resource-policy: keep), unmanaged from now on'
          : `removed: Helm deletes it on upgrade${cost ? `; ${cost}` : ''}`,
    });
  }
  for (const [id, object] of next) {
    const previous = old.get(id);
    const source = renamed.get(object);
    if (source) {
      const cost = RENAME_COSTS[object.kind];
      findings.push({
        severity: cost ? 'breaking' : 'safe',
        object: describeObject(object),
        field: 'metadata.name',
        reason: `renamed from ${source.metadata?.namespace === object.metadata?.namespace ? (source.metadata?.name ?? '<unnamed>') : describeObject(source).split(' ').slice(1).join(' ')}: Helm creates it and deletes the old one${cost ? `; ${cost}` : ''}`,
      });
      continue;
    }
    if (!previous) {
      findings.push({ severity: 'safe', object: describeObject(object), reason: 'added: Helm creates it on upgrade' });
      continue;
    }
    const fields = changedFields(previous, object);
    if (fields.length > 0 && isHook(object)) {
      findings.push({
        severity: 'safe',
        object: describeObject(object),
        field: fields.join(', '),
        reason: 'a hook changed: Helm creates it anew when it runs',
      });
      continue;
    }
    const breaking = immutableChanges(previous, object);
    findings.push(...breaking);
    if (fields.length > 0 && breaking.length === 0)
      findings.push({ severity: 'safe', object: describeObject(object), field: fields.join(', '), reason: 'changed: updated in place on upgrade' });
  }
  findings.push(...relationChanges(old, next));
  return findings.sort((a, b) => (a.severity === b.severity ? a.object.localeCompare(b.object) : a.severity === 'breaking' ? -1 : 1));
}
