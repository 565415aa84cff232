// The one render harness: runs the real `helm template` (Helm 3 or 4) through execa with argument
// arrays, once per distinct input per test run, concurrently up to the core count, and turns the
// output into validated, typed Kubernetes objects. Every other helm command a test needs (lint,
// install --dry-run, dependency build, pull, verify) runs here too, memoised the same way.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import yaml from 'js-yaml';
import { repoRoot } from '../../generator/paths.mjs';
import { resolveHelm, type HelmMajor } from './tools.js';
import { memoOnDisk, appendRunLog, hashKey, runCacheDir } from './cache.js';
import { toModels, type KubeObject } from './models.js';
import { KUBERNETES_YAML, type FloatNotation } from './kubernetes-yaml.js';

/** Options for {@link helmTemplate} and {@link render}. */
export interface RenderOptions {
  /**
   * Chart folder below `charts/`, an absolute path to a chart, or an `oci://` reference to a
   * published chart (then `version` names it, and values files must be absolute paths).
   */
  readonly chart: string;
  /** `--version` of an `oci://` chart. */
  readonly version?: string;
  /** `--plain-http`: the registry of an `oci://` chart speaks plain HTTP. */
  readonly plainHttp?: boolean;
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
      else
        hash
          .update(child)
          .update('\0')
          .update(readFileSync(path.join(root, child)))
          .update('\0');
    }
  };
  walk('');
  return hash.digest('hex');
}

