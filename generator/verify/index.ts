/**
 * `chartkit verify`: the platform engineer's pre-flight. Renders the whole platform from the
 * user's values (./render.ts) and runs every check the project has over all of it at once; see
 * {@link VERIFY_CHECKS}. What a check could not judge is reported beside the findings.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkApiRules } from '../checks/api-rules.js';
import { loadCrdSchemas, validateAgainstCrds, type CrdIndex, type CrdVersion } from '../checks/crd.js';
import { callGraphFromValues, checkMesh, type CallGraphValues } from '../checks/mesh/index.js';
import { checkModels, preloadModels } from '../checks/models.js';
import { describeObject, type KubeObject } from '../checks/object.js';
import { checkOperations } from '../checks/operations.js';
import { podSpecOf, restrictedViolations } from '../checks/pod-security.js';
import { checkReferences } from '../checks/references.js';
import { cachedCrds, ensureUpstream } from '../upstream/cache.js';
import { isMap, type ValueMap } from '../../values-schemas/common/merge.js';
import type { GlobalValues } from '../../values-schemas/common/global.js';
import { NODE_EXPORTER_NAMESPACE } from '../../values-schemas/observability/index.js';
import { CRD_PINS, ISTIO_CHART_PINS, OBSERVABILITY_PINS } from '../../values-schemas/platform/pins.js';
import { VERIFY_CHECKS, type Finding, type NotChecked, type VerifyCheckId, type VerifyReport } from './findings.js';
import { renderIstiod, renderPlatform, type ChartRender, type RenderFailure, type VerifyInputs } from './render.js';
import { injectedProxyPort, sailRevision, scrapeCoverage, type CoverageInputs } from '../checks/scrape-coverage.js';
import type { ScrapeJob } from '../observability/relabel.js';
import yaml from 'js-yaml';

export { VERIFY_CHECKS, type Finding, type NotChecked, type VerifyCheckId, type VerifyReport } from './findings.js';
export type { VerifyInputs } from './render.js';

/**
 * Namespaces whose workloads are exempt from the restricted profile, and why: the node exporter
 * reads the host's /proc and /sys and the host network by design, in a namespace of its own
 * labelled `privileged` (values-schemas/observability).
 */
export const POD_SECURITY_EXCEPTIONS: Readonly<Record<string, string>> = {
  [NODE_EXPORTER_NAMESPACE]: 'the Prometheus node exporter needs the host network, PID namespace and filesystem; it runs alone in this namespace',
};

/** The schema node at a dotted values path, following properties, then additional and pattern properties. */
function schemaAt(schema: unknown, dotted: string): ValueMap | undefined {
  let node: unknown = schema;
  for (const segment of dotted.split('.')) {
    if (!isMap(node)) return undefined;
    const properties = isMap(node['properties']) ? node['properties'] : {};
    if (segment in properties) node = properties[segment];
    else if (isMap(node['additionalProperties'])) node = node['additionalProperties'];
    else if (isMap(node['patternProperties'])) node = Object.values(node['patternProperties'])[0];
    else return undefined;
  }
  return isMap(node) ? node : undefined;
}

/** A failed render as findings: one per values path Helm names (or one for the chart), each with what the schema says the key is. */
function renderFindings(failure: RenderFailure): Finding[] {
  const lines = failure.stderr.split('\n').filter((line) => line.trim() && !/^Error: values don't meet|^[a-z-]+:$/.test(line.trim()));
  const message = lines.join(' ').replace(/^Error: (execution error at \([^)]*\): )?/, '');
  if (failure.paths.length === 0) return [{ check: 'values', object: `chart ${failure.chart}`, message }];
  // A subchart's schema reports the same key again, relative to itself: keep the umbrella's path.
  const paths = failure.paths.filter((at) => !failure.paths.some((other) => other !== at && other.endsWith(`.${at}`)));
  return paths.map((at) => {
    const line = lines.find((candidate) => candidate.includes(at) || candidate.includes(`/${at.replaceAll('.', '/')}`)) ?? message;
    const description = schemaAt(failure.schema, at)?.['description'];
    return {
      check: 'values' as const,
      object: `chart ${failure.chart}`,
      path: at,
      message: line
        .trim()
        .replace(/^Error: (execution error at \([^)]*\): )?/, '')
        .replace(/^- /, ''),
      fix: typeof description === 'string' ? `${at}: ${description}` : `change ${at} (see charts/${failure.chart}/README.md)`,
    };
  });
}

