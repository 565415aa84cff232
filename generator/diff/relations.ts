/**
 * What an upgrade breaks between objects rather than in one: a Service, PodDisruptionBudget or
 * HorizontalPodAutoscaler that no longer finds the pods it found, and mesh changes that break
 * traffic while the rollout is under way (Helm applies every object at once, but pods, proxies and
 * callers change over minutes): a DestinationRule subset or a Service port removed while a route
 * sends to it, a principal removed from an AuthorizationPolicy while its caller is still deployed.
 * Pure: two renders in, findings out.
 */
import { selectorMatches, type LabelSelector } from '../checks/api-rules.js';
import { asArray, asLabels, asObject, asStrings, describeObject, type KubeObject } from '../checks/object.js';
import type { DiffFinding } from './compare.js';
import { identityOf } from './identity.js';

/** Kinds whose pods come from `spec.template`. */
const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);

const spec = (object: KubeObject) => asObject((object as { spec?: unknown }).spec);
const namespaceOf = (object: KubeObject) => object.metadata?.namespace ?? '';
const nameOf = (object: KubeObject) => object.metadata?.name ?? '';
const podTemplate = (workload: KubeObject) => asObject(spec(workload)['template']);
const podLabels = (workload: KubeObject) => asLabels(asObject(podTemplate(workload)['metadata'])['labels']);
const isIstio = (object: KubeObject, group: string, kind: string) => object.kind === kind && object.apiVersion.startsWith(`${group}/`);

/** The pod selector of a Service (`spec.selector`, a plain map) or a PodDisruptionBudget (a label selector); undefined when it selects nothing. */
function podSelector(object: KubeObject): LabelSelector | undefined {
  if (object.kind === 'Service' && !object.apiVersion.includes('/')) {
    const labels = asLabels(spec(object)['selector']);
    return Object.keys(labels).length > 0 ? { matchLabels: labels } : undefined;
  }
  if (object.kind === 'PodDisruptionBudget') {
    const selector = asObject(spec(object)['selector']);
    return Object.keys(selector).length > 0 ? (selector as LabelSelector) : undefined;
  }
  return undefined;
}

const WHAT_IT_LOSES: Record<string, string> = {
  Service: 'the Service loses those endpoints (requests to it fail)',
  PodDisruptionBudget: 'the budget no longer protects those pods from evictions',
};

/**
 * Services and PodDisruptionBudgets that, after the upgrade, miss pods they selected before:
 * because their selector changed or the workload's pod labels did. Judged for the pods running
 * when the upgrade starts (old labels) and those after the rollout (new labels).
 */
function orphanedPods(before: ReadonlyMap<string, KubeObject>, after: ReadonlyMap<string, KubeObject>): DiffFinding[] {
  const findings: DiffFinding[] = [];
  const workloadsBefore = [...before.values()].filter((object) => WORKLOADS.has(object.kind));
  for (const [key, selecting] of after) {
    const previous = before.get(key);
    const [was, now] = [previous && podSelector(previous), podSelector(selecting)];
    if (!previous || !was || !WHAT_IT_LOSES[selecting.kind]) continue;
    for (const workload of workloadsBefore) {
      if (namespaceOf(workload) !== namespaceOf(selecting) || !selectorMatches(was, podLabels(workload))) continue;
      const next = after.get(identityOf(workload));
      if (!next) continue; // removed or renamed: reported as such
      const running = now !== undefined && selectorMatches(now, podLabels(workload));
      const rolledOut = now !== undefined && selectorMatches(now, podLabels(next));
      if (running && rolledOut) continue;
      const selectorChanged = JSON.stringify(was) !== JSON.stringify(now ?? null);
      const when = !running && !rolledOut ? 'for good' : !running ? 'until the rollout completes' : 'once the rollout completes';
      findings.push({
        severity: 'breaking',
        object: selectorChanged ? describeObject(selecting) : describeObject(next),
        field: selectorChanged ? 'spec.selector' : 'spec.template.metadata.labels',
        reason: `${selectorChanged ? 'the new selector leaves' : 'the new pod labels leave'} the pods of ${describeObject(workload)} out of ${describeObject(selecting)} ${when}: ${WHAT_IT_LOSES[selecting.kind]}`,
      });
    }
  }
  for (const [key, scaler] of after) {
    if (scaler.kind !== 'HorizontalPodAutoscaler' || !before.has(key)) continue;
    const target = asObject(spec(scaler)['scaleTargetRef']);
    const targetKey = (render: ReadonlyMap<string, KubeObject>) =>
      [...render.values()].find((object) => object.kind === target['kind'] && nameOf(object) === target['name'] && namespaceOf(object) === namespaceOf(scaler));
    if (targetKey(before) && !targetKey(after))
      findings.push({
        severity: 'breaking',
        object: describeObject(scaler),
        field: 'spec.scaleTargetRef',
        reason: `it scales ${String(target['kind'])} ${String(target['name'])}, which the new version no longer renders: autoscaling stops`,
      });
  }
  return findings;
}

/** A route host as `name.namespace`, seen from `namespace` (short names resolve in the route's own namespace). */
function serviceOfHost(host: string, namespace: string): string {
  const [name, scope] = host.split('.');
  return `${name}.${scope ?? namespace}`;
}

