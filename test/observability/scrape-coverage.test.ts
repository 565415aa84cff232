// Scrape coverage, proven on rendered objects: every series an alert or dashboard reads has a job
// of the real Prometheus configuration (the umbrella's render) that keeps its producer's target.
// The producers are rendered too: the restaurant services (restaurant-app, with the sidecar that
// Istio's real injection template adds), istiod from the real istiod chart with the revision the
// Sail Operator gives it (istio-mesh's Istio resource), kube-state-metrics from the umbrella. The
// relabelling is evaluated by generator/observability/relabel.ts. What cannot be evaluated here
// (the kubelet's cAdvisor, a node-role job; in ambient mode the L7 metrics of waypoints, which
// Istio creates at run time from a Gateway, and which the alerts read as reporter="destination") is
// listed in the printed table as NOT CHECKED, never counted as covered.
import { describe, it, expect, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import '../helpers/sail.js';
import { render } from '../helpers/helm.js';
import { mustGet, type KubeObject } from '../helpers/models.js';
import { HELM_MAJORS } from '../helpers/tools.js';
import { upstreamChart } from '../helpers/upstream-charts.js';
import { umbrellaRender, OBSERVABILITY_NAMESPACE } from './fixtures.js';
import { SERVICE_NAMES, appRender } from '../restaurant-app/fixtures.js';
import { meshRender } from '../istio-mesh/fixtures.js';
import { ENVIRONMENTS, globalDefaults, type Environment } from '../../values-schemas/common/global.js';
import { ALERTS, exprWith } from '../../generator/observability/rules.js';
import { DASHBOARDS } from '../../generator/observability/dashboards.js';
import { podInfoOf, serviceInfoOf, targetsOfJob, type PodInfo, type ScrapeJob, type Target } from '../../generator/observability/relabel.js';

const ISTIO_NAMESPACE = globalDefaults.namespaces.istio;

/** Metric names a PromQL expression reads (identifiers followed by a selector, a range or a bracket). */
function metricNames(expr: string): string[] {
  const names = new Set<string>();
  for (const match of expr.matchAll(/\b([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(?=\{|\[)/g)) names.add(match[1]!);
  return [...names].filter((name) => !['by', 'without', 'on', 'ignoring', 'group_left', 'group_right'].includes(name));
}

/** The metric families the platform's alerts and dashboards read. */
function readSeries(): Map<string, string[]> {
  const readers = new Map<string, string[]>();
  const add = (name: string, reader: string) => readers.set(name, [...(readers.get(name) ?? []), reader]);
  for (const alert of ALERTS)
    for (const name of metricNames(exprWith(alert, { threshold: '1', appNamespace: 'restaurant', istioNamespace: ISTIO_NAMESPACE })))
      add(name, `alert ${alert.name}`);
  for (const [id, dashboard] of Object.entries(DASHBOARDS)) {
    for (const panel of dashboard.panels) for (const target of panel.targets ?? []) for (const name of metricNames(target.expr)) add(name, `dashboard ${id}`);
  }
  return readers;
}

/** Who exposes a metric family, by its name: the world's facts the table below is judged against. */
type Producer = 'proxy' | 'istiod' | 'kube-state-metrics' | 'kubelet' | 'application';
function producerOf(metric: string): Producer {
  if (metric === 'up') return 'istiod'; // the only `up` read is IstiodDown's, job="istiod"
  if (/^(istio|envoy)_/.test(metric)) return 'proxy';
  if (/^pilot_/.test(metric)) return 'istiod';
  if (/^kube_/.test(metric)) return 'kube-state-metrics';
  if (/^container_/.test(metric)) return 'kubelet';
  if (/^restaurant_/.test(metric)) return 'application';
  throw new Error(`no known producer for ${metric}: add it to producerOf`);
}

/** The sidecar Istio's injection template adds: its Envoy metrics port, read from the real istiod chart. */
function injectedProxyPort(): { name: string; containerPort: number } {
  const template = readFileSync(path.join(upstreamChart('istiod'), 'files', 'injection-template.yaml'), 'utf8');
  const match = /- containerPort: (\d+)\s+protocol: TCP\s+name: (http-envoy-prom)/.exec(template);
  if (!match) throw new Error("the istiod chart's injection template has no http-envoy-prom port");
  return { name: match[2]!, containerPort: Number(match[1]) };
}

/** The revision the Sail Operator names istiod's objects by: the Istio name, plus the version under RevisionBased. */
function sailRevision(istio: { metadata: { name: string }; spec: { version: string; updateStrategy?: { type?: string } } }): string {
  if (istio.spec.updateStrategy?.type === 'RevisionBased') return `${istio.metadata.name}-${istio.spec.version.replace(/\./g, '-')}`;
  return istio.metadata.name === 'default' ? '' : istio.metadata.name;
}

interface Row {
  environment: string;
  mode: string;
  metric: string;
  producer: Producer;
  jobs: string;
  verdict: string;
}
const table: Row[] = [];

describe.each(HELM_MAJORS)('scrape coverage on Helm %i', (helm) => {
  afterAll(() => {
    if (helm !== HELM_MAJORS[0]) return;
    console.log(
      [
        'scrape coverage (environment, mesh mode, series, producer, jobs keeping it, verdict):',
        ...table.map(
          (row) => `  ${row.environment.padEnd(8)}${row.mode.padEnd(8)}${row.metric.padEnd(46)}${row.producer.padEnd(20)}${row.jobs.padEnd(36)}${row.verdict}`,
        ),
      ].join('\n'),
    );
  });

  const cases = ENVIRONMENTS.flatMap((environment) => (['sidecar', 'ambient'] as const).map((mode) => ({ environment, mode })));
  it.each(cases)(
    'should keep a target of every producer an alert or dashboard reads in $environment ($mode)',
    async ({ environment, mode }: { environment: Environment; mode: 'sidecar' | 'ambient' }) => {
      // GIVEN the umbrella, the services and the mesh as rendered for the environment
      const ambient = mode === 'ambient' ? ['istio.mesh.mode=ambient'] : [];
      const [umbrella, app, mesh] = await Promise.all([
        render(umbrellaRender(helm, environment)),
        render(appRender(helm, environment, { set: ambient })),
        render(meshRender(helm, environment, { set: mode === 'ambient' ? ['mesh.mode=ambient'] : [] })),
      ]);
      const istio = mesh.find((object) => object.kind === 'Istio') as never as Parameters<typeof sailRevision>[0];
      const revision = sailRevision(istio);
      const istiod = await render({
        chart: upstreamChart('istiod'),
        helm,
        namespace: ISTIO_NAMESPACE,
        release: 'istiod',
        set: [`revision=${revision}`, `global.istioNamespace=${ISTIO_NAMESPACE}`],
      });
      const jobs = (yaml.load(mustGet(umbrella, ConfigMap, 'observability-prometheus-server').data!['prometheus.yml']!) as { scrape_configs: ScrapeJob[] })
        .scrape_configs;

      // The app pods with the sidecar injection adds (sidecar mode); ambient pods get none.
      const proxyPort = injectedProxyPort();
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
              containers: [...withIp.containers, { name: 'istio-proxy', ports: [proxyPort] }],
            },
          ];
        });
      const appPods = pods(app, globalDefaults.namespaces.app, mode === 'sidecar');
      const istiodPods = pods(istiod, ISTIO_NAMESPACE, false);
      const observabilityPods = pods(umbrella, OBSERVABILITY_NAMESPACE, false);
      const services = [...umbrella, ...app, ...istiod].flatMap(
        (object) => serviceInfoOf(object as never, object.metadata?.namespace ?? OBSERVABILITY_NAMESPACE) ?? [],
      );
      const cluster = { pods: [...appPods, ...istiodPods, ...observabilityPods], services };
      // (one pod per restaurant service the values declare, and one istiod)
      expect(appPods).toHaveLength(SERVICE_NAMES.length);
      expect(istiodPods.length).toBe(1);

      // WHEN every job's targets are evaluated (a job the evaluator cannot run fails the test, unless node-role)
      const targets = new Map<string, Target[]>();
      for (const job of jobs) {
        if (!job.kubernetes_sd_configs) continue;
        if (job.kubernetes_sd_configs.some((sd) => sd.role === 'node')) continue; // kubelet/cAdvisor: no nodes in a render
        targets.set(job.job_name, targetsOfJob(job, cluster));
      }
      const keeping = (podList: readonly PodInfo[], port: number, metricsPath: string, jobName?: string) =>
        [...targets]
          .filter(
            ([name, list]) =>
              (!jobName || name === jobName) &&
              podList.every((pod) => list.some((target) => target.address === `${pod.ip}:${port}` && target.metricsPath === metricsPath)),
          )
          .map(([name]) => name);

      const keepingEach = (podList: readonly PodInfo[], where: (pod: PodInfo) => [number, string]) =>
        [...targets]
          .filter(([, list]) =>
            podList.every((pod) => list.some((target) => target.address === `${pod.ip}:${where(pod)[0]}` && target.metricsPath === where(pod)[1])),
          )
          .map(([name]) => name);

      // THEN each producer of a series that is read has a job keeping every one of its pods
      const ksm = observabilityPods.filter((pod) => pod.name.startsWith('observability-kube-state-metrics'));
      expect(ksm).toHaveLength(1);
      for (const [metric, readers] of readSeries()) {
        const producer = producerOf(metric);
        let kept: string[] | undefined;
        if (producer === 'istiod') kept = keeping(istiodPods, 15014, '/metrics', metric === 'up' ? 'istiod' : undefined);
        else if (producer === 'kube-state-metrics') kept = keeping(ksm, 8080, '/metrics');
        else if ((producer === 'proxy' || producer === 'application') && mode === 'sidecar') kept = keeping(appPods, 15020, '/stats/prometheus');
        // Without a sidecar the application is scraped where its own annotations say.
        else if (producer === 'application')
          kept = keepingEach(appPods, (pod) => [Number(pod.annotations?.['prometheus.io/port']), pod.annotations?.['prometheus.io/path'] ?? '/metrics']);
        const verdict = kept === undefined ? 'NOT CHECKED' : kept.length > 0 ? 'covered' : 'MISSING';
        table.push({ environment, mode, metric, producer, jobs: kept?.join(',') ?? '-', verdict });
        if (kept !== undefined) expect(kept, `${metric} (read by ${readers.join(', ')}) from ${producer} in ${environment}/${mode}`).not.toEqual([]);
        else expect(producer === 'kubelet' || (mode === 'ambient' && producer === 'proxy'), `${metric} could not be checked`).toBe(true);
      }
    },
  );
});
