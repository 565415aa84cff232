/**
 * The renders `chartkit verify` judges: the restaurant-platform umbrella and the observability
 * umbrella, from the environment's overlay and the user's values, exactly as `helm template`
 * renders them for `helm install` into a cluster with every API the charts expect. The user's
 * values are in the shape of restaurant-platform's, plus an `observability` block for the upstream
 * umbrella; `global` goes to both (without the image settings, which would redirect the upstream
 * charts' images). Each chart copy carries one extra template that prints the values Helm computed
 * for it, so the checks read the values Helm merged, not an imitation of its merge.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import yaml from 'js-yaml';
import { UserError } from '../errors.js';
import { valuesPathsOf } from '../helm-errors.js';
import { clusterApiVersions, templateArgs } from '../scenarios.js';
import { resolveHelm, type HelmMajor } from '../toolchain.js';
import { assembleUmbrella } from '../upstream/umbrella.js';
import { cachedChart } from '../upstream/cache.js';
import { readTgz } from '../upstream/tar.js';
import { ISTIO_CHART_PINS } from '../../values-schemas/platform/pins.js';
import { isMap, mergeValues, type ValueMap } from '../../values-schemas/common/merge.js';
import type { Environment } from '../../values-schemas/common/global.js';
import type { KubeObject } from '../checks/object.js';

/** The two charts verify renders. */
export const PLATFORM_CHART = 'restaurant-platform';
export const OBSERVABILITY_CHART = 'observability';
/** The key of the user's values that holds the observability umbrella's values. */
export const OBSERVABILITY_KEY = 'observability';
/** Global keys the observability umbrella does not take. */
const IMAGE_GLOBALS = ['image', 'imagePullSecrets'];

/** The user's inputs. */
export interface VerifyInputs {
  readonly environment: Environment;
  /** Values files, in order. */
  readonly files: readonly string[];
  /** `--set` pairs, in order. */
  readonly set: readonly string[];
  readonly helm: HelmMajor;
}

/** A render that failed: Helm's error, with the values paths it names. */
export interface RenderFailure {
  readonly chart: string;
  readonly stderr: string;
  readonly paths: readonly string[];
  /** The chart's values schema, to look up what a path means. */
  readonly schema: unknown;
}

/** One chart's render. */
export type ChartRender =
  | { readonly ok: true; readonly chart: string; readonly objects: KubeObject[]; readonly values: Readonly<Record<string, ValueMap>> }
  | ({ readonly ok: false } & RenderFailure);

/**
 * Kinds that live outside namespaces: Kubernetes' own, and those of the pinned CRDs declared
 * `scope: Cluster` (Sail's control-plane kinds, the Gateway API's GatewayClass).
 */
export const CLUSTER_SCOPED: ReadonlySet<string> = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'StorageClass',
  'PriorityClass',
  'RuntimeClass',
  'IngressClass',
  'CSIDriver',
  'APIService',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'Istio',
  'IstioRevision',
  'IstioRevisionTag',
  'IstioCNI',
  'ZTunnel',
  'GatewayClass',
]);

/** The values an object-free probe template prints, by the chart it is in. */
const PROBE_KIND = 'ChartkitVerifyValues';
const probeTemplate = (chart: string) =>
  [
    '{{- /* Added by chartkit verify to a scratch copy: the values Helm computed for this chart. */}}',
    'apiVersion: chartkit.verify/v1',
    `kind: ${PROBE_KIND}`,
    'metadata:',
    `  name: ${chart}`,
    'values: {{ .Values | toJson | quote }}',
    '',
  ].join('\n');

/** Splits the user's values: the platform's part and the observability umbrella's. */
export function splitUserValues(documents: readonly ValueMap[]): { platform: ValueMap[]; observability: ValueMap[] } {
  const platform: ValueMap[] = [];
  const observability: ValueMap[] = [];
  for (const document of documents) {
    const { [OBSERVABILITY_KEY]: own, ...rest } = document;
    platform.push(rest);
    const global = isMap(rest['global']) ? Object.fromEntries(Object.entries(rest['global']).filter(([key]) => !IMAGE_GLOBALS.includes(key))) : undefined;
    observability.push({ ...(global ? { global } : {}), ...(isMap(own) ? own : {}) });
  }
  return { platform, observability };
}

/** Splits `--set` pairs the same way: `observability.*` to the umbrella, `global.*` to both (image settings to the platform only). */
export function splitSetPairs(pairs: readonly string[]): { platform: string[]; observability: string[] } {
  const platform: string[] = [];
  const observability: string[] = [];
  for (const pair of pairs) {
    if (pair.startsWith(`${OBSERVABILITY_KEY}.`)) observability.push(pair.slice(OBSERVABILITY_KEY.length + 1));
    else {
      platform.push(pair);
      if (pair.startsWith('global.') && !IMAGE_GLOBALS.some((key) => pair.startsWith(`global.${key}`))) observability.push(pair);
    }
  }
  return { platform, observability };
}

function readValuesFile(file: string): ValueMap {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UserError(`-f ${file}: no such file`, 2);
  }
  const parsed = yaml.load(text);
  if (parsed === undefined || parsed === null) return {};
  if (!isMap(parsed)) throw new UserError(`-f ${file}: not a map of values`, 2);
  return parsed;
}

/** Adds the probe template to a chart copy and each of its vendored subcharts that are folders. */
function addProbes(chartDir: string, charts: readonly string[]): void {
  for (const chart of charts) {
    const dir = chart === path.basename(chartDir) ? chartDir : path.join(chartDir, 'charts', chart);
    mkdirSync(path.join(dir, 'templates'), { recursive: true });
    writeFileSync(path.join(dir, 'templates', 'zz-chartkit-verify-values.yaml'), probeTemplate(chart));
  }
}