/** Every destination of every route of the VirtualServices of a render: host (as `name.namespace`), subset, port. */
function routeDestinations(
  render: ReadonlyMap<string, KubeObject>,
): { readonly route: KubeObject; readonly service: string; readonly subset?: string; readonly port?: number }[] {
  const destinations = [];
  for (const route of render.values()) {
    if (!isIstio(route, 'networking.istio.io', 'VirtualService')) continue;
    for (const protocol of ['http', 'tcp', 'tls']) {
      for (const rule of asArray(spec(route)[protocol]).map(asObject)) {
        for (const target of [...asArray(rule['route']), ...asArray(rule['mirror'] ? [{ destination: rule['mirror'] }] : [])].map(asObject)) {
          const destination = asObject(target['destination']);
          if (typeof destination['host'] !== 'string') continue;
          const port = asObject(destination['port'])['number'];
          destinations.push({
            route,
            service: serviceOfHost(destination['host'], namespaceOf(route)),
            ...(typeof destination['subset'] === 'string' ? { subset: destination['subset'] } : {}),
            ...(typeof port === 'number' ? { port } : {}),
          });
        }
      }
    }
  }
  return destinations;
}

/** Subsets and Service ports removed while a route of either version still sends to them. */
function removedRouteTargets(before: ReadonlyMap<string, KubeObject>, after: ReadonlyMap<string, KubeObject>): DiffFinding[] {
  const findings: DiffFinding[] = [];
  const destinations = [...routeDestinations(before), ...routeDestinations(after)];
  const routesTo = (matches: (destination: (typeof destinations)[number]) => boolean) =>
    [...new Set(destinations.filter(matches).map((destination) => describeObject(destination.route)))].sort();
  for (const [key, rule] of before) {
    if (!isIstio(rule, 'networking.istio.io', 'DestinationRule') || typeof spec(rule)['host'] !== 'string') continue;
    const service = serviceOfHost(spec(rule)['host'] as string, namespaceOf(rule));
    const subsets = (object: KubeObject | undefined) => new Set(asArray(object && spec(object)['subsets']).map((subset) => String(asObject(subset)['name'])));
    const kept = subsets(after.get(key));
    for (const subset of [...subsets(rule)].filter((name) => !kept.has(name))) {
      const routes = routesTo((destination) => destination.service === service && destination.subset === subset);
      if (routes.length > 0)
        findings.push({
          severity: 'breaking',
          object: describeObject(rule),
          field: 'spec.subsets',
          reason: `subset ${subset} is removed while ${routes.join(', ')} routes to it: those requests fail (no healthy upstream) until every proxy has the new routes; remove the route in one release, the subset in the next`,
        });
    }
  }
  for (const [key, service] of before) {
    if (service.kind !== 'Service' || service.apiVersion.includes('/')) continue;
    const ports = (object: KubeObject | undefined) => new Set(asArray(object && spec(object)['ports']).map((port) => asObject(port)['port']));
    const next = after.get(key);
    if (!next) continue;
    const kept = ports(next);
    for (const port of [...ports(service)].filter((number) => !kept.has(number))) {
      const routes = routesTo((destination) => destination.service === `${nameOf(service)}.${namespaceOf(service)}` && destination.port === port);
      if (routes.length > 0)
        findings.push({
          severity: 'breaking',
          object: describeObject(next),
          field: 'spec.ports',
          reason: `port ${String(port)} is removed while ${routes.join(', ')} sends to it: those requests fail; move the routes first`,
        });
    }
  }
  return findings;
}

/** The SPIFFE principals an AuthorizationPolicy's ALLOW rules admit. */
function allowedPrincipals(policy: KubeObject | undefined): Set<string> {
  if (!policy || (spec(policy)['action'] ?? 'ALLOW') !== 'ALLOW') return new Set();
  return new Set(
    asArray(spec(policy)['rules'])
      .flatMap((rule) => asArray(asObject(rule)['from']))
      .flatMap((from) => asStrings(asObject(asObject(from)['source'])['principals'])),
  );
}

/** Principals an ALLOW policy stops admitting while a workload of that identity is still deployed. */
function removedPrincipals(before: ReadonlyMap<string, KubeObject>, after: ReadonlyMap<string, KubeObject>): DiffFinding[] {
  const findings: DiffFinding[] = [];
  const workloads = [...after.values()].filter((object) => WORKLOADS.has(object.kind));
  for (const [key, policy] of before) {
    if (!isIstio(policy, 'security.istio.io', 'AuthorizationPolicy') || !after.has(key)) continue;
    const kept = allowedPrincipals(after.get(key));
    for (const principal of [...allowedPrincipals(policy)].filter((name) => !kept.has(name))) {
      const identity = /\/ns\/([^/]+)\/sa\/([^/]+)$/.exec(principal);
      if (!identity) continue;
      const callers = workloads.filter(
        (workload) => namespaceOf(workload) === identity[1] && (asObject(podTemplate(workload)['spec'])['serviceAccountName'] ?? 'default') === identity[2],
      );
      if (callers.length > 0)
        findings.push({
          severity: 'breaking',
          object: describeObject(after.get(key)!),
          field: 'spec.rules',
          reason: `principal ${principal} is removed while ${callers.map(describeObject).join(', ')} still runs as it: its calls are denied (403) from the moment the policy applies, and its pods running now still make them`,
        });
    }
  }
  return findings;
}

/** The findings of this module, for two renders indexed by identity. */
export function relationChanges(before: ReadonlyMap<string, KubeObject>, after: ReadonlyMap<string, KubeObject>): DiffFinding[] {
  return [...orphanedPods(before, after), ...removedRouteTargets(before, after), ...removedPrincipals(before, after)];
}
