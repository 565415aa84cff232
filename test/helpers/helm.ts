// The one render harness: runs the real `helm template` (Helm 3 or 4) through execa with argument
// arrays, once per distinct input per test run, concurrently up to the core count, and turns the
// output into validated, typed Kubernetes objects.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import yaml from 'js-yaml';
import { repoRoot } from '../../scripts/tools/paths.mjs';
import { resolveHelm, type HelmMajor } from './tools.js';
import { memoOnDisk, appendRunLog, hashKey } from './cache.js';
import { toModels, type KubeObject } from './models.js';
import { KUBERNETES_YAML, type FloatNotation } from './kubernetes-yaml.js';

/** Options for {@link helmTemplate} and {@link render}. */
export interface RenderOptions {
  /** Chart folder below `charts/`, or an absolute path to a chart. */
  readonly chart: string;
  /** Helm major version to render with. */
  readonly helm: HelmMajor;
  /** Values files, relative to the chart folder or absolute, applied in order. */
  readonly values?: readonly string[];
  /** `--set` pairs (`path=value`), applied in order. */
  readonly set?: readonly string[];
  /** `--set-string` pairs. */
  readonly setString?: readonly string[];
  /** `--api-versions` entries: `group/version` and `group/version/Kind` are separate entries. */
  readonly apiVersions?: readonly string[];
  /** `--kube-version`. */
  readonly kubeVersion?: string;
  /** Release namespace. @default "restaurant" */
  readonly namespace?: string;
  /** Release name. @default "restaurant" */
  readonly release?: string;
}