/** Renders one chart copy; the probes' values come back apart from the objects. */
async function renderChart(options: {
  chart: string;
  dir: string;
  release: string;
  namespace: string;
  files: readonly string[];
  set: readonly string[];
  helm: HelmMajor;
}): Promise<ChartRender> {
  const args = templateArgs({
    release: options.release,
    chart: options.dir,
    namespace: options.namespace,
    values: options.files,
    set: options.set,
    apiVersions: clusterApiVersions(),
  });
  const result = await execa(resolveHelm(options.helm), args, { reject: false });
  if (result.exitCode !== 0) {
    const paths = valuesPathsOf(result.stderr);
    const schema = JSON.parse(readFileSync(path.join(options.dir, 'values.schema.json'), 'utf8')) as unknown;
    return { ok: false, chart: options.chart, stderr: result.stderr.trim(), paths, schema };
  }
  const objects: KubeObject[] = [];
  const values: Record<string, ValueMap> = {};
  for (const document of yaml.loadAll(result.stdout)) {
    if (!isMap(document)) continue;
    if (document['kind'] === PROBE_KIND) values[String((document['metadata'] as ValueMap)['name'])] = JSON.parse(String(document['values'])) as ValueMap;
    else {
      // What `helm install` does with an object that names no namespace: it goes to the release's.
      const metadata = isMap(document['metadata']) ? document['metadata'] : {};
      if (metadata['namespace'] === undefined && !CLUSTER_SCOPED.has(String(document['kind'])))
        document['metadata'] = { ...metadata, namespace: options.namespace };
      objects.push(document as unknown as KubeObject);
    }
  }
  return { ok: true, chart: options.chart, objects, values };
}

/** The namespace a chart is installed into: its `global.namespaces.<key>` after the overlay and the user's files. */
function homeNamespace(defaults: readonly ValueMap[], key: string): string {
  const merged = mergeValues({}, ...defaults) as { global?: { namespaces?: Record<string, string> } };
  return merged.global?.namespaces?.[key] ?? 'default';
}

/** Renders both umbrellas in `scratch` (a folder verify owns); the two renders run at once. */
export async function renderPlatform(root: string, scratch: string, inputs: VerifyInputs): Promise<{ platform: ChartRender; observability: ChartRender }> {
  const documents = inputs.files.map(readValuesFile);
  const { platform, observability } = splitUserValues(documents);
  const sets = splitSetPairs(inputs.set);
  const write = (name: string, values: ValueMap) => {
    const file = path.join(scratch, name);
    writeFileSync(file, JSON.stringify(values));
    return file;
  };
  const platformFiles = platform.map((values, index) => write(`user-${index}-${PLATFORM_CHART}.json`, values));
  const observabilityFiles = observability.map((values, index) => write(`user-${index}-${OBSERVABILITY_CHART}.json`, values));

  const platformDir = path.join(scratch, PLATFORM_CHART);
  cpSync(path.join(root, 'charts', PLATFORM_CHART), platformDir, { recursive: true });
  addProbes(platformDir, [PLATFORM_CHART, 'restaurant-app', 'istio-mesh']);
  const observabilityDir = assembleUmbrella(root, path.join(scratch, 'assembly'));
  addProbes(observabilityDir, [OBSERVABILITY_CHART]);

  const overlay = (dir: string) => path.join(dir, `values-${inputs.environment}.yaml`);
  const load = (dir: string) => [readValuesFile(path.join(dir, 'values.yaml')), readValuesFile(overlay(dir))];
  const [platformRender, observabilityRender] = await Promise.all([
    renderChart({
      chart: PLATFORM_CHART,
      dir: platformDir,
      release: PLATFORM_CHART,
      namespace: homeNamespace([...load(platformDir), ...platform], 'app'),
      files: [overlay(platformDir), ...platformFiles],
      set: sets.platform,
      helm: inputs.helm,
    }),
    renderChart({
      chart: OBSERVABILITY_CHART,
      dir: observabilityDir,
      release: OBSERVABILITY_CHART,
      namespace: homeNamespace([...load(observabilityDir), ...observability], 'observability'),
      files: [overlay(observabilityDir), ...observabilityFiles],
      set: sets.observability,
      helm: inputs.helm,
    }),
  ]);
  return { platform: platformRender, observability: observabilityRender };
}

/**
 * The istiod chart as the Sail Operator renders it for a rendered `Istio` (its revision and
 * namespace), from the pinned package in the cache: the istiod pods and Services the scrape jobs
 * must find, and the injection template the sidecars come from.
 */
export async function renderIstiod(
  root: string,
  helm: HelmMajor,
  revision: string,
  namespace: string,
): Promise<{ objects: KubeObject[]; injectionTemplate: string }> {
  const pin = ISTIO_CHART_PINS.find((candidate) => candidate.name === 'istiod')!;
  const file = cachedChart(root, pin);
  const args = templateArgs({
    release: 'istiod',
    chart: file,
    namespace,
    set: [`revision=${revision}`, `global.istioNamespace=${namespace}`],
    apiVersions: [],
  });
  const result = await execa(resolveHelm(helm), args, { reject: false });
  if (result.exitCode !== 0) throw new Error(`helm template of the pinned istiod chart failed: ${result.stderr}`);
  const template = readTgz(readFileSync(file), file).get('istiod/files/injection-template.yaml');
  if (!template) throw new Error(`${file} has no files/injection-template.yaml`);
  const objects = yaml.loadAll(result.stdout).filter(isMap) as unknown as KubeObject[];
  return { objects, injectionTemplate: new TextDecoder().decode(template) };
}
