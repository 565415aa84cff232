/**
 * One published version of a chart, pulled from an OCI registry into a folder so that `chartkit
 * diff` can compare it: the `oci://HOST[:PORT][/PATH]/CHART@VERSION` reference parsed, the package
 * pulled with its provenance, the provenance verified when the package is signed, and the package
 * unpacked. A signed package is never used unverified (no keyring is a refusal, not a skip), and
 * a keyring given for an unsigned package is a refusal too: the user expected a signature.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import yaml from 'js-yaml';
import { UserError } from '../errors.js';
import { resolveHelm, type HelmMajor } from '../toolchain.js';
import { lastError } from './helm-cli.js';
import { login, parseRegistry, privateHelm, pull, type RegistryConnection, type RegistryRef } from './registry.js';

/** The form of a version reference, as messages and usage lines name it. */
export const VERSION_REF_FORM = 'oci://HOST[:PORT][/PATH]/CHART@VERSION';

/** An `oci://HOST[:PORT][/PATH]/CHART@VERSION` reference, parsed. */
export interface VersionRef {
  /** The registry part, `oci://HOST[:PORT][/PATH]`. */
  readonly registry: RegistryRef;
  readonly chart: string;
  readonly version: string;
  /** `oci://HOST[:PORT][/PATH]/CHART`, as `helm pull` takes it (the version goes to `--version`). */
  readonly ref: string;
  /** The reference as given, for messages and reports. */
  readonly text: string;
}

// A chart name is one lowercase OCI repository segment; a version is exact SemVer 2.0, because a
// comparison needs one version and `helm pull --version` would also take a range.
const CHART_NAME = /^[a-z0-9]+([._-][a-z0-9]+)*$/;
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;

/** Whether a `--from` value names a registry version rather than a git ref or a folder. */
export const isVersionRef = (value: string): boolean => value.startsWith('oci://');

/**
 * Parses `oci://HOST[:PORT][/PATH]/CHART@VERSION`.
 * @throws UserError (exit code 2) saying the expected form
 */
export function parseVersionRef(value: string, flag = '--from'): VersionRef {
  const malformed = (why: string) => new UserError(`${flag} ${value}: expected ${VERSION_REF_FORM} (${why})`, 2);
  const at = value.lastIndexOf('@');
  if (at < 0) throw malformed('no @VERSION');
  const [repository, version] = [value.slice(0, at), value.slice(at + 1)];
  if (!SEMVER.test(version)) throw malformed(`"${version}" is not an exact SemVer version such as 1.2.0`);
  const slash = repository.lastIndexOf('/');
  const chart = repository.slice(slash + 1);
  // `oci://` itself holds two slashes: the chart needs one more, after the host.
  if (slash < 'oci://'.length || !CHART_NAME.test(chart)) throw malformed('no chart name after the host, or not a lowercase one');
  let registry: RegistryRef;
  try {
    registry = parseRegistry(repository.slice(0, slash));
  } catch (error) {
    // parseRegistry names its own flag (--registry); say this one's form instead.
    if (error instanceof UserError) throw malformed('a host name or IP, an optional port, and lowercase path segments (a-z, 0-9, . _ -)');
    throw error;
  }
  return { registry, chart, version, ref: `${registry.url}/${chart}`, text: value };
}

/** Options for {@link pullVersion}. */
export interface PullVersionOptions extends RegistryConnection {
  /** The chart the caller compares: the reference must name it. */
  readonly chart: string;
  /** Helm major version that logs in, pulls and verifies. @default 4 */
  readonly helm?: HelmMajor;
  /** Public keyring (legacy format) that `helm verify` checks a provenance with. */
  readonly keyring?: string;
  /** Registry user; `password` must come with it. */
  readonly username?: string;
  readonly password?: string;
}

/** A pulled version, ready to compare. */
export interface PulledVersion {
  /** The unpacked chart: `<dir>/chart/<CHART>`. */
  readonly chartDir: string;
  /** The registry's manifest digest of the version. */
  readonly digest: string;
  /** Whether a provenance was verified (false: the package is unsigned and no keyring was given). */
  readonly verified: boolean;
}

/** Refuses option combinations that cannot work, before helm runs. */
function checkOptions(options: PullVersionOptions): void {
  if (options.caFile && options.plainHttp) throw new UserError('--ca-file and --plain-http exclude each other', 2);
  if (options.caFile && !existsSync(options.caFile)) throw new UserError(`--ca-file ${options.caFile}: no such file`, 2);
  if (options.keyring && !existsSync(options.keyring)) throw new UserError(`--keyring ${options.keyring}: no such file`, 2);
  if (options.username && options.password === undefined) throw new UserError(`registry user ${options.username} has no password`, 2);
  if (!options.username && options.password !== undefined) throw new UserError('a registry password was given but no user', 2);
}