/** What one `helm template` printed. */
export interface HelmOutput {
  readonly ok: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

const chartDigests = new Map<string, string>();

/** Resolves a chart option to its absolute folder. */
export function chartDir(chart: string): string {
  return path.isAbsolute(chart) ? chart : path.join(repoRoot, 'charts', chart);
}

function digestTree(root: string): string {
  const hash = createHash('sha256');
  const walk = (relative: string) => {
    for (const entry of readdirSync(path.join(root, relative)).sort()) {
      const child = path.join(relative, entry);
      if (statSync(path.join(root, child)).isDirectory()) walk(child);
      else hash.update(child).update('\0').update(readFileSync(path.join(root, child))).update('\0');
    }
  };
  walk('');
  return hash.digest('hex');
}

function fileDigest(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** The argument array of a `helm template` invocation. */
export function templateArgs(options: RenderOptions): string[] {
  const dir = chartDir(options.chart);
  const args = ['template', options.release ?? 'restaurant', dir, '--namespace', options.namespace ?? 'restaurant'];
  for (const file of options.values ?? []) args.push('--values', path.isAbsolute(file) ? file : path.join(dir, file));
  for (const pair of options.set ?? []) args.push('--set', pair);
  for (const pair of options.setString ?? []) args.push('--set-string', pair);
  for (const api of options.apiVersions ?? []) args.push('--api-versions', api);
  if (options.kubeVersion) args.push('--kube-version', options.kubeVersion);
  return args;
}

// Bounded concurrency: more renders at once than cores only adds contention.
const slots = Math.max(2, availableParallelism());
let running = 0;
const queue: Array<() => void> = [];
async function withSlot<T>(task: () => Promise<T>): Promise<T> {
  if (running >= slots) await new Promise<void>((resolve) => queue.push(resolve));
  running += 1;
  try {
    return await task();
  } finally {
    running -= 1;
    queue.shift()?.();
  }
}

function chartDigestOf(dir: string): string {
  let digest = chartDigests.get(dir);
  if (!digest) {
    digest = digestTree(dir);
    chartDigests.set(dir, digest);
  }
  return digest;
}

/**
 * Runs one helm command once per distinct input per test run: the key covers the Helm version,
 * the chart's content, the values files' content and the arguments; later calls, from any test
 * file, get the recorded output. Every real invocation is logged for the benchmark.
 */
function runHelmOnce(helm: HelmMajor, chart: string, values: readonly string[], args: readonly string[]): Promise<HelmOutput> {
  const bin = resolveHelm(helm);
  const dir = chartDir(chart);
  const valuesDigests = values.map((file) => fileDigest(path.isAbsolute(file) ? file : path.join(dir, file)));
  const key = { helm, bin, chartDigest: chartDigestOf(dir), valuesDigests, args: args.map((arg) => arg.replace(repoRoot, '<repo>')) };
  return memoOnDisk(`helm-${args[0]}`, key, () =>
    withSlot(async () => {
      appendRunLog('helm-invocations.log', `${hashKey(key)} ${args.join(' ')}`);
      const result = await execa(bin, args, { reject: false, env: { HELM_CACHE_HOME: path.join(repoRoot, '.cache', 'helm') } });
      if (result.failed && result.exitCode === undefined) throw new Error(`could not run ${bin}: ${result.shortMessage}`);
      return { ok: result.exitCode === 0, stdout: result.stdout, stderr: result.stderr };
    }),
  );
}

/** Runs `helm template` once per distinct input per test run. */
export function helmTemplate(options: RenderOptions): Promise<HelmOutput> {
  return runHelmOnce(options.helm, options.chart, options.values ?? [], templateArgs(options));
}

/** Options for {@link helmLint}. */
export type LintOptions = Pick<RenderOptions, 'chart' | 'helm' | 'values' | 'set'>;

/** Runs `helm lint --strict` once per distinct input per test run. */
export function helmLint(options: LintOptions): Promise<HelmOutput> {
  const dir = chartDir(options.chart);
  const args = ['lint', '--strict', dir];
  for (const file of options.values ?? []) args.push('--values', path.isAbsolute(file) ? file : path.join(dir, file));
  for (const pair of options.set ?? []) args.push('--set', pair);
  return runHelmOnce(options.helm, options.chart, options.values ?? [], args);
}

/**
 * Parses multi-document YAML output the way the Kubernetes API machinery reads it (YAML 1.1 plain
 * scalars: an unquoted `yes` is a boolean, `0777` octal, and an integer printed as `1e+06` is kept
 * as a {@link FloatNotation} that no model accepts); empty documents are dropped.
 */
export function parseManifests(stdout: string): KubeObject[] {
  return yaml.loadAll(stdout, null, { schema: KUBERNETES_YAML }).filter((document): document is KubeObject => document !== null && document !== undefined);
}

/**
 * Renders a chart and returns its objects as kubernetes-models instances, each `.validate()`d.
 * Throws with Helm's stderr when the render fails.
 */
export async function render(options: RenderOptions): Promise<KubeObject[]> {
  const output = await helmTemplate(options);
  if (!output.ok) throw new Error(`helm ${options.helm} template ${options.chart} failed:\n${output.stderr}`);
  return toModels(parseManifests(output.stdout));
}

/**
 * Renders a chart that must fail and returns Helm's error text. Throws when the render succeeds.
 */
export async function renderError(options: RenderOptions): Promise<string> {
  const output = await helmTemplate(options);
  if (output.ok) throw new Error(`helm ${options.helm} template ${options.chart} succeeded but was expected to fail (${templateArgs(options).join(' ')})`);
  return output.stderr;
}

/**
 * The values paths named in a Helm error, normalised to dotted form so one assertion fits both
 * versions (Helm 3: `- a.b.c: …`; Helm 4: `- at '/a/b/c': …`; template `fail`s name the path in text).
 */
export function errorPaths(stderr: string): string[] {
  const paths = new Set<string>();
  for (const match of stderr.matchAll(/^- ([^\s:]+): /gm)) paths.add(match[1]!);
  for (const match of stderr.matchAll(/at '([^']*)'/g)) {
    paths.add(match[1]!.replace(/^\//, '').split('/').map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~')).join('.') || '(root)');
  }
  return [...paths];
}
