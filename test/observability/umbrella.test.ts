// The observability umbrella with the real pinned upstream charts: its Chart.yaml pins exactly what
// the lock holds, its values set only keys those charts have, and rendered on Helm 3 and 4 in every
// environment it installs: every object (upstream ones included) passes the strict model check,
// and every cross-reference resolves to a Service and port of that same render.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { repoRoot } from '../../generator/paths.mjs';
import { render } from '../helpers/helm.js';
import { describeRejectedValues } from '../helpers/rejected.js';
import { all, mustGet, type KubeObject } from '../helpers/models.js';
import { assertStrict } from '../helpers/strict.js';
import { upstreamChart } from '../helpers/upstream-charts.js';
import { HELM_MAJORS } from '../helpers/tools.js';
import { OBSERVABILITY_PINS } from '../../values-schemas/platform/pins.js';
import { UPSTREAM_LOCK, splitPath } from '../../values-schemas/platform/locked.js';
import { DISCOURAGED_KEYS, unknownUpstreamKeys } from '../../values-schemas/platform/upstream.js';
import { DATASOURCES, DEFAULT_RELEASE, PLATFORM_OBJECTS, observabilityTopology } from '../../values-schemas/platform/topology.js';
import { ENVIRONMENTS, globalDefaults, type Environment } from '../../values-schemas/common/global.js';
import { mergeValues } from '../../values-schemas/common/merge.js';
import { OBSERVABILITY_NAMESPACE, expectedServices, expectedWorkloads, resolveInRender, umbrellaRender, umbrellaValues, workloadIds } from './fixtures.js';
import { Service } from 'kubernetes-models/v1/Service';
import { ALERT_NAMES } from '../../values-schemas/platform/alerts.js';
import { NODE_EXPORTER_NAMESPACE } from '../../values-schemas/observability/index.js';

const chartDir = path.join(repoRoot, 'charts', 'observability');
const load = (file: string) => yaml.load(readFileSync(path.resolve(chartDir, file), 'utf8')) as Record<string, any>;

/** An `extraConfigmapMounts` entry of the prometheus chart's values. */
interface ConfigmapMount {
  name: string;
  configMap: string;
}
const chart = load('Chart.yaml') as { dependencies: Array<{ name: string; version: string; repository: string; condition: string }> };
const envValues = (environment: Environment) => mergeValues(load('values.yaml'), load(`values-${environment}.yaml`)) as Record<string, any>;

describe('observability umbrella Chart.yaml', () => {
  it('should pin every upstream chart exactly as locked, behind its components switch', () => {
    for (const pin of OBSERVABILITY_PINS) {
      expect(UPSTREAM_LOCK.charts[pin.name]?.version).toBe(pin.version);
      expect(chart.dependencies.find((entry) => entry.name === pin.name)).toEqual({
        name: pin.name,
        version: pin.version,
        repository: pin.repository,
        condition: `components.${pin.name}.enabled`,
      });
    }
  });

  it('should include the platform chart as a local dependency and nothing else', () => {
    expect(chart.dependencies.find((entry) => entry.name === 'observability-platform')).toMatchObject({
      repository: 'file://../observability-platform',
      condition: 'components.observability-platform.enabled',
    });
    expect(chart.dependencies).toHaveLength(OBSERVABILITY_PINS.length + 1);
  });
});

