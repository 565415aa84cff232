/**
 * Day-2 operations checks over rendered objects: a PodDisruptionBudget must leave its workload
 * drainable (at least one pod may be evicted) at the workload's minimum replica count, and an
 * autoscaler on resource utilisation needs every container of its target to request that
 * resource (the HPA controller cannot compute utilisation otherwise and stops scaling). Pure.
 */
import { selectorMatches, type LabelSelector } from './api-rules.js';
import { asArray, asLabels, asObject, describeObject, type KubeObject } from './object.js';

/** One operations problem. */
export interface OperationsFinding {
  readonly object: string;
  readonly message: string;
  readonly fix: string;
}

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'ReplicaSet']);
const namespaceOf = (object: KubeObject) => object.metadata?.namespace ?? '';
const spec = (object: KubeObject) => asObject((object as { spec?: unknown }).spec);

/** An int-or-percent of `total`, rounded up as the disruption controller rounds it. */
function scaled(value: unknown, total: number): number {
  if (typeof value === 'number') return value;
  const percent = /^(\d+)%$/.exec(String(value));
  return percent ? Math.ceil((Number(percent[1]) * total) / 100) : Number.NaN;
}

/** The fewest pods a workload runs: its autoscaler's minimum, else its replicas (default 1). */
function minimumReplicas(workload: KubeObject, autoscalers: readonly KubeObject[]): number {
  const autoscaler = autoscalers.find((hpa) => {
    const target = asObject(spec(hpa)['scaleTargetRef']);
    return namespaceOf(hpa) === namespaceOf(workload) && target['kind'] === workload.kind && target['name'] === workload.metadata?.name;
  });
  if (autoscaler) return Number(spec(autoscaler)['minReplicas'] ?? 1);
  return Number(spec(workload)['replicas'] ?? 1);
}

/** `operations` over every object of a render: see the module comment. */
export function checkOperations(objects: readonly KubeObject[]): OperationsFinding[] {
  const findings: OperationsFinding[] = [];
  const workloads = objects.filter((object) => WORKLOAD_KINDS.has(object.kind));
  const autoscalers = objects.filter((object) => object.kind === 'HorizontalPodAutoscaler');
  const podLabels = (workload: KubeObject) => asLabels(asObject(asObject(spec(workload)['template'])['metadata'])['labels']);

  for (const budget of objects.filter((object) => object.kind === 'PodDisruptionBudget')) {
    const selector = asObject(spec(budget)['selector']) as LabelSelector;
    const selected = workloads.filter((workload) => namespaceOf(workload) === namespaceOf(budget) && selectorMatches(selector, podLabels(workload)));
    if (selected.length === 0) {
      findings.push({
        object: describeObject(budget),
        message: 'selects no pod of any rendered workload: it protects nothing',
        fix: 'make its selector match the pod labels of the workload it is for, or remove it',
      });
      continue;
    }
    const pods = selected.reduce((sum, workload) => sum + minimumReplicas(workload, autoscalers), 0);
    const { minAvailable, maxUnavailable } = spec(budget);
    const evictable = maxUnavailable !== undefined ? Math.min(scaled(maxUnavailable, pods), pods) : pods - scaled(minAvailable, pods);
    if (!(evictable >= 1)) {
      findings.push({
        object: describeObject(budget),
        message: `at the minimum of ${pods} pod(s) (${selected.map(describeObject).join(', ')}) it allows ${Number.isNaN(evictable) ? 'no' : evictable} eviction(s): a node running one of them cannot be drained`,
        fix: 'raise the minimum replicas above the budget, or allow one pod unavailable (maxUnavailable: 1)',
      });
    }
  }

  for (const autoscaler of autoscalers) {
    const target = asObject(spec(autoscaler)['scaleTargetRef']);
    const workload = workloads.find(
      (candidate) => namespaceOf(candidate) === namespaceOf(autoscaler) && candidate.kind === target['kind'] && candidate.metadata?.name === target['name'],
    );
    if (!workload) {
      findings.push({
        object: describeObject(autoscaler),
        message: `scales ${String(target['kind'])} ${String(target['name'])}, which is not rendered`,
        fix: 'point scaleTargetRef at a rendered workload',
      });
      continue;
    }
    const resources = asArray(spec(autoscaler)['metrics'])
      .map((metric) => asObject(asObject(metric)['resource']))
      .filter((resource) => asObject(resource['target'])['type'] === 'Utilization')
      .map((resource) => String(resource['name']));
    const containers = asArray(asObject(asObject(spec(workload)['template'])['spec'])['containers']).map(asObject);
    for (const resource of resources) {
      for (const container of containers) {
        if (asObject(asObject(container['resources'])['requests'])[resource] === undefined) {
          findings.push({
            object: describeObject(autoscaler),
            message: `scales on ${resource} utilisation, but container ${String(container['name'])} of ${describeObject(workload)} requests no ${resource}: the autoscaler cannot compute utilisation and stops scaling`,
            fix: `set resources.requests.${resource} on every container of the workload`,
          });
        }
      }
    }
  }
  return findings;
}