/**
 * Pulls `reference` (see {@link parseVersionRef}) into `dir`, verifies its provenance and unpacks
 * it. Everything it writes, the private Helm home with any login's credentials included, lives in
 * `dir`, which the caller removes.
 *
 * Every failure is a {@link UserError} with exit code 2, whatever the helper that raised it said:
 * for `chartkit diff`, exit 1 means the upgrade breaks something, and a version that could not be
 * pulled or trusted must not read as that.
 * @throws UserError when the reference is malformed or names another chart, the registry does not
 *   have the version, a signed package comes without `keyring`, an unsigned one with it, or the
 *   provenance does not verify
 */
export async function pullVersion(reference: string, dir: string, options: PullVersionOptions): Promise<PulledVersion> {
  try {
    return await pullAndVerify(reference, dir, options);
  } catch (error) {
    if (error instanceof UserError && error.exitCode !== 2) throw new UserError(error.message, 2);
    throw error;
  }
}

async function pullAndVerify(reference: string, dir: string, options: PullVersionOptions): Promise<PulledVersion> {
  const target = parseVersionRef(reference);
  if (target.chart !== options.chart) {
    throw new UserError(`--from ${reference} names the chart ${target.chart}, but the chart compared is ${options.chart}`, 2);
  }
  checkOptions(options);
  const major = options.helm ?? 4;
  const helm = privateHelm(resolveHelm(major), path.join(dir, 'helm'), options.password ? [options.password] : []);
  if (options.username) await login(helm, target.registry, options.username, options.password, { ...options, helm: major });

  // Always ask for the provenance: whether the registry has one decides what must be verified.
  const pulled = await pull(helm, target.ref, target.version, path.join(dir, 'package'), options, true);
  if (!pulled) throw new UserError(`--from ${reference}: the registry has no version ${target.version} of ${target.ref}`, 2);
  if (pulled.provenance && !options.keyring) {
    throw new UserError(
      `--from ${reference} is signed: pass --keyring FILE (the signer's public keyring) so its provenance is verified before it is compared`,
      2,
    );
  }
  if (!pulled.provenance && options.keyring) {
    throw new UserError(
      `--from ${reference} has no provenance in the registry, so --keyring ${options.keyring} cannot verify it: the package is unsigned ` +
        '(leave out --keyring to compare an unsigned version)',
      2,
    );
  }
  if (pulled.provenance && options.keyring) {
    const verified = await helm.run(['verify', pulled.file, '--keyring', options.keyring]);
    if (!verified.ok) {
      throw new UserError(
        `--from ${reference}: the provenance did not verify with --keyring ${options.keyring} (${lastError(verified)}): ` +
          'the package is not what was signed, or not signed by that key; not comparing it',
        2,
      );
    }
  }
  return { chartDir: await unpack(pulled.file, path.join(dir, 'chart'), target), digest: pulled.digest, verified: pulled.provenance !== undefined };
}

/**
 * Unpacks a chart package into `into` with `tar -xzf`; returns the chart's folder after checking
 * that its Chart.yaml names the chart and version that were asked for (a registry tag is only a
 * name: the package decides what is compared).
 */
async function unpack(file: string, into: string, target: VersionRef): Promise<string> {
  mkdirSync(into, { recursive: true });
  // --no-same-owner: the archive's owners mean nothing here, and as root tar would apply them.
  const untar = await execa('tar', ['-xzf', file, '-C', into, '--no-same-owner'], { reject: false, stdin: 'ignore' });
  if (untar.failed && untar.exitCode === undefined) throw new UserError('unpacking the pulled chart needs tar (Debian: apt-get install tar)', 2);
  if (untar.exitCode !== 0) throw new UserError(`--from ${target.text}: the pulled package does not unpack: ${String(untar.stderr).trim()}`, 2);
  const chartYaml = path.join(into, target.chart, 'Chart.yaml');
  if (!existsSync(chartYaml)) throw new UserError(`--from ${target.text}: the pulled package holds no ${target.chart}/Chart.yaml`, 2);
  const metadata = yaml.load(readFileSync(chartYaml, 'utf8')) as { name?: unknown; version?: unknown } | undefined;
  if (metadata?.name !== target.chart || String(metadata?.version) !== target.version) {
    throw new UserError(`--from ${target.text}: the pulled package is ${String(metadata?.name)} ${String(metadata?.version)}`, 2);
  }
  return path.dirname(chartYaml);
}
