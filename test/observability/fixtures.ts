// Shared look-ups over a real render of the observability umbrella: cross-references resolved to
// the Services that render really contains.
import type { KubeObject } from '../helpers/models.js';
import type { HelmMajor } from '../helpers/tools.js';
import type { Environment } from '../../values-schemas/common/global.js';
import type { RenderOptions } from '../helpers/helm.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { realUmbrella } from '../helpers/upstream.js';
import { chartDir } from '../helpers/helm.js';
import { DEFAULT_RELEASE, observabilityTopology } from '../../values-schemas/platform/topology.js';
import { OBSERVABILITY_PINS } from '../../values-schemas/platform/pins.js';
import { UPSTREAM_LOCK } from '../../values-schemas/platform/locked.js';
import { mergeValues } from '../../values-schemas/common/merge.js';

/** The namespace the umbrella is installed into. */
export const OBSERVABILITY_NAMESPACE = 'observability';

/** The render options of the real umbrella in an environment. */
export function umbrellaRender(helm: HelmMajor, environment: Environment, extra: Partial<RenderOptions> = {}): RenderOptions {
  return { chart: realUmbrella(), helm, values: [`values-${environment}.yaml`], namespace: OBSERVABILITY_NAMESPACE, release: DEFAULT_RELEASE, ...extra };
}

const loadValues = (file: string) => yaml.load(readFileSync(path.join(chartDir('observability'), file), 'utf8')) as Record<string, any>;

/** The values an environment renders with: the chart's values.yaml with the environment's overlay merged over it, as Helm merges them. */
export function umbrellaValues(environment: Environment): Record<string, any> {
  return mergeValues(loadValues('values.yaml'), loadValues(`values-${environment}.yaml`));
}

/**
 * The workloads (`Kind/name`) an environment's values switch on, named by their values: each
 * component's `fullnameOverride` (Kiali's Deployment is named after its Service in the topology),
 * and the kind the pinned chart runs it as (Loki's monolithic single binary and Alertmanager are
 * StatefulSets, the node exporter a DaemonSet, Alloy what `controller.type` says).
 */
export function expectedWorkloads(environment: Environment): string[] {
  const values = umbrellaValues(environment);
  const on = (component: string) => values.components[component].enabled === true;
  const prometheus = values.prometheus;
  const topology = observabilityTopology({
    release: DEFAULT_RELEASE,
    namespace: values.global.namespaces.observability,
    istioNamespace: values.global.namespaces.istio,
  });
  const controller = String(values.alloy.controller.type);
  const workloads = [
    ...(on('grafana') ? [`Deployment/${values.grafana.fullnameOverride}`] : []),
    ...(on('alloy') ? [`${controller.charAt(0).toUpperCase()}${controller.slice(1)}/${values.alloy.fullnameOverride}`] : []),
    ...(on('jaeger') ? [`Deployment/${values.jaeger.fullnameOverride}`] : []),
    ...(on('kiali-server') ? [`Deployment/${topology.kiali.service}`] : []),
    ...(on('loki') && values.loki.deploymentMode === 'Monolithic' ? [`StatefulSet/${values.loki.fullnameOverride}`] : []),
    ...(on('prometheus')
      ? [
          `Deployment/${prometheus.server.fullnameOverride}`,
          ...(prometheus['kube-state-metrics'].enabled ? [`Deployment/${prometheus['kube-state-metrics'].fullnameOverride}`] : []),
          ...(prometheus.alertmanager.enabled ? [`StatefulSet/${prometheus.alertmanager.fullnameOverride}`] : []),
          ...(prometheus['prometheus-node-exporter'].enabled ? [`DaemonSet/${prometheus['prometheus-node-exporter'].fullnameOverride}`] : []),
        ]
      : []),
  ];
  return workloads.sort();
}

/** The Services an environment renders: those the upstream lock recorded per chart from a real render of the umbrella (observability-platform renders none). */
export function expectedServices(environment: Environment): string[] {
  const values = umbrellaValues(environment);
  return OBSERVABILITY_PINS.filter((pin) => values.components[pin.name].enabled === true)
    .flatMap((pin) => UPSTREAM_LOCK.charts[pin.name]!.services![environment]!.map((service) => service.name))
    .sort();
}

/** `Kind/name` of every object with a pod template (or pod spec) of a render. */
export const workloadIds = (objects: readonly KubeObject[]): string[] =>
  objects
    .filter((object) => ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod'].includes(object.kind))
    .map((object) => `${object.kind}/${object.metadata?.name}`)
    .sort();

interface ServiceLike {
  kind: string;
  metadata?: { name?: string; namespace?: string };
  spec?: { ports?: Array<{ name?: string; port: number }> };
}

/**
 * Resolves an in-cluster URL (`http://<service>.<namespace>.svc.cluster.local:<port>/…`, or
 * `http://<service>:<port>` as seen from a pod in the release namespace) to the Service and port of
 * a render; objects without a namespace land in the release namespace. Returns a reason when it
 * does not resolve.
 */
export function resolveInRender(url: string, objects: readonly KubeObject[], releaseNamespace = OBSERVABILITY_NAMESPACE): string | undefined {
  const match = /^[a-z]+:\/\/([a-z0-9-]+)(?:\.([a-z0-9-]+)\.svc(?:\.cluster\.local)?)?:(\d+)(?:\/.*)?$/.exec(url);
  if (!match) return `${url} is not an in-cluster Service URL with a port`;
  const [, name, namespace = releaseNamespace, port] = match;
  const service = (objects as readonly unknown[] as readonly ServiceLike[]).find(
    (object) => object.kind === 'Service' && object.metadata?.name === name && (object.metadata?.namespace ?? releaseNamespace) === namespace,
  );
  if (!service) return `${url}: no Service ${namespace}/${name} in the render`;
  if (!service.spec?.ports?.some((entry) => entry.port === Number(port)))
    return `${url}: Service ${namespace}/${name} has no port ${port} (it has ${service.spec?.ports?.map((entry) => entry.port).join(', ')})`;
  return undefined;
}