describe('the upstream key check', () => {
  it('should name a key the pinned chart does not have, at any depth', () => {
    // GIVEN values with a misspelt nested key, a stale top-level key and real ones
    const values = {
      server: { retentionn: '1d', retention: '1d', resources: { limits: { cpu: '1' } } },
      nodeExporter: { enabled: false },
      scrapeConfigs: { mine: { job_name: 'mine' } },
    };
    // WHEN checked against the lock THEN exactly the unknown paths are named
    expect(unknownUpstreamKeys('prometheus', values)).toEqual(['server.retentionn', 'nodeExporter.enabled']);
  });

  it('should accept a path only a template reads', () => {
    // jaeger's values.yaml has no jaeger.resources; its Deployment template reads it.
    expect(unknownUpstreamKeys('jaeger', { jaeger: { resources: { limits: { memory: '1Gi' } }, replicaz: 2 } })).toEqual(['jaeger.replicaz']);
  });

  it.each(ENVIRONMENTS)('should find only real keys and none of the discouraged ones in the %s values', (environment) => {
    const values = envValues(environment);
    for (const pin of OBSERVABILITY_PINS) {
      expect(unknownUpstreamKeys(pin.name, values[pin.name])).toEqual([]);
      for (const key of Object.keys(DISCOURAGED_KEYS[pin.name])) {
        const found = splitPath(key).reduce<any>((node, segment) => node?.[segment], values[pin.name]);
        expect(found, `${pin.name}.${key}`).toBeUndefined();
      }
    }
  });

  it('should expose nothing through a LoadBalancer and hold no plaintext secret in values', () => {
    for (const environment of ENVIRONMENTS) {
      const text = JSON.stringify(envValues(environment));
      expect(text).not.toMatch(/LoadBalancer|NodePort/);
      // A credential is a reference to a Secret (`secret:<name>:<key>`), never a value.
      expect(text).not.toMatch(/"(adminPassword|password|secretKey|signing_key)":"(?!secret:)[^"]/i);
    }
  });
});

