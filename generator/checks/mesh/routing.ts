/**
 * The routing checks: where a VirtualService sends traffic exists (a rendered Service or a
 * ServiceEntry host), each subset is defined and selects real pods, weighted destinations sum to
 * 100, and retries fit in the route's timeout.
 */
import { matchesLabels as selects } from '../api-rules.js';
import { asArray, asLabels, asObject, describeObject, type KubeObject } from '../object.js';
import { parseIstioDuration } from '../../../values-schemas/common/duration.js';
import type { ValueMap } from '../../../values-schemas/common/merge.js';
import type { MeshFinding } from './findings.js';
import { spec, type Mesh } from './model.js';

/** Every HTTP route destination of a VirtualService with where it sits. */
function destinationsOf(virtualService: KubeObject): Array<{ route: ValueMap; index: number; destination: ValueMap; weight: unknown }> {
  const found: Array<{ route: ValueMap; index: number; destination: ValueMap; weight: unknown }> = [];
  asArray(spec(virtualService)['http'])
    .map(asObject)
    .forEach((route, index) => {
      for (const entry of asArray(route['route']).map(asObject))
        found.push({ route, index, destination: asObject(entry['destination']), weight: entry['weight'] });
    });
  return found;
}

const routeName = (route: ValueMap, index: number): string => (typeof route['name'] === 'string' ? `route ${route['name']}` : `route #${index}`);

/** `destination-host`: every route destination is a rendered Service (seen from the route's namespace) or a ServiceEntry host. */
export function checkDestinationHosts(mesh: Mesh): MeshFinding[] {
  const findings: MeshFinding[] = [];
  for (const virtualService of mesh.virtualServices) {
    for (const { route, index, destination } of destinationsOf(virtualService)) {
      const host = String(destination['host'] ?? '');
      if (mesh.service(host, mesh.namespaceOf(virtualService)) || mesh.serviceEntryHosts.has(host)) continue;
      findings.push({
        check: 'destination-host',
        object: describeObject(virtualService),
        message: `${routeName(route, index)} sends traffic to ${host || '(no host)'}, which is no rendered Service or ServiceEntry host`,
      });
    }
  }
  return findings;
}

/**
 * `subset`: every subset a route names is defined by a DestinationRule for its host, and its labels
 * with the Service's selector select the pods of some rendered Deployment.
 */
export function checkSubsets(mesh: Mesh): MeshFinding[] {
  const findings: MeshFinding[] = [];
  for (const virtualService of mesh.virtualServices) {
    for (const { route, index, destination } of destinationsOf(virtualService)) {
      const subset = destination['subset'];
      if (typeof subset !== 'string') continue;
      const host = String(destination['host'] ?? '');
      const service = mesh.service(host, mesh.namespaceOf(virtualService));
      const rules = mesh.destinationRules.filter((rule) => {
        const ruleService = mesh.service(String(spec(rule)['host'] ?? ''), mesh.namespaceOf(rule));
        return service ? ruleService === service : spec(rule)['host'] === host;
      });
      const definition = rules.flatMap((rule) => asArray(spec(rule)['subsets']).map(asObject)).find((candidate) => candidate['name'] === subset);
      const where = `${routeName(route, index)} → ${host} subset ${subset}`;
      if (!definition) {
        findings.push({ check: 'subset', object: describeObject(virtualService), message: `${where}: no DestinationRule for the host defines that subset` });
        continue;
      }
      if (!service) continue; // destination-host reports it
      const selector = { ...asLabels(spec(service)['selector']), ...asLabels(definition['labels']) };
      const pods = mesh.deployments.filter(
        (deployment) => mesh.namespaceOf(deployment) === mesh.namespaceOf(service) && selects(selector, mesh.podLabels(deployment)),
      );
      if (pods.length === 0) {
        findings.push({
          check: 'subset',
          object: describeObject(virtualService),
          message: `${where}: its labels ${JSON.stringify(asLabels(definition['labels']))} with the Service selector select the pods of no rendered Deployment`,
        });
      }
    }
  }
  return findings;
}

/** `canary-weights`: the weights of a route with several (or weighted) destinations sum to 100. */
export function checkCanaryWeights(mesh: Mesh): MeshFinding[] {
  const findings: MeshFinding[] = [];
  for (const virtualService of mesh.virtualServices) {
    asArray(spec(virtualService)['http'])
      .map(asObject)
      .forEach((route, index) => {
        const entries = asArray(route['route']).map(asObject);
        if (entries.length < 2 && entries.every((entry) => entry['weight'] === undefined)) return;
        const weights = entries.map((entry) => (typeof entry['weight'] === 'number' ? entry['weight'] : 0));
        const sum = weights.reduce((total, weight) => total + weight, 0);
        if (sum !== 100) {
          findings.push({
            check: 'canary-weights',
            object: describeObject(virtualService),
            message: `${routeName(route, index)}: destination weights ${weights.join('/')} sum to ${sum}, not 100`,
          });
        }
      });
  }
  return findings;
}

/** `retry-budget`: `attempts × perTryTimeout` fits in the route's `timeout` (else the last tries never run). */
export function checkRetryBudget(mesh: Mesh): MeshFinding[] {
  const findings: MeshFinding[] = [];
  for (const virtualService of mesh.virtualServices) {
    asArray(spec(virtualService)['http'])
      .map(asObject)
      .forEach((route, index) => {
        const retries = asObject(route['retries']);
        const attempts = typeof retries['attempts'] === 'number' ? retries['attempts'] : 0;
        const perTry = parseIstioDuration(retries['perTryTimeout']);
        const timeout = parseIstioDuration(route['timeout']);
        if (attempts === 0 || perTry === undefined || timeout === undefined) return;
        if (attempts * perTry > timeout) {
          findings.push({
            check: 'retry-budget',
            object: describeObject(virtualService),
            message: `${routeName(route, index)}: ${attempts} attempts × perTryTimeout ${String(retries['perTryTimeout'])} exceed the timeout ${String(route['timeout'])}`,
          });
        }
      });
  }
  return findings;
}
