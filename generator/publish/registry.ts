/**
 * An OCI registry as helm talks to it: the `--registry` reference, a helm with a private
 * configuration (so a login never touches the user's and dies with the run), login, push, pull and
 * `helm show chart`. Every call goes through a {@link HelmRunner}, so no secret reaches a message.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { UserError } from '../errors.js';
import type { HelmMajor } from '../toolchain.js';
import { HelmRunner, lastError, parseDigest } from './helm-cli.js';
import { sha256Hex, type PackagedChart } from './package.js';

/** An `oci://` registry reference, parsed. */
export interface RegistryRef {
  /** `HOST[:PORT]`, as `helm registry login` wants it. */
  readonly host: string;
  /** `oci://HOST[:PORT][/PATH]`, without a trailing slash. */
  readonly url: string;
}

/** How to reach the registry: what every registry-facing helm command is told. */
export interface RegistryConnection {
  /** Talk plain HTTP to the registry. @default false */
  readonly plainHttp?: boolean;
  /** CA bundle that signed the registry's TLS certificate. */
  readonly caFile?: string;
}

/** Parses `--registry`; throws a {@link UserError} saying the expected form. */
export function parseRegistry(value: string): RegistryRef {
  const match = /^oci:\/\/([^/\s]+?)(\/[^\s]*?)?\/?$/.exec(value);
  if (!match || !/^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-fA-F:]+\](:\d{1,5})?$/.test(match[1]!)) {
    throw new UserError(`--registry ${value}: expected oci://HOST[:PORT][/PATH]`);
  }
  if (match[2] && !/^(\/[a-z0-9]+([._-][a-z0-9]+)*)+$/.test(match[2])) {
    throw new UserError(`--registry ${value}: the path must be lowercase OCI repository segments (a-z, 0-9, . _ -)`);
  }
  return { host: match[1]!, url: `oci://${match[1]!}${match[2] ?? ''}` };
}

/** Flags every registry-facing helm command gets. */
function connectionFlags(connection: RegistryConnection): string[] {
  return [...(connection.plainHttp ? ['--plain-http'] : []), ...(connection.caFile ? ['--ca-file', connection.caFile] : [])];
}

/**
 * A helm whose registry credentials, cache, configuration and data all live in `home`: the login's
 * credentials and pulled content live and die with the run, and the user's own Helm setup is never read or changed.
 */
export function privateHelm(bin: string, home: string, secrets: readonly string[]): HelmRunner {
  return new HelmRunner({
    bin,
    secrets,
    env: {
      HELM_REGISTRY_CONFIG: path.join(home, 'registry.json'),
      HELM_CACHE_HOME: path.join(home, 'cache'),
      HELM_CONFIG_HOME: path.join(home, 'config'),
      HELM_DATA_HOME: path.join(home, 'data'),
    },
  });
}

/**
 * `helm registry login` with the password on standard input.
 * @throws UserError naming the registry and user when the login fails (a wrong password, mostly)
 */
export async function login(
  helm: HelmRunner,
  registry: RegistryRef,
  username: string,
  password: string | undefined,
  connection: RegistryConnection & { readonly helm: HelmMajor },
): Promise<void> {
  // Helm 3's login has no --plain-http; its --insecure lets it fall back to HTTP.
  const transport = connection.plainHttp
    ? connection.helm === 3
      ? ['--insecure']
      : ['--plain-http']
    : connection.caFile
      ? ['--ca-file', connection.caFile]
      : [];
  const result = await helm.run(['registry', 'login', registry.host, '--username', username, '--password-stdin', ...transport], password);
  if (!result.ok) {
    throw new UserError(
      `login to ${registry.host} as ${username} failed (${lastError(result)}): check the user name and the password ` +
        `given on --password-stdin or in CHARTKIT_REGISTRY_PASSWORD`,
    );
  }
}

/** `helm push` of a package; returns the manifest digest the registry answered with. */
export async function push(helm: HelmRunner, packaged: PackagedChart, registry: RegistryRef, connection: RegistryConnection): Promise<string> {
  const pushed = await helm.check(`helm push ${packaged.chart} ${packaged.version} to ${registry.url}`, [
    'push',
    packaged.file,
    registry.url,
    ...connectionFlags(connection),
  ]);
  const digest = parseDigest(pushed);
  if (!digest) throw new Error(`helm push ${packaged.chart} printed no digest`);
  return digest;
}

/** What the registry holds under a chart's version, pulled into a folder. */
export interface Pulled {
  /** The manifest digest. */
  readonly digest: string;
  /** The pulled `.tgz`. */
  readonly file: string;
  /** Its SHA-256, hex. */
  readonly sha256: string;
  /** The `.prov` beside it, when one was asked for and the registry has it. */
  readonly provenance?: string;
}

const NOT_FOUND = /: not found\s*$|manifest unknown|name unknown/im;

/**
 * `helm pull` of `ref:version` into `dir` (with its provenance when `prov`); `undefined` when the
 * registry does not have that version.
 */
export async function pull(
  helm: HelmRunner,
  ref: string,
  version: string,
  dir: string,
  connection: RegistryConnection,
  prov: boolean,
): Promise<Pulled | undefined> {
  mkdirSync(dir, { recursive: true });
  const result = await helm.run(['pull', ref, '--version', version, '--destination', dir, ...(prov ? ['--prov'] : []), ...connectionFlags(connection)]);
  if (!result.ok) {
    if (NOT_FOUND.test(`${result.stderr}\n${result.stdout}`)) return undefined;
    throw new UserError(`helm pull ${ref}:${version} failed: ${lastError(result)}`);
  }
  const digest = parseDigest(result);
  if (!digest) throw new Error(`helm pull ${ref}:${version} printed no digest`);
  const name = readdirSync(dir).find((entry) => entry.endsWith('.tgz'));
  if (!name) throw new Error(`helm pull ${ref}:${version} wrote no .tgz`);
  const file = path.join(dir, name);
  const provenance = `${file}.prov`;
  return { digest, file, sha256: sha256Hex(readFileSync(file)), ...(existsSync(provenance) ? { provenance } : {}) };
}

/** The chart metadata `helm show chart` reports for `ref:version`, straight from the registry. */
export async function showChart(
  helm: HelmRunner,
  ref: string,
  version: string,
  connection: RegistryConnection,
): Promise<{ name?: string; version?: string } | undefined> {
  const shown = await helm.check(`helm show chart ${ref}:${version}`, ['show', 'chart', ref, '--version', version, ...connectionFlags(connection)]);
  return yaml.load(shown.stdout) as { name?: string; version?: string } | undefined;
}
