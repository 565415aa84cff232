/**
 * Scrape coverage: every series an alert or dashboard reads has a job of the real Prometheus
 * configuration that keeps a target of each of its producer's pods. The producers are rendered
 * objects: the restaurant services (with the sidecar Istio's injection template adds, in sidecar
 * mode), istiod (rendered from the pinned istiod chart with the revision the Sail Operator gives
 * it), kube-state-metrics. The relabelling is evaluated by ../observability/relabel.ts. What cannot
 * be evaluated (the kubelet's cAdvisor, a node-role job; in ambient mode the L7 metrics of waypoints,
 * which Istio creates at run time) comes back as not checked, never as covered. Pure.
 */
import { ALERTS, exprWith } from '../observability/rules.js';
import { DASHBOARDS } from '../observability/dashboards.js';
import { podInfoOf, serviceInfoOf, targetsOfJob, type PodInfo, type ScrapeJob, type Target } from '../observability/relabel.js';
import type { KubeObject } from './object.js';

/** Who exposes a metric family. */
export type Producer = 'proxy' | 'istiod' | 'kube-state-metrics' | 'kubelet' | 'application';

/** Metric names a PromQL expression reads (identifiers followed by a selector, a range or a bracket). */
export function metricNames(expr: string): string[] {
  const names = new Set<string>();
  for (const match of expr.matchAll(/\b([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(?=\{|\[)/g)) names.add(match[1]!);
  return [...names].filter((name) => !['by', 'without', 'on', 'ignoring', 'group_left', 'group_right'].includes(name));
}

/** The metric families the platform's alerts and dashboards read, each with its readers. */
export function readSeries(namespaces: { readonly app: string; readonly istio: string }): Map<string, string[]> {
  const readers = new Map<string, string[]>();
  const add = (name: string, reader: string) => readers.set(name, [...(readers.get(name) ?? []), reader]);
  for (const alert of ALERTS) {
    for (const name of metricNames(exprWith(alert, { threshold: '1', appNamespace: namespaces.app, istioNamespace: namespaces.istio })))
      add(name, `alert ${alert.name}`);
  }
  for (const [id, dashboard] of Object.entries(DASHBOARDS)) {
    for (const panel of dashboard.panels) for (const target of panel.targets ?? []) for (const name of metricNames(target.expr)) add(name, `dashboard ${id}`);
  }
  return readers;
}

/** The producer of a metric family, by its name. @throws for a family no producer is known for (a new alert must say where its series come from). */
export function producerOf(metric: string): Producer {
  if (metric === 'up') return 'istiod'; // the only `up` read is IstiodDown's, job="istiod"
  if (/^(istio|envoy)_/.test(metric)) return 'proxy';
  if (/^pilot_/.test(metric)) return 'istiod';
  if (/^kube_/.test(metric)) return 'kube-state-metrics';
  if (/^container_/.test(metric)) return 'kubelet';
  if (/^restaurant_/.test(metric)) return 'application';
  throw new Error(`no known producer for ${metric}: add it to producerOf (generator/checks/scrape-coverage.ts)`);
}

/** The Envoy metrics port of the sidecar Istio's injection template adds (the istiod chart's `files/injection-template.yaml`). */
export function injectedProxyPort(injectionTemplate: string): { name: string; containerPort: number } {
  const match = /- containerPort: (\d+)\s+protocol: TCP\s+name: (http-envoy-prom)/.exec(injectionTemplate);
  if (!match) throw new Error("the istiod chart's injection template has no http-envoy-prom port");
  return { name: match[2]!, containerPort: Number(match[1]) };
}

/** The revision the Sail Operator names istiod's objects by: the Istio name, plus the version under RevisionBased. */
export function sailRevision(istio: KubeObject): string {
  const spec = istio.spec as { version?: string; updateStrategy?: { type?: string } } | undefined;
  if (spec?.updateStrategy?.type === 'RevisionBased') return `${istio.metadata?.name}-${String(spec.version).replace(/\./g, '-')}`;
  return istio.metadata?.name === 'default' ? '' : (istio.metadata?.name ?? '');
}

/** One series read, and what keeps it. */
export interface CoverageRow {
  readonly metric: string;
  readonly producer: Producer;
  readonly readers: readonly string[];
  /** The jobs keeping every pod of the producer; undefined when it could not be evaluated. */
  readonly jobs: readonly string[] | undefined;
  readonly verdict: 'covered' | 'MISSING' | 'NOT CHECKED';
  /** Why it was not checked. */
  readonly why?: string;
}

/** The inputs of {@link scrapeCoverage}. */
export interface CoverageInputs {
  /** The Prometheus server's `scrape_configs`. */
  readonly jobs: readonly ScrapeJob[];
  /** The restaurant-app objects, in `namespaces.app`. */
  readonly app: readonly KubeObject[];
  /** The istiod chart's objects, in `namespaces.istio`. */
  readonly istiod: readonly KubeObject[];
  /** The observability umbrella's objects, in `namespaces.observability`. */
  readonly observability: readonly KubeObject[];
  readonly namespaces: { readonly app: string; readonly istio: string; readonly observability: string };
  readonly mode: 'sidecar' | 'ambient';
  readonly proxyPort: { readonly name: string; readonly containerPort: number };
}

/** Evaluates every job against the rendered pods and judges each series read; see the module comment. */
export function scrapeCoverage(inputs: CoverageInputs): { rows: CoverageRow[]; pods: { app: PodInfo[]; istiod: PodInfo[]; observability: PodInfo[] } } {
  let ip = 0;
  const pods = (objects: readonly KubeObject[], namespace: string, inject: boolean): PodInfo[] =>
    objects.flatMap((object) => {
      const pod = podInfoOf(object as never, namespace);
      if (!pod) return [];
      ip += 1;
      const withIp = { ...pod, ip: `10.1.${Math.floor(ip / 250)}.${(ip % 250) + 1}` };
      if (!inject) return [withIp];
      return [
        {
          ...withIp,
          annotations: { ...withIp.annotations, 'sidecar.istio.io/status': '{"containers":["istio-proxy"]}' },
          containers: [...withIp.containers, { name: 'istio-proxy', ports: [inputs.proxyPort] }],
        },
      ];
    });
  const appPods = pods(inputs.app, inputs.namespaces.app, inputs.mode === 'sidecar');
  const istiodPods = pods(inputs.istiod, inputs.namespaces.istio, false);
  const observabilityPods = pods(inputs.observability, inputs.namespaces.observability, false);
  const services = [
    ...inputs.observability.map((object) => [object, inputs.namespaces.observability] as const),
    ...inputs.app.map((object) => [object, inputs.namespaces.app] as const),
    ...inputs.istiod.map((object) => [object, inputs.namespaces.istio] as const),
  ].flatMap(([object, namespace]) => serviceInfoOf(object as never, object.metadata?.namespace ?? namespace) ?? []);
  const cluster = { pods: [...appPods, ...istiodPods, ...observabilityPods], services };

  // Each job's targets as `address path` keys: every series asks every job about every pod.
  const targets = new Map<string, Set<string>>();
  const keyOf = (address: string, metricsPath: string) => `${address} ${metricsPath}`;
  for (const job of inputs.jobs) {
    if (!job.kubernetes_sd_configs) continue;
    if (job.kubernetes_sd_configs.some((sd) => sd.role === 'node')) continue; // kubelet/cAdvisor: no nodes in a render
    targets.set(job.job_name, new Set(targetsOfJob(job, cluster).map((target: Target) => keyOf(target.address, target.metricsPath))));
  }
  const keeping = (podList: readonly PodInfo[], where: (pod: PodInfo) => [number, string], jobName?: string) =>
    [...targets]
      .filter(
        ([name, kept]) =>
          (!jobName || name === jobName) &&
          podList.length > 0 &&
          podList.every((pod) => {
            const [port, metricsPath] = where(pod);
            return kept.has(keyOf(`${pod.ip}:${port}`, metricsPath));
          }),
      )
      .map(([name]) => name);
  const ksm = observabilityPods.filter((pod) => pod.name.includes('kube-state-metrics'));

  const rows: CoverageRow[] = [];
  for (const [metric, readers] of readSeries(inputs.namespaces)) {
    const producer = producerOf(metric);
    let jobs: string[] | undefined;
    let why: string | undefined;
    if (producer === 'istiod') jobs = keeping(istiodPods, () => [15014, '/metrics'], metric === 'up' ? 'istiod' : undefined);
    else if (producer === 'kube-state-metrics') jobs = keeping(ksm, () => [8080, '/metrics']);
    else if ((producer === 'proxy' || producer === 'application') && inputs.mode === 'sidecar') jobs = keeping(appPods, () => [15020, '/stats/prometheus']);
    // Without a sidecar the application is scraped where its own annotations say.
    else if (producer === 'application')
      jobs = keeping(appPods, (pod) => [Number(pod.annotations?.['prometheus.io/port']), pod.annotations?.['prometheus.io/path'] ?? '/metrics']);
    else if (producer === 'kubelet') why = "the kubelet's cAdvisor is scraped by a node-role job: a render has no nodes";
    else why = 'in ambient mode the L7 series come from waypoints Istio creates at run time';
    rows.push({
      metric,
      producer,
      readers,
      jobs,
      verdict: jobs === undefined ? 'NOT CHECKED' : jobs.length > 0 ? 'covered' : 'MISSING',
      ...(why ? { why } : {}),
    });
  }
  return { rows, pods: { app: appPods, istiod: istiodPods, observability: observabilityPods } };
}
