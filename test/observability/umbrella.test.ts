// The observability umbrella, checked offline: its Chart.yaml pins every upstream dependency
// exactly with a condition, its values files use only current keys of the pinned versions, every
// cross-reference names a Service the subcharts create for the release, and the per-environment
// invariants hold. Then the umbrella renders on Helm 3 and 4 with empty stand-ins for the
// upstream charts (same names and versions, nothing inside), which proves the dependency wiring,
// the conditions, the values schema and the platform subchart inside it.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync, mkdtempSync, cpSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { repoRoot } from '../../scripts/tools/paths.mjs';
import { render, renderError, errorPaths } from '../helpers/helm.js';
import { all, mustGet, type KubeObject } from '../helpers/models.js';
import { assertStrict } from '../helpers/strict.js';
import { HELM_MAJORS } from '../helpers/tools.js';
import { UPSTREAM_CHARTS, UPSTREAM_NAMES, helmFullname, splitPath } from '../../generator/observability/upstream.js';
import { DEFAULT_RELEASE, ISTIO_METRICS, PLATFORM_OBJECTS, observabilityTopology } from '../../generator/observability/topology.js';
import { ENVIRONMENTS, globalDefaults, type Environment } from '../../values-schemas/common/global.js';
import { mergeValues } from '../../values-schemas/common/merge.js';

const chartDir = path.join(repoRoot, 'charts', 'observability');
const load = (file: string) => yaml.load(readFileSync(path.join(chartDir, file), 'utf8')) as Record<string, any>;
const chart = load('Chart.yaml') as { dependencies: Array<{ name: string; version: string; repository: string; condition: string }> };
const baseValues = load('values.yaml');
const envValues = (environment: Environment) => mergeValues(baseValues, load(`values-${environment}.yaml`)) as Record<string, any>;
const SEMVER = /^\d+\.\d+\.\d+$/;

/** Every leaf path below `value`, as segment lists (lists are leaves: Helm replaces them whole). */
function leafPaths(value: unknown, prefix: string[] = []): string[][] {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || Object.keys(value).length === 0) return [prefix];
  return Object.entries(value).flatMap(([key, child]) => leafPaths(child, [...prefix, key]));
}
const startsWith = (pathSegments: string[], prefix: string[]) => prefix.every((segment, index) => pathSegments[index] === segment);
const has = (value: unknown, segments: string[]) => {
  let node = value as Record<string, unknown> | undefined;
  for (const segment of segments) {
    if (typeof node !== 'object' || node === null || !(segment in node)) return false;
    node = node[segment] as Record<string, unknown>;
  }
  return true;
};

describe('observability umbrella Chart.yaml', () => {
  it('should pin every upstream chart exactly, from its repository, behind its condition', () => {
    for (const name of UPSTREAM_NAMES) {
      const pinned = UPSTREAM_CHARTS[name];
      const dependency = chart.dependencies.find((entry) => entry.name === pinned.chart);
      expect(dependency, `${name} is a dependency`).toBeDefined();
      expect(dependency!.version).toMatch(SEMVER);
      expect(dependency).toEqual({ name: pinned.chart, version: pinned.version, repository: pinned.repository, condition: `${pinned.chart}.enabled` });
    }
  });

  it('should include the platform chart as a local dependency and nothing unpinned', () => {
    expect(chart.dependencies.find((entry) => entry.name === 'observability-platform')).toMatchObject({ repository: 'file://../observability-platform', condition: 'observability-platform.enabled' });
    expect(chart.dependencies).toHaveLength(UPSTREAM_NAMES.length + 1);
    for (const dependency of chart.dependencies) expect(dependency.version).toMatch(SEMVER);
  });

  it('should name no deprecated chart', () => {
    for (const stale of ['loki-stack', 'promtail']) expect(chart.dependencies.map((entry) => entry.name)).not.toContain(stale);
  });
});

