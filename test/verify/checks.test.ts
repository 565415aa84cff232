// Each check of chartkit verify fires on a values file that breaks what it judges, naming the object
// (and the values path where the charts know it), in every environment and both mesh modes; and only
// that check fires. The crd check cannot be reached from values (the charts' schemas and guards
// refuse first); pure-checks.test.ts breaks a rendered custom resource for it.
import { describe, it, expect } from 'vitest';
import { ENVIRONMENTS, type Environment } from '../../values-schemas/common/global.js';
import type { VerifyCheckId } from '../../generator/verify/index.js';
import { valuesFile, verifyReport } from './fixtures.js';

interface Case {
  readonly name: string;
  readonly values: object;
  readonly check: VerifyCheckId;
  readonly object: string;
  readonly path?: string;
  readonly message: string | RegExp;
}

const CASES: readonly Case[] = [
  {
    name: "a mesh mode for istio-mesh alone (the umbrella's global.mesh.mode decides)",
    values: { 'istio-mesh': { mesh: { mode: 'ambient' } } },
    check: 'values',
    object: 'chart restaurant-platform',
    path: 'istio-mesh.mesh.mode',
    message: "at '/istio-mesh/mesh/mode'",
  },
  {
    name: 'a CPU request above its limit',
    values: { 'restaurant-app': { serviceDefaults: { resources: { requests: { cpu: '4' }, limits: { cpu: '1' } } } } },
    check: 'values',
    object: 'chart restaurant-platform',
    path: 'restaurant-app.serviceDefaults.resources.requests.cpu',
    message: 'restaurant-app.serviceDefaults.resources.requests.cpu (4) exceeds restaurant-app.serviceDefaults.resources.limits.cpu (1)',
  },
  {
    name: 'a replica count that is not a number (passed through to an upstream chart)',
    values: { observability: { grafana: { replicas: 'two' } } },
    check: 'models',
    object: 'Deployment observability/observability-grafana',
    message: 'spec/replicas must be integer',
  },
  {
    name: 'a Service port name the API server refuses',
    values: { observability: { grafana: { service: { portName: 'HTTP_UI' } } } },
    check: 'api-rules',
    object: 'Service observability/observability-grafana',
    message: /^spec\.ports\[0\]\.name: name "HTTP_UI" must be/,
  },
  {
    name: 'a workload running as root',
    values: { observability: { grafana: { securityContext: { runAsUser: 0 } } } },
    check: 'pod-security',
    object: 'Deployment observability/observability-grafana',
    message: 'breaks the restricted profile: securityContext.runAsUser: 0',
  },
  {
    name: 'edge routes bound to a Gateway istio-mesh does not render',
    values: { 'restaurant-app': { istio: { gateway: { name: 'other-gateway' } } } },
    check: 'mesh',
    object: 'Gateway istio-ingress/ingress-gateway',
    message: /is bound by no VirtualService/,
  },
  {
    name: 'a tracing port the collector does not serve',
    values: { 'istio-mesh': { tracing: { port: 9999 } } },
    check: 'cross-chart',
    object: 'Istio default',
    message: /tracing provider otel names port 9999 of Service observability\/observability-jaeger/,
  },
  {
    name: 'the observability umbrella told another Istio namespace',
    values: { observability: { global: { namespaces: { istio: 'istio' } } } },
    check: 'cross-chart',
    object: 'chart observability',
    path: 'observability.global.namespaces',
    message: /^global\.namespaces differs between restaurant-platform/,
  },
  {
    name: 'a disruption budget that blocks every drain',
    values: { observability: { grafana: { podDisruptionBudget: { minAvailable: 1 } } } },
    check: 'operations',
    object: 'PodDisruptionBudget observability/observability-grafana',
    message: /allows 0 eviction\(s\): a node running one of them cannot be drained/,
  },
  {
    name: "Prometheus's istiod job switched off",
    values: { observability: { prometheus: { scrapeConfigs: { istiod: { enabled: false } } } } },
    check: 'scrape-coverage',
    object: 'series up',
    message: 'read by alert IstiodDown, produced by istiod, but no scrape job keeps a target of every istiod pod',
  },
  {
    name: "a key of Prometheus's configuration the chart also writes",
    values: { observability: { prometheus: { serverFiles: { 'prometheus.yml': { scrape_configs: [] } } } } },
    check: 'scrape-coverage',
    object: 'ConfigMap observability/observability-prometheus-server',
    message: /^prometheus\.yml is not valid YAML \(duplicated mapping key/,
  },
];

const VARIANTS: ReadonlyArray<[string, Environment, readonly string[]]> = ENVIRONMENTS.flatMap((environment) =>
  (['sidecar', 'ambient'] as const).map((mode): [string, Environment, readonly string[]] => [
    `${environment}, ${mode}`,
    environment,
    [`global.mesh.mode=${mode}`],
  ]),
);

describe.each(VARIANTS)('chartkit verify in %s', (_title, environment, set) => {
  it.each(CASES)('should report $check for $name, and nothing else', async ({ values, check, object, path, message }) => {
    // GIVEN a values file with one mistake, WHEN verified
    const report = await verifyReport({ environment, set, files: [valuesFile(values)] });
    // THEN the check names the object (and the path), and no other check fires
    expect(report.findings.length).toBeGreaterThan(0);
    expect([...new Set(report.findings.map((finding) => finding.check))]).toEqual([check]);
    const finding = report.findings.find((candidate) => candidate.object === object);
    expect(finding, report.findings.map((candidate) => `${candidate.object}: ${candidate.message}`).join('\n')).toBeDefined();
    expect(finding!.message).toMatch(message);
    if (path) expect(finding!.path).toBe(path);
  });
});