/** The kind a CRD document defines (`spec.names.kind`), read without parsing the document. */
const definedKind = (document: string): string | undefined => /^\s+names:\s*$(?:\n\s+\S.*$){0,12}?\n\s+kind: (\w+)\s*$/m.exec(document)?.[1];
/** The API group a CRD document defines (`spec.group`), read without parsing it. */
const definedGroup = (document: string): string | undefined => /^\s+group: ([a-z0-9.-]+)\s*$/m.exec(document)?.[1];

/** The pinned CRD documents by the kind each defines, and every group they define; read once per process. */
let pinnedDocuments: { readonly byKind: ReadonlyMap<string, readonly string[]>; readonly groups: ReadonlySet<string> } | undefined;
const parsedKinds = new Map<string, CrdIndex>();

/**
 * The pinned CRDs of `kinds`, indexed. Only those are parsed (the pinned sets are 9 MB of YAML, most
 * of it kinds the platform does not render; each kind is parsed once per process), but the index
 * knows every pinned group, so an object of a pinned group with a kind no CRD defines is reported,
 * not mistaken for a built-in one.
 */
function pinnedCrds(root: string, kinds: Iterable<string>): CrdIndex {
  if (!pinnedDocuments) {
    const byKind = new Map<string, string[]>();
    const groups = new Set<string>();
    for (const text of CRD_PINS.flatMap((pin) => pin.files.map((file) => readFileSync(path.join(cachedCrds(root, pin), file), 'utf8')))) {
      for (const document of text.split(/^---\s*$/m)) {
        const kind = definedKind(document);
        const group = definedGroup(document);
        if (!kind || !group) continue;
        groups.add(group);
        byKind.set(kind, [...(byKind.get(kind) ?? []), document]);
      }
    }
    pinnedDocuments = { byKind, groups };
  }
  const versions = new Map<string, CrdVersion>();
  for (const kind of new Set(kinds)) {
    const documents = pinnedDocuments.byKind.get(kind);
    if (!documents) continue;
    let index = parsedKinds.get(kind);
    if (!index) {
      index = loadCrdSchemas(documents);
      parsedKinds.set(kind, index);
    }
    for (const [key, version] of index.versions) versions.set(key, version);
  }
  return { versions, groups: pinnedDocuments.groups };
}

/**
 * The kinds the platform's charts render, whose models and CRDs verify loads while Helm renders
 * (the main thread only waits then); any other kind is loaded when it turns up.
 */
const EXPECTED_KINDS: ReadonlyArray<readonly [string, string]> = [
  ...['ConfigMap', 'Secret', 'Service', 'ServiceAccount', 'Namespace', 'PersistentVolumeClaim'].map((kind) => ['v1', kind] as const),
  ...['Deployment', 'StatefulSet', 'DaemonSet'].map((kind) => ['apps/v1', kind] as const),
  ...['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'].map((kind) => ['rbac.authorization.k8s.io/v1', kind] as const),
  ['policy/v1', 'PodDisruptionBudget'],
  ['autoscaling/v2', 'HorizontalPodAutoscaler'],
  ['networking.k8s.io/v1', 'NetworkPolicy'],
];
const EXPECTED_CUSTOM_KINDS = [
  'VirtualService',
  'DestinationRule',
  'Gateway',
  'Sidecar',
  'ServiceEntry',
  'AuthorizationPolicy',
  'PeerAuthentication',
  'Telemetry',
  'Istio',
  'IstioCNI',
  'ZTunnel',
  'IstioRevisionTag',
  'PrometheusRule',
  'ServiceMonitor',
  'PodMonitor',
];

/** Loads what the checks need for the charts' usual kinds, while the renders run. */
async function warmChecks(root: string): Promise<void> {
  await preloadModels(EXPECTED_KINDS);
  pinnedCrds(root, EXPECTED_CUSTOM_KINDS);
}