describe.each(ENVIRONMENTS)('observability umbrella values in %s', (environment) => {
  const values = envValues(environment);
  const topology = observabilityTopology({ release: DEFAULT_RELEASE, namespace: values.global.namespaces.observability, istioNamespace: values.global.namespaces.istio });

  it('should set only current keys of the pinned versions', () => {
    for (const name of UPSTREAM_NAMES) {
      const allowed = UPSTREAM_CHARTS[name].currentKeys.map(splitPath);
      for (const leaf of leafPaths(values[name])) {
        expect(allowed.some((prefix) => startsWith(leaf, prefix)), `${name}.${leaf.join('.')} is a current key of ${name} ${UPSTREAM_CHARTS[name].version}`).toBe(true);
      }
    }
  });

  it('should set none of the stale keys', () => {
    for (const name of UPSTREAM_NAMES) {
      for (const stale of Object.keys(UPSTREAM_CHARTS[name].staleKeys)) {
        const [keyPath, forbidden] = stale.split('=') as [string, string | undefined];
        const segments = splitPath(keyPath);
        if (forbidden === undefined) expect(has(values[name], segments), `${name}.${stale}`).toBe(false);
        else expect(String(segments.reduce<any>((node, key) => node?.[key], values[name]))).not.toBe(forbidden);
      }
    }
  });

  it('should point every cross-reference at the Services the subcharts create for the release', () => {
    const fullname = (name: keyof typeof UPSTREAM_CHARTS) => helmFullname(DEFAULT_RELEASE, UPSTREAM_CHARTS[name].chart);
    const host = (service: string) => `${service}.${values.global.namespaces.observability}.svc.cluster.local`;
    const prometheusUrl = `http://${host(`${fullname('prometheus')}-server`)}:80`;
    const datasources = values.grafana.datasources['datasources.yaml'].datasources as Array<{ uid: string; url: string }>;
    expect(Object.fromEntries(datasources.map((source) => [source.uid, source.url]))).toEqual({
      prometheus: prometheusUrl,
      loki: `http://${host(fullname('loki'))}:3100`,
      jaeger: `http://${host(fullname('jaeger'))}:16686`,
    });
    const kiali = values['kiali-server'].external_services;
    expect(kiali.prometheus.url).toBe(prometheusUrl);
    expect(kiali.grafana.internal_url).toBe(`http://${host(fullname('grafana'))}:80`);
    expect(kiali.tracing).toMatchObject({ enabled: true, use_grpc: true, internal_url: `http://${host(fullname('jaeger'))}:16685` });
    expect(values.alloy.alloy.configMap.content).toContain(`url = "http://${host(fullname('loki'))}:3100/loki/api/v1/push"`);
    // And the topology module, which the generator used, agrees.
    expect(kiali.prometheus.url).toBe(topology.prometheus.url);
  });

  it('should mount the platform\'s rule ConfigMap and list its file in rule_files', () => {
    const mounts = values.prometheus.server.extraConfigmapMounts as Array<{ configMap: string; mountPath: string }>;
    expect(mounts).toContainEqual(expect.objectContaining({ configMap: PLATFORM_OBJECTS.rulesConfigMap, mountPath: PLATFORM_OBJECTS.rulesMountPath }));
    // The reloader mounts the same ConfigMap and watches its directory, so a rule change reloads Prometheus.
    const reload = values.prometheus.configmapReload.prometheus as { extraConfigmapMounts: Array<{ configMap: string; mountPath: string }>; extraVolumeDirs: string[] };
    expect(reload.extraConfigmapMounts).toContainEqual(expect.objectContaining({ configMap: PLATFORM_OBJECTS.rulesConfigMap, mountPath: PLATFORM_OBJECTS.rulesMountPath }));
    expect(reload.extraVolumeDirs).toContain(PLATFORM_OBJECTS.rulesMountPath);
    expect(values.prometheus.serverFiles['prometheus.yml'].rule_files).toContain(`${PLATFORM_OBJECTS.rulesMountPath}/${PLATFORM_OBJECTS.rulesFileKey}`);
    expect(values['observability-platform'].monitoring.mode).toBe('files');
    expect(values.grafana.sidecar.dashboards).toMatchObject({ label: PLATFORM_OBJECTS.dashboardLabel.key, labelValue: PLATFORM_OBJECTS.dashboardLabel.value, folderAnnotation: PLATFORM_OBJECTS.folderAnnotation });
  });

  it('should scrape istiod and the proxies once each, and not re-declare jobs as a scrape_configs list', () => {
    const jobs = values.prometheus.scrapeConfigs as Record<string, any>;
    expect(Object.keys(jobs).sort()).toEqual(['istio-proxies', 'istiod', 'kubernetes-pods']);
    expect(jobs.istiod.kubernetes_sd_configs[0].namespaces.names).toEqual([values.global.namespaces.istio]);
    expect(jobs.istiod.relabel_configs[0].regex).toBe(`istiod;${ISTIO_METRICS.istiod.portName}`);
    expect(jobs['istio-proxies'].metrics_path).toBe(ISTIO_METRICS.merged.path);
    expect(JSON.stringify(jobs['istio-proxies'])).toContain(`:${ISTIO_METRICS.merged.port}`);
    // The annotation job leaves meshed pods and istiod to the jobs above.
    expect(jobs['kubernetes-pods'].relabel_configs.filter((rule: { action: string }) => rule.action === 'drop')).toHaveLength(4);
    expect(has(values.prometheus, ['serverFiles', 'prometheus.yml', 'scrape_configs'])).toBe(false);
  });

  it('should keep the environment\'s retention, volumes and auth', () => {
    const retention = { dev: '1d', staging: '7d', prod: '15d' }[environment];
    expect(values.prometheus.server.retention).toBe(retention);
    const persistent = environment !== 'dev';
    expect(values.prometheus.server.persistentVolume.enabled).toBe(persistent);
    expect(values.grafana.persistence.enabled).toBe(persistent);
    // Loki's single binary claims a volume unless told not to (the chart's default is enabled).
    expect(values.loki.singleBinary.persistence.enabled).toBe(persistent);
    if (environment === 'prod') expect(values.prometheus.server.persistentVolume.size).toBe('100Gi');
    expect(values['kiali-server'].auth.strategy).toBe(environment === 'dev' ? 'anonymous' : 'token');
    expect(values.grafana['grafana.ini']['auth.anonymous'].enabled).toBe(false);
    expect(values.grafana.admin.existingSecret).toBeTruthy();
  });

  it('should expose nothing through a LoadBalancer and hold no plaintext secret', () => {
    const text = JSON.stringify(values);
    expect(text).not.toMatch(/LoadBalancer|NodePort/);
    for (const leaf of leafPaths(values)) expect(leaf.join('.')).not.toMatch(/password$|adminPassword|secretKey$|token$/i);
  });
});