describe.each(HELM_MAJORS)('observability umbrella with the real pinned charts on Helm %i', (helm) => {
  const rendered = new Map<Environment, KubeObject[]>();
  beforeAll(async () => {
    // GIVEN the umbrella assembled with the locked upstream packages, WHEN rendered per environment
    for (const [environment, objects] of await Promise.all(
      ENVIRONMENTS.map(async (environment) => [environment, await render(umbrellaRender(helm, environment))] as const),
    )) {
      rendered.set(environment, objects);
    }
  });
  afterAll(() => {
    // THEN every object, upstream ones included, is a known kind with only known fields
    assertStrict([...rendered.values()].flat());
  });

  it.each(ENVIRONMENTS)('should render every component in %s: exactly the workloads and Services its values switch on', (environment) => {
    // THEN the workloads are the ones the environment's values name (dev runs no Alertmanager and no node exporter)
    expect(workloadIds(rendered.get(environment)!)).toEqual(expectedWorkloads(environment));
    // AND the Services are the ones the upstream lock recorded for the environment
    expect(
      all(rendered.get(environment)!, Service)
        .map((service) => service.metadata?.name)
        .sort(),
    ).toEqual(expectedServices(environment));
  });

  it.each(ENVIRONMENTS)('should resolve every cross-reference to a Service and port of the render in %s', (environment) => {
    const objects = rendered.get(environment)!;
    const urls: string[] = [];
    // Grafana's provisioned datasources, as the chart writes them.
    const values = umbrellaValues(environment);
    const topology = observabilityTopology({
      release: DEFAULT_RELEASE,
      namespace: values.global.namespaces.observability,
      istioNamespace: values.global.namespaces.istio,
    });
    const grafana = mustGet(objects, ConfigMap, values.grafana.fullnameOverride);
    const datasources = (yaml.load(grafana.data!['datasources.yaml']!) as { datasources: Array<{ uid: string; url: string }> }).datasources;
    expect(datasources.map((source) => source.uid).sort()).toEqual(
      Object.values(DATASOURCES)
        .map((source) => source.uid)
        .sort(),
    );
    urls.push(...datasources.map((source) => source.url));
    // Kiali's configuration, as the chart writes it.
    const kiali = yaml.load(mustGet(objects, ConfigMap, 'kiali').data!['config.yaml']!) as { external_services: Record<string, any> };
    urls.push(kiali.external_services.prometheus.url, kiali.external_services.grafana.internal_url, kiali.external_services.tracing.internal_url);
    // Alloy's push URL, from its pipeline.
    const alloy = mustGet(objects, ConfigMap, 'observability-alloy').data!['config.alloy']!;
    const push = /url\s*=\s*"([^"]+)"/.exec(alloy)?.[1];
    expect(push).toBe(topology.loki.pushUrl);
    urls.push(push!);
    expect(urls).toHaveLength(7);
    for (const url of urls) expect(resolveInRender(url, objects)).toBeUndefined();
  });

  it.each(ENVIRONMENTS)('should mount the platform rule ConfigMap into Prometheus and its reloader, and list the file, in %s', (environment) => {
    const objects = rendered.get(environment)!;
    const rules = mustGet(objects, ConfigMap, PLATFORM_OBJECTS.rulesConfigMap);
    // THEN the rule file holds every platform alert
    const groups = (yaml.load(rules.data![PLATFORM_OBJECTS.rulesFileKey]!) as { groups: Array<{ rules: Array<{ alert: string }> }> }).groups;
    expect(groups.flatMap((group) => group.rules.map((rule) => rule.alert)).sort()).toEqual([...ALERT_NAMES].sort());
    // AND the server's pod has the volumes the pinned prometheus chart makes of the mounts the values ask for, for the
    // server (`<server.name>-<name>`) and for its reloader (`<configmapReload.prometheus.name>-<name>`, and `<name>` once more)
    const prometheus = mergeValues(load(path.join(upstreamChart('prometheus'), 'values.yaml')), umbrellaValues(environment).prometheus) as {
      server: { name: string; fullnameOverride: string; extraConfigmapMounts: ConfigmapMount[] };
      configmapReload: { prometheus: { name: string; extraConfigmapMounts: ConfigmapMount[] } };
    };
    const rulesMounts = (mounts: ConfigmapMount[]) => mounts.filter((mount) => mount.configMap === PLATFORM_OBJECTS.rulesConfigMap).map((mount) => mount.name);
    const reload = prometheus.configmapReload.prometheus;
    const server = mustGet(objects, Deployment, prometheus.server.fullnameOverride).spec!.template.spec!;
    const volumes = new Set(server.volumes!.filter((volume) => volume.configMap?.name === PLATFORM_OBJECTS.rulesConfigMap).map((volume) => volume.name));
    expect([...volumes].sort()).toEqual(
      [
        ...rulesMounts(prometheus.server.extraConfigmapMounts).map((name) => `${prometheus.server.name}-${name}`),
        ...rulesMounts(reload.extraConfigmapMounts).flatMap((name) => [`${reload.name}-${name}`, name]),
      ].sort(),
    );
    for (const containerName of ['prometheus-server', 'prometheus-server-configmap-reload']) {
      const container = server.containers.find((entry) => entry.name === containerName)!;
      expect(
        container.volumeMounts!.some((mount) => volumes.has(mount.name) && mount.mountPath === PLATFORM_OBJECTS.rulesMountPath),
        containerName,
      ).toBe(true);
    }
    const reloader = server.containers.find((entry) => entry.name === 'prometheus-server-configmap-reload')!;
    expect(reloader.args).toContain(`--watched-dir=${PLATFORM_OBJECTS.rulesMountPath}`);
    const config = yaml.load(mustGet(objects, ConfigMap, 'observability-prometheus-server').data!['prometheus.yml']!) as { rule_files: string[] };
    expect(config.rule_files).toContain(`${PLATFORM_OBJECTS.rulesMountPath}/${PLATFORM_OBJECTS.rulesFileKey}`);
  });

  it('should render only the platform chart when every upstream component is switched off', async () => {
    const objects = await render(umbrellaRender(helm, 'dev', { set: OBSERVABILITY_PINS.map((pin) => `components.${pin.name}.enabled=false`) }));
    expect(new Set(objects.map((object) => object.metadata?.name?.startsWith('restaurant-') ?? false))).toEqual(new Set([true]));
  });

  it("should be rendered in the observability namespace, but for the node exporter's own", () => {
    const namespaces = new Set(rendered.get('prod')!.map((object) => object.metadata?.namespace ?? OBSERVABILITY_NAMESPACE));
    expect([...namespaces].sort()).toEqual([OBSERVABILITY_NAMESPACE, NODE_EXPORTER_NAMESPACE].sort());
  });
});

