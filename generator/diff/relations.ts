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
import { isKind, spec } from '../checks/mesh/model.js';

/** Kinds whose pods come from `spec.template`. */
const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);

const namespaceOf = (object: KubeObject) => object.metadata?.namespace ?? '';
const nameOf = (object: KubeObject) => object.metadata?.name ?? '';
const podTemplate = (workload: KubeObject) => asObject(spec(workload)['template']);
const podLabels = (workload: KubeObject) => asLabels(asObject(podTemplate(workload)['metadata'])['labels']);

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

const selectorChangedOf = (was: LabelSelector, now: LabelSelector | undefined) => JSON.stringify(was) !== JSON.stringify(now ?? null);

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
      // A switch to other pods already running (blue/green) keeps endpoints: only the switched-from pods leave.
      const switchedTo = [...before.values()].some(
        (other) =>
          other !== workload &&
          WORKLOADS.has(other.kind) &&
          namespaceOf(other) === namespaceOf(selecting) &&
          now !== undefined &&
          selectorMatches(now, podLabels(other)) &&
          after.has(identityOf(other)) &&
          selectorMatches(now, podLabels(after.get(identityOf(other))!)),
      );
      if (selectorChangedOf(was, now) && switchedTo) continue;
      const selectorChanged = selectorChangedOf(was, now);
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
    if (!isKind(route, 'networking.istio.io', 'VirtualService')) continue;
    for (const protocol of ['http', 'tcp', 'tls']) {
      for (const rule of asArray(spec(route)[protocol]).map(asObject)) {
        const mirrors = [...(rule['mirror'] ? [{ destination: rule['mirror'] }] : []), ...asArray(rule['mirrors'])];
        for (const target of [...asArray(rule['route']), ...mirrors].map(asObject)) {
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
  // Subsets by host over every DestinationRule of a render: a rule renamed or split keeps its subsets.
  const subsetsByHost = (render: ReadonlyMap<string, KubeObject>) => {
    const hosts = new Map<string, Set<string>>();
    for (const rule of render.values()) {
      if (!isKind(rule, 'networking.istio.io', 'DestinationRule') || typeof spec(rule)['host'] !== 'string') continue;
      const service = serviceOfHost(spec(rule)['host'] as string, namespaceOf(rule));
      const names = hosts.get(service) ?? new Set<string>();
      for (const subset of asArray(spec(rule)['subsets'])) names.add(String(asObject(subset)['name']));
      hosts.set(service, names);
    }
    return hosts;
  };
  const keptSubsets = subsetsByHost(after);
  for (const rule of before.values()) {
    if (!isKind(rule, 'networking.istio.io', 'DestinationRule') || typeof spec(rule)['host'] !== 'string') continue;
    const service = serviceOfHost(spec(rule)['host'] as string, namespaceOf(rule));
    const kept = keptSubsets.get(service) ?? new Set<string>();
    for (const subset of asArray(spec(rule)['subsets']).map((entry) => String(asObject(entry)['name']))) {
      if (kept.has(subset)) continue;
      const routes = routesTo((destination) => destination.service === service && destination.subset === subset);
      if (routes.length > 0)
        findings.push({
          severity: 'breaking',
          object: describeObject(after.get(identityOf(rule)) ?? rule),
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
function allowedPrincipals(policy: KubeObject): string[] {
  return asArray(spec(policy)['rules'])
    .flatMap((rule) => asArray(asObject(rule)['from']))
    .flatMap((from) => asStrings(asObject(asObject(from)['source'])['principals']));
}

/**
 * The principals the ALLOW policies of a render admit to a workload's pods (those of its namespace
 * whose selector matches its pod labels, or that select every pod), each with the first policy that
 * admits it; undefined when no ALLOW policy applies (then nothing is denied by ALLOW rules).
 */
function admitted(render: ReadonlyMap<string, KubeObject>, workload: KubeObject): Map<string, KubeObject> | undefined {
  let applies = false;
  const principals = new Map<string, KubeObject>();
  for (const policy of render.values()) {
    if (!isKind(policy, 'security.istio.io', 'AuthorizationPolicy') || (spec(policy)['action'] ?? 'ALLOW') !== 'ALLOW') continue;
    if (namespaceOf(policy) !== namespaceOf(workload)) continue;
    const selector = asLabels(asObject(spec(policy)['selector'])['matchLabels']);
    if (!selectorMatches({ matchLabels: selector }, podLabels(workload))) continue;
    applies = true;
    for (const principal of allowedPrincipals(policy)) if (!principals.has(principal)) principals.set(principal, policy);
  }
  return applies ? principals : undefined;
}

/**
 * Principals the ALLOW policies stop admitting to a workload (taken over every policy that applies
 * to it, so a principal moved from one policy to another is not lost) while a workload of either
 * version runs as that identity: its pods running now still call, whatever the new version says.
 */
function removedPrincipals(before: ReadonlyMap<string, KubeObject>, after: ReadonlyMap<string, KubeObject>): DiffFinding[] {
  const findings: DiffFinding[] = [];
  const reported = new Set<string>();
  const workloads = [...before.values(), ...after.values()].filter((object) => WORKLOADS.has(object.kind));
  for (const [key, workload] of before) {
    const next = after.get(key);
    if (!WORKLOADS.has(workload.kind) || !next) continue;
    const [was, now] = [admitted(before, workload), admitted(after, next)];
    if (!was || !now) continue;
    for (const [principal, policy] of was) {
      if (now.has(principal) || reported.has(`${principal}|${identityOf(policy)}`)) continue;
      const identity = /\/ns\/([^/]+)\/sa\/([^/]+)$/.exec(principal);
      if (!identity) continue;
      const callers = [
        ...new Set(
          workloads
            .filter(
              (candidate) =>
                namespaceOf(candidate) === identity[1] && (asObject(podTemplate(candidate)['spec'])['serviceAccountName'] ?? 'default') === identity[2],
            )
            .map(describeObject),
        ),
      ];
      if (callers.length === 0) continue;
      reported.add(`${principal}|${identityOf(policy)}`);
      findings.push({
        severity: 'breaking',
        object: describeObject(after.get(identityOf(policy)) ?? policy),
        field: 'spec.rules',
        reason: `principal ${principal} is no longer admitted to the pods of ${describeObject(next)} while ${callers.join(', ')} runs as it: its calls are denied (403) from the moment the policy applies, and its pods running now still make them`,
      });
    }
  }
  return findings;
}

/** The findings of this module, for two renders indexed by identity. */
export function relationChanges(before: ReadonlyMap<string, KubeObject>, after: ReadonlyMap<string, KubeObject>): DiffFinding[] {
  return [...orphanedPods(before, after), ...removedRouteTargets(before, after), ...removedPrincipals(before, after)];
}