function fileDigest(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** Whether a chart option names a published chart (`oci://…`) rather than a folder. */
export function isRemoteChart(chart: string): boolean {
  return chart.startsWith('oci://');
}

/** The chart argument of a helm command: the folder, or the `oci://` reference as given. */
function chartRef(chart: string): string {
  return isRemoteChart(chart) ? chart : chartDir(chart);
}

/** A values file option as helm gets it: absolute, relative ones taken from the chart folder. */
function valuesPath(chart: string, file: string): string {
  if (path.isAbsolute(file)) return file;
  if (isRemoteChart(chart)) throw new Error(`values file ${file} of ${chart}: give a published chart's values files as absolute paths`);
  return path.join(chartDir(chart), file);
}

/** The flags every rendering command shares: values, `--set`, `--set-string`, and the version of a published chart. */
function valuesArgs(options: Pick<RenderOptions, 'chart' | 'values' | 'set' | 'setString' | 'version' | 'plainHttp'>): string[] {
  const args: string[] = [];
  for (const file of options.values ?? []) args.push('--values', valuesPath(options.chart, file));
  for (const pair of options.set ?? []) args.push('--set', pair);
  for (const pair of options.setString ?? []) args.push('--set-string', pair);
  if (options.version) args.push('--version', options.version);
  if (options.plainHttp) args.push('--plain-http');
  return args;
}

/** The argument array of a `helm template` invocation. */
export function templateArgs(options: RenderOptions): string[] {
  const args = ['template', options.release ?? 'restaurant', chartRef(options.chart), '--namespace', options.namespace ?? 'restaurant', ...valuesArgs(options)];
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

/** The content a chart option stands for: its folder's digest, or the reference of a published chart (versions are immutable). */
function chartContent(chart: string): string {
  return isRemoteChart(chart) ? chart : chartDigestOf(chartDir(chart));
}

/** One helm command: its arguments, and the content of every file it reads (the memo key). */
interface HelmRun {
  readonly helm: HelmMajor;
  readonly args: readonly string[];
  /** Digests (or other identities) of everything the command reads besides its arguments. */
  readonly inputs: unknown;
  /** Environment of the command, made when it runs. @default a shared Helm cache under .cache/helm */
  readonly env?: () => Readonly<Record<string, string>>;
}

/**
 * Runs one helm command once per distinct input per test run: the key covers the Helm version,
 * the content of what it reads (chart, values files) and the arguments; later calls, from any test
 * file, get the recorded output. Every real invocation is logged for the benchmark.
 */
function runHelmOnce(run: HelmRun): Promise<HelmOutput> {
  const bin = resolveHelm(run.helm);
  const key = { helm: run.helm, bin, inputs: run.inputs, args: run.args.map((arg) => arg.replace(repoRoot, '<repo>')) };
  return memoOnDisk(`helm-${run.args[0]}`, key, () =>
    withSlot(async () => {
      appendRunLog('helm-invocations.log', `${hashKey(key)} ${run.args.join(' ')}`);
      const result = await execa(bin, [...run.args], {
        reject: false,
        env: { ...(run.env?.() ?? { HELM_CACHE_HOME: path.join(repoRoot, '.cache', 'helm') }) },
      });
      if (result.failed && result.exitCode === undefined) throw new Error(`could not run ${bin}: ${result.shortMessage}`);
      return { ok: result.exitCode === 0, stdout: result.stdout, stderr: result.stderr };
    }),
  );
}

/** The memo inputs and environment of a command that reads a chart and values files. */
function chartRun(helm: HelmMajor, options: Pick<RenderOptions, 'chart' | 'values'>, args: readonly string[]): HelmRun {
  const inputs = { chart: chartContent(options.chart), values: (options.values ?? []).map((file) => fileDigest(valuesPath(options.chart, file))) };
  // A pull of its own per command: concurrent pulls into one Helm content cache can trip over each other.
  const env = isRemoteChart(options.chart) ? () => ({ HELM_CACHE_HOME: scratchDir('helm-cache') }) : undefined;
  return { helm, args, inputs, ...(env ? { env } : {}) };
}

/** A new folder in this run's memo folder. */
function scratchDir(prefix: string): string {
  mkdirSync(runCacheDir, { recursive: true });
  return mkdtempSync(path.join(runCacheDir, `${prefix}-`));
}

/** Runs `helm template` once per distinct input per test run. */
export function helmTemplate(options: RenderOptions): Promise<HelmOutput> {
  return runHelmOnce(chartRun(options.helm, options, templateArgs(options)));
}

/** Options for {@link helmLint}. */
export type LintOptions = Pick<RenderOptions, 'chart' | 'helm' | 'values' | 'set'>;

/** Runs `helm lint --strict` once per distinct input per test run. */
export function helmLint(options: LintOptions): Promise<HelmOutput> {
  if (isRemoteChart(options.chart)) throw new Error(`helm lint needs a chart folder, not ${options.chart}`);
  return runHelmOnce(chartRun(options.helm, options, ['lint', '--strict', chartDir(options.chart), ...valuesArgs(options)]));
}

/** Options for {@link helmInstall}: `helm install` has no `--api-versions` or `--kube-version`. */
export type InstallOptions = Omit<RenderOptions, 'apiVersions' | 'kubeVersion'>;

/**
 * Runs `helm install --dry-run=client --output json` once per distinct input per test run: what a
 * user's install renders (NOTES included), without a cluster. Offline on Helm 4 only (Helm 3's
 * client dry-run still asks a cluster for its version).
 */
export function helmInstall(options: InstallOptions): Promise<HelmOutput> {
  const args = [
    'install',
    options.release ?? 'restaurant',
    chartRef(options.chart),
    '--dry-run=client',
    '--namespace',
    options.namespace ?? 'restaurant',
    ...valuesArgs(options),
    '--output',
    'json',
  ];
  return runHelmOnce(chartRun(options.helm, options, args));
}

/** What {@link installRelease} returns: the release as `helm install --output json` prints it. */
export interface DryRunRelease {
  readonly status: string;
  readonly notes: string;
  /** The manifest's documents, parsed as {@link parseManifests} does. */
  readonly documents: KubeObject[];
}

/** Runs {@link helmInstall} and returns the release; throws with Helm's stderr when the install fails. */
export async function installRelease(options: InstallOptions): Promise<DryRunRelease> {
  const output = await helmInstall(options);
  if (!output.ok) throw new Error(`helm ${options.helm} install --dry-run=client ${options.chart} failed:\n${output.stderr}`);
  const release = JSON.parse(output.stdout) as { manifest: string; info: { status: string; notes?: string } };
  return { status: release.info.status, notes: release.info.notes ?? '', documents: parseManifests(release.manifest) };
}

/** The folders a chart's `file://` dependencies point at, as written in its Chart.yaml and resolved. */
function fileDependencies(dir: string): Array<{ repository: string; dir: string }> {
  const chart = yaml.load(readFileSync(path.join(dir, 'Chart.yaml'), 'utf8')) as { dependencies?: Array<{ repository?: string }> };
  return (chart.dependencies ?? [])
    .filter((dependency) => dependency.repository?.startsWith('file://'))
    .map((dependency) => ({ repository: dependency.repository!, dir: path.resolve(dir, dependency.repository!.slice('file://'.length)) }));
}

/** What {@link helmDependencyBuild} returns: Helm's output, and the copy it built. */
export interface DependencyBuild extends HelmOutput {
  /** The copy of the chart whose `charts/` Helm rebuilt (an absolute chart option). */
  readonly chart: string;
}

/**
 * Runs `helm dependency build` once per distinct input per test run, on a copy of the chart in the
 * run folder without its vendored `charts/` and `Chart.lock`, its `file://` dependencies copied
 * beside it where the repositories point; offline, with Helm's cache, config and data folders of
 * its own. Render the returned `chart` to see what the rebuilt chart renders.
 */
export function helmDependencyBuild(options: Pick<RenderOptions, 'chart' | 'helm'>): Promise<DependencyBuild> {
  const dir = chartDir(options.chart);
  const dependencies = fileDependencies(dir);
  const bin = resolveHelm(options.helm);
  const key = {
    helm: options.helm,
    bin,
    chart: chartDigestOf(dir),
    dependencies: dependencies.map((dependency) => [dependency.repository, chartDigestOf(dependency.dir)]),
  };
  const root = path.join(runCacheDir, `dependency-build-${hashKey(key)}`);
  const copy = path.join(root, path.basename(dir));
  return memoOnDisk('helm-dependency-build', key, () =>
    withSlot(async () => {
      rmSync(root, { recursive: true, force: true });
      cpSync(dir, copy, { recursive: true });
      rmSync(path.join(copy, 'charts'), { recursive: true, force: true });
      rmSync(path.join(copy, 'Chart.lock'), { force: true });
      for (const dependency of dependencies) {
        const target = path.resolve(copy, dependency.repository.slice('file://'.length));
        if (!target.startsWith(`${root}${path.sep}`)) throw new Error(`${dependency.repository} of ${dir} points outside the chart's parent folder`);
        if (!existsSync(target)) cpSync(dependency.dir, target, { recursive: true });
      }
      const args = ['dependency', 'build', copy];
      appendRunLog('helm-invocations.log', `${hashKey(key)} ${args.join(' ')}`);
      const env = {
        HELM_CACHE_HOME: path.join(root, '.helm', 'cache'),
        HELM_CONFIG_HOME: path.join(root, '.helm', 'config'),
        HELM_DATA_HOME: path.join(root, '.helm', 'data'),
      };
      const result = await execa(bin, args, { reject: false, env });
      if (result.failed && result.exitCode === undefined) throw new Error(`could not run ${bin}: ${result.shortMessage}`);
      return { ok: result.exitCode === 0, stdout: result.stdout, stderr: result.stderr, chart: copy };
    }),
  );
}

/** Options for {@link helmPull}. */
export interface PullOptions {
  readonly helm: HelmMajor;
  /** The `oci://` reference of the chart. */
  readonly chart: string;
  readonly version: string;
  readonly plainHttp?: boolean;
  /** `--prov`: pull the provenance file too. */
  readonly prov?: boolean;
}

/** What {@link helmPull} returns: Helm's output, and the folder the package was pulled into. */
export interface Pull extends HelmOutput {
  readonly dir: string;
}

/**
 * Runs `helm pull` once per distinct input per test run (published versions are immutable), into a
 * folder of the run's own, with a Helm cache of its own.
 */
export function helmPull(options: PullOptions): Promise<Pull> {
  if (!isRemoteChart(options.chart)) throw new Error(`helm pull takes an oci:// reference, not ${options.chart}`);
  const bin = resolveHelm(options.helm);
  const flags = ['--version', options.version, ...(options.prov ? ['--prov'] : []), ...(options.plainHttp ? ['--plain-http'] : [])];
  const key = { helm: options.helm, bin, chart: options.chart, flags };
  const dir = path.join(runCacheDir, `helm-pull-${hashKey(key)}`);
  return memoOnDisk('helm-pull', key, () =>
    withSlot(async () => {
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      const args = ['pull', options.chart, ...flags, '--destination', dir];
      appendRunLog('helm-invocations.log', `${hashKey(key)} ${args.join(' ')}`);
      const result = await execa(bin, args, { reject: false, env: { HELM_CACHE_HOME: scratchDir('helm-cache') } });
      if (result.failed && result.exitCode === undefined) throw new Error(`could not run ${bin}: ${result.shortMessage}`);
      return { ok: result.exitCode === 0, stdout: result.stdout, stderr: result.stderr, dir };
    }),
  );
}

/** Runs `helm verify` of a package against a keyring once per distinct package, provenance and keyring per test run. */
export function helmVerify(options: { readonly helm: HelmMajor; readonly file: string; readonly keyring: string }): Promise<HelmOutput> {
  const provenance = `${options.file}.prov`;
  const inputs = { file: fileDigest(options.file), provenance: existsSync(provenance) ? fileDigest(provenance) : null, keyring: fileDigest(options.keyring) };
  return runHelmOnce({ helm: options.helm, args: ['verify', options.file, '--keyring', options.keyring], inputs });
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

/** The values paths named in a Helm error (generator/helm-errors.ts, which `chartkit verify` also reads them with). */
export { errorPaths } from '../../generator/helm-errors.js';