describe.each(HELM_MAJORS)('observability umbrella rendered on Helm %i with stand-ins for the upstream charts', (helm) => {
  let workDir: string;
  let umbrella: string;
  const rendered: KubeObject[] = [];
  beforeAll(() => {
    // GIVEN the umbrella beside its platform chart, and an empty chart of each pinned name and version
    workDir = mkdtempSync(path.join(os.tmpdir(), `chartkit-umbrella-${helm}-`));
    umbrella = path.join(workDir, 'observability');
    cpSync(chartDir, umbrella, { recursive: true });
    cpSync(path.join(repoRoot, 'charts', 'observability-platform'), path.join(workDir, 'observability-platform'), { recursive: true });
    cpSync(path.join(repoRoot, 'charts', 'observability-platform'), path.join(umbrella, 'charts', 'observability-platform'), { recursive: true });
    for (const name of UPSTREAM_NAMES) {
      const stub = path.join(umbrella, 'charts', UPSTREAM_CHARTS[name].chart);
      mkdirSync(stub, { recursive: true });
      writeFileSync(path.join(stub, 'Chart.yaml'), `apiVersion: v2\nname: ${UPSTREAM_CHARTS[name].chart}\nversion: ${UPSTREAM_CHARTS[name].version}\n`);
    }
  });
  afterAll(() => {
    assertStrict(rendered);
    rmSync(workDir, { recursive: true, force: true });
  });

  it.each(ENVIRONMENTS)('should render the platform objects in files mode for %s', async (environment) => {
    // WHEN rendered with the environment's overlay
    const objects = await render({ chart: umbrella, helm, values: [`values-${environment}.yaml`], namespace: 'observability', release: DEFAULT_RELEASE });
    rendered.push(...objects);
    // THEN the rule ConfigMap the prometheus values mount exists, with the dashboards, in the observability namespace
    expect(mustGet(objects, ConfigMap, PLATFORM_OBJECTS.rulesConfigMap).metadata?.namespace).toBe(globalDefaults.namespaces.observability);
    expect(all(objects, ConfigMap)).toHaveLength(3);
  });

  it('should render nothing of a dependency whose condition is off', async () => {
    const objects = await render({ chart: umbrella, helm, set: ['observability-platform.enabled=false'], namespace: 'observability', release: DEFAULT_RELEASE });
    expect(objects).toEqual([]);
  });

  it.each([
    { set: ['prometheus.nodeExporter.enabled=false'], path: 'prometheus' },
    { set: ['kiali-server.enabled=maybe'], path: 'kiali-server.enabled' },
    { set: ['tempo.enabled=true'], path: '(root)' },
    { set: ['observability-platform.alerts.HighErrorRate.threshold=2'], path: 'alerts.HighErrorRate.threshold' },
  ])('should name $path when $set is given', async ({ set, path: expected }) => {
    // GIVEN a stale key, a wrong type, an unknown dependency, or a bad platform value THEN the error names the path
    const stderr = await renderError({ chart: umbrella, helm, set, namespace: 'observability', release: DEFAULT_RELEASE });
    const paths = errorPaths(stderr);
    if (expected === '(root)') expect(stderr).toMatch(/tempo/);
    else expect(paths.some((found) => found === expected || found.startsWith(`${expected}.`) || found.endsWith(`.${expected}`) || found === `observability-platform.${expected}`), `${paths.join(', ')}\n${stderr}`).toBe(true);
  });
});