/** Runs every check over rendered objects; `values` are the values Helm computed, by chart. */
export async function checkPlatform(
  root: string,
  environment: string,
  objects: readonly KubeObject[],
  values: Readonly<Record<string, ValueMap>>,
  coverage?: CoverageInputs,
  coverageMissing?: string,
): Promise<{ findings: Finding[]; notChecked: NotChecked[]; checks: VerifyCheckId[] }> {
  const findings: Finding[] = [];
  const notChecked: NotChecked[] = [];
  const add = (check: VerifyCheckId, list: ReadonlyArray<{ object: string; message: string; fix?: string }>) => {
    for (const { object, message, fix } of list) findings.push({ check, object, message, ...(fix ? { fix } : {}) });
  };

  add('models', (await checkModels(objects)).findings);

  const crds = validateAgainstCrds(
    objects,
    pinnedCrds(
      root,
      objects.map((object) => object.kind),
    ),
  );
  add(
    'crd',
    crds.findings.map((finding) => ({ object: finding.object, message: `${finding.path}: ${finding.message}` })),
  );
  for (const rule of crds.celNotEvaluated) notChecked.push({ check: 'crd', what: `CEL rule of ${rule.crd} at ${rule.path}: ${rule.rule}`, why: rule.reason });

  add(
    'api-rules',
    checkApiRules(objects).map((violation) => ({ object: violation.object, message: `${violation.field}: ${violation.message}` })),
  );

  for (const workload of objects) {
    const pod = podSpecOf(workload);
    if (!pod) continue;
    const exception = POD_SECURITY_EXCEPTIONS[workload.metadata?.namespace ?? ''];
    if (exception) {
      notChecked.push({ check: 'pod-security', what: describeObject(workload), why: `a documented exception: ${exception}` });
      continue;
    }
    for (const violation of restrictedViolations(pod)) {
      findings.push({
        check: 'pod-security',
        object: describeObject(workload),
        message: `breaks the restricted profile: ${violation}`,
        fix: 'run as non-root with a RuntimeDefault seccomp profile, no privilege escalation and every capability dropped',
      });
    }
  }

  const app = values['restaurant-app'] as unknown as (CallGraphValues & { global: GlobalValues; istio: { enabled: boolean } }) | undefined;
  const platformGlobal = (values['restaurant-platform']?.['global'] ?? app?.global) as GlobalValues | undefined;
  if (app?.istio.enabled) {
    const { istio, observability, data } = app.global.namespaces;
    add(
      'mesh',
      checkMesh(objects, {
        ...callGraphFromValues(app),
        production: environment === 'prod',
        rootNamespace: istio,
        egressNamespaces: [istio, observability, data],
      }),
    );
  } else notChecked.push({ check: 'mesh', what: 'the mesh checks', why: 'restaurant-app is disabled or renders without Istio' });

  const references = checkReferences(objects, { clusterDomain: platformGlobal?.clusterDomain });
  add('cross-chart', references.findings);
  for (const [host, users] of references.outside) {
    notChecked.push({ check: 'cross-chart', what: `${host} (named by ${users.join(', ')})`, why: 'no chart of the platform renders into its namespace' });
  }
  const observabilityGlobal = values['observability']?.['global'] as Partial<GlobalValues> | undefined;
  if (platformGlobal && observabilityGlobal) {
    for (const key of ['namespaces', 'clusterDomain', 'environment'] as const) {
      if (JSON.stringify(platformGlobal[key]) !== JSON.stringify(observabilityGlobal[key])) {
        findings.push({
          check: 'cross-chart',
          object: 'chart observability',
          path: `${OBSERVABILITY_VALUES_KEY}.global.${key}`,
          message: `global.${key} differs between restaurant-platform (${JSON.stringify(platformGlobal[key])}) and the observability umbrella (${JSON.stringify(observabilityGlobal[key])})`,
          fix: `set global.${key} once, at the top level of your values, not under observability.global`,
        });
      }
    }
  }

  add('operations', checkOperations(objects));

  const checks = Object.keys(VERIFY_CHECKS) as VerifyCheckId[];
  if (coverage) {
    for (const row of scrapeCoverage(coverage).rows) {
      if (row.verdict === 'MISSING') {
        findings.push({
          check: 'scrape-coverage',
          object: `series ${row.metric}`,
          message: `read by ${row.readers.join(', ')}, produced by ${row.producer}, but no scrape job keeps a target of every ${row.producer} pod`,
          fix: `scrape the ${row.producer} pods (see the Istio and platform scrape jobs in values-schemas/observability/scrape.ts), or stop overriding the jobs`,
        });
      } else if (row.verdict === 'NOT CHECKED')
        notChecked.push({ check: 'scrape-coverage', what: `series ${row.metric} (${row.producer})`, why: row.why ?? 'not evaluable' });
    }
  } else {
    notChecked.push({
      check: 'scrape-coverage',
      what: 'every series an alert or dashboard reads',
      why: coverageMissing ?? 'no Prometheus configuration or control plane rendered',
    });
  }
  return { findings, notChecked, checks: coverage ? checks : checks.filter((check) => check !== 'scrape-coverage') };
}

/**
 * The scrape-coverage inputs of a render: the Prometheus server's jobs, the restaurant services,
 * istiod rendered from the pinned chart for the rendered `Istio`, the observability stack; or why
 * there are none.
 */
