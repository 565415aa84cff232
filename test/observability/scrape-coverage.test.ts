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
import { mustGet } from '../helpers/models.js';
import { HELM_MAJORS } from '../helpers/tools.js';
import { upstreamChart } from '../helpers/upstream-charts.js';
import { umbrellaRender, OBSERVABILITY_NAMESPACE } from './fixtures.js';
import { SERVICE_NAMES, appRender } from '../restaurant-app/fixtures.js';
import { meshRender } from '../istio-mesh/fixtures.js';
import { ENVIRONMENTS, globalDefaults, type Environment } from '../../values-schemas/common/global.js';
import type { ScrapeJob } from '../../generator/observability/relabel.js';
import { injectedProxyPort, sailRevision, scrapeCoverage, type Producer } from '../../generator/checks/scrape-coverage.js';

const ISTIO_NAMESPACE = globalDefaults.namespaces.istio;

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
      const istio = mesh.find((object) => object.kind === 'Istio')!;
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

      // WHEN every job's targets are evaluated against the pods (the app's with the sidecar injection adds, in sidecar mode)
      const { rows, pods } = scrapeCoverage({
        jobs,
        app,
        istiod,
        observability: umbrella,
        namespaces: { app: globalDefaults.namespaces.app, istio: ISTIO_NAMESPACE, observability: OBSERVABILITY_NAMESPACE },
        mode,
        proxyPort: injectedProxyPort(readFileSync(path.join(upstreamChart('istiod'), 'files', 'injection-template.yaml'), 'utf8')),
      });
      // (one pod per restaurant service the values declare, one istiod, one kube-state-metrics)
      expect(pods.app).toHaveLength(SERVICE_NAMES.length);
      expect(pods.istiod).toHaveLength(1);
      expect(pods.observability.filter((pod) => pod.name.includes('kube-state-metrics'))).toHaveLength(1);

      // THEN each producer of a series that is read has a job keeping every one of its pods
      for (const row of rows) {
        table.push({ environment, mode, metric: row.metric, producer: row.producer, jobs: row.jobs?.join(',') ?? '-', verdict: row.verdict });
        if (row.verdict !== 'NOT CHECKED')
          expect(row.jobs, `${row.metric} (read by ${row.readers.join(', ')}) from ${row.producer} in ${environment}/${mode}`).not.toEqual([]);
        else expect(row.producer === 'kubelet' || (mode === 'ambient' && row.producer === 'proxy'), `${row.metric} could not be checked`).toBe(true);
      }
    },
  );
});