describe.each(HELM_MAJORS)('observability umbrella fixes seen only with the real charts, on Helm %i', (helm) => {
  it.each(ENVIRONMENTS)('should run Loki as one monolithic StatefulSet, without the simple-scalable targets, in %s', async (environment) => {
    // GIVEN deploymentMode Monolithic, which Loki's own validation refuses while read/write/backend keep replicas
    const objects = await render(umbrellaRender(helm, environment));
    // THEN only the single binary runs
    const loki = objects.filter((object) => ['StatefulSet', 'Deployment'].includes(object.kind) && /loki/.test(object.metadata?.name ?? ''));
    expect(loki.map((object) => `${object.kind}/${object.metadata?.name}`)).toEqual(['StatefulSet/observability-loki']);
  });

  it.each(ENVIRONMENTS)("should pull every upstream image from its own registry, never the platform's, in %s", async (environment) => {
    // GIVEN the platform's registry in the other charts' global block (restaurant-platform's defaults)
    const platformRegistry = globalDefaults.image.registry;
    const objects = await render(umbrellaRender(helm, environment));
    const imagesOf = (object: KubeObject) => {
      const spec = (object as { spec?: { template?: { spec?: { containers?: Array<{ image?: string }>; initContainers?: Array<{ image?: string }> } } } }).spec
        ?.template?.spec;
      return [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])].map((container) => container.image ?? '');
    };
    // (the images are those of every workload the values switch on)
    expect(
      objects
        .filter((object) => imagesOf(object).length > 0)
        .map((object) => `${object.kind}/${object.metadata?.name}`)
        .sort(),
    ).toEqual(expectedWorkloads(environment));
    const images = objects.flatMap(imagesOf);
    // THEN no image names it, and each names a public registry the upstream chart defaults to
    for (const image of images) {
      expect(image.startsWith(platformRegistry), image).toBe(false);
      expect(image, image).toMatch(/^(docker\.io|quay\.io|registry\.k8s\.io|ghcr\.io)\/|^[a-z0-9-]+\/[a-z0-9-]+:/);
    }
  });

  it('should name every object the same under any release name, so its cross-references hold', async () => {
    // GIVEN the umbrella installed as release "obs" (an Argo CD application name, say)
    const [named, other] = await Promise.all([render(umbrellaRender(helm, 'prod')), render(umbrellaRender(helm, 'prod', { release: 'obs' }))]);
    const ids = (objects: readonly KubeObject[]) => objects.map((object) => `${object.kind}/${object.metadata?.name}`).sort();
    // THEN the objects are the same, and the datasources still resolve
    expect(ids(other)).toEqual(ids(named));
    const datasources = (yaml.load(mustGet(other, ConfigMap, 'observability-grafana').data!['datasources.yaml']!) as { datasources: Array<{ url: string }> })
      .datasources;
    for (const source of datasources) expect(resolveInRender(source.url, other)).toBeUndefined();
  });
});

// GIVEN the prod values with a stale key, a wrong type, an unknown dependency, a bad platform
// value, the platform's registry, or another release namespace
describeRejectedValues('observability umbrella refuses bad values', (helm) => umbrellaRender(helm, 'prod'), [
  { name: 'a key the pinned prometheus chart does not have', set: ['prometheus.nodeExporter.enabled=false'], path: 'prometheus', message: 'nodeExporter' },
  { name: 'a components switch that is not a boolean', set: ['components.kiali-server.enabled=maybe'], path: 'components.kiali-server.enabled' },
  { name: 'a dependency the umbrella does not have', set: ['tempo.enabled=true'], path: '(root)', message: 'tempo' },
  {
    name: 'a bad platform value',
    set: ['observability-platform.alerts.HighErrorRate.threshold=2'],
    path: 'observability-platform.alerts.HighErrorRate.threshold',
  },
  { name: 'the platform registry in its global block', set: ['global.image.registry=registry.example.com/restaurant'], path: 'global.image' },
  {
    name: 'a namespace other than global.namespaces.observability',
    render: { namespace: 'monitoring' },
    path: 'global.namespaces.observability',
    message: 'global.namespaces.observability ("observability") differs from the release namespace "monitoring"',
  },
]);