async function coverageInputs(
  root: string,
  helm: VerifyInputs['helm'],
  platform: readonly KubeObject[],
  observability: readonly KubeObject[],
  values: Readonly<Record<string, ValueMap>>,
): Promise<CoverageInputs | { readonly reason: string; readonly finding?: Finding }> {
  const config = observability.find((object) => object.kind === 'ConfigMap' && isMap(object['data']) && typeof object['data']['prometheus.yml'] === 'string');
  if (!config) return { reason: 'the observability umbrella renders no Prometheus server configuration' };
  const istio = platform.find((object) => object.apiVersion === 'sailoperator.io/v1' && object.kind === 'Istio');
  if (!istio) return { reason: 'no Sail Istio resource is rendered (controlPlane.installer: none): istiod cannot be rendered beside the platform' };
  const app = values['restaurant-app'] as unknown as { global: GlobalValues; istio: { mesh: { mode?: string } } } | undefined;
  if (!app) return { reason: 'restaurant-app is disabled' };
  const namespaces = app.global.namespaces;
  const { objects: istiod, injectionTemplate } = await renderIstiod(root, helm, sailRevision(istio), namespaces.istio);
  let prometheus: { scrape_configs?: ScrapeJob[] };
  try {
    prometheus = (yaml.load(String((config['data'] as ValueMap)['prometheus.yml'])) ?? {}) as typeof prometheus;
  } catch (error) {
    return {
      reason: 'the Prometheus configuration does not parse',
      finding: {
        check: 'scrape-coverage',
        object: describeObject(config),
        message: `prometheus.yml is not valid YAML (${(error as Error).message.split('\n')[0]}): Prometheus refuses to load it`,
        fix: "set the scrape jobs through the chart's own keys (extraScrapeConfigs), not by replacing keys of serverFiles.prometheus.yml the chart also writes",
      },
    };
  }
  return {
    jobs: prometheus.scrape_configs ?? [],
    app: platform.filter((object) => (object.metadata?.labels?.['helm.sh/chart'] ?? '').startsWith('restaurant-app-')),
    istiod,
    observability,
    namespaces: { app: namespaces.app, istio: namespaces.istio, observability: namespaces.observability },
    mode: (app.global.mesh?.mode ?? app.istio.mesh.mode) === 'ambient' ? 'ambient' : 'sidecar',
    proxyPort: injectedProxyPort(injectionTemplate),
  };
}

/** The key of the user's values the observability umbrella's values sit under. */
const OBSERVABILITY_VALUES_KEY = 'observability';

/** Renders the platform from the user's values and checks it. Throws a UserError when the upstream charts are unavailable. */
export async function verify(root: string, inputs: VerifyInputs): Promise<VerifyReport> {
  await ensureUpstream({ root, pins: [...OBSERVABILITY_PINS, ...ISTIO_CHART_PINS, ...CRD_PINS] });
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'chartkit-verify-'));
  try {
    const renderStart = performance.now();
    const warm = warmChecks(root);
    const renders = await renderPlatform(root, scratch, inputs);
    await warm;
    const renderMs = performance.now() - renderStart;
    const all: ChartRender[] = [renders.platform, renders.observability];
    const failed = all.filter((render): render is Extract<ChartRender, { ok: false }> => !render.ok);
    if (failed.length > 0) {
      return {
        environment: inputs.environment,
        helm: inputs.helm,
        checks: ['values'],
        findings: failed.flatMap(renderFindings),
        notChecked: [{ check: 'values', what: 'every other check', why: `${failed.map((render) => render.chart).join(' and ')} did not render` }],
        objects: {},
        timings: { renderMs, checksMs: 0 },
      };
    }
    const ok = all as Array<Extract<ChartRender, { ok: true }>>;
    const objects = ok.flatMap((render) => render.objects);
    const values = Object.assign({}, ...ok.map((render) => render.values)) as Record<string, ValueMap>;
    // istiod, rendered for the scrape coverage, counts as a render.
    const istiodStart = performance.now();
    const coverage = await coverageInputs(
      root,
      inputs.helm,
      renders.platform.ok ? renders.platform.objects : [],
      renders.observability.ok ? renders.observability.objects : [],
      values,
    );
    const istiodMs = performance.now() - istiodStart;
    const checksStart = performance.now();
    const missing = 'reason' in coverage ? coverage : undefined;
    const result = await checkPlatform(root, inputs.environment, objects, values, missing ? undefined : (coverage as CoverageInputs), missing?.reason);
    if (missing?.finding) result.findings.push(missing.finding);
    return {
      environment: inputs.environment,
      helm: inputs.helm,
      checks: result.checks,
      findings: result.findings,
      notChecked: result.notChecked,
      objects: Object.fromEntries(ok.map((render) => [render.chart, render.objects.length])),
      timings: { renderMs: renderMs + istiodMs, checksMs: performance.now() - checksStart },
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
