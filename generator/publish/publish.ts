/**
 * The `publish` command: for each chart, package it reproducibly, optionally sign it, refuse to
 * overwrite a published version with different content, push it to an OCI registry, pull it back
 * and verify it (digest equality, provenance, `helm show chart`). Returns one row per chart.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { UserError } from '../errors.js';
import { chartNames } from '../index.js';
import { repoRoot } from '../../scripts/tools/paths.mjs';
import { resolveHelm, type HelmMajor } from '../toolchain.js';
import { canonicalChartArchive, canonicalMtime, readTgz } from './archive.js';
import { HelmRunner, lastError, parseDigest, redact } from './helm-cli.js';
import { signArchive, type SignOptions } from './sign.js';
import { ensureUpstream } from '../upstream/cache.js';
import { OBSERVABILITY_PINS } from '../upstream/pins.js';
import { UMBRELLA, vendorUmbrellaDependencies } from '../upstream/umbrella.js';

/** Options for {@link publish}. */
export interface PublishOptions {
  /** `oci://HOST[:PORT][/PATH]`: charts land at `HOST[:PORT]/PATH/<chart>:<version>`. */
  readonly registry: string;
  /** Only these charts. @default every generated chart */
  readonly charts?: readonly string[];
  /** Talk plain HTTP to the registry. @default false */
  readonly plainHttp?: boolean;
  /** CA bundle that signed the registry's TLS certificate. */
  readonly caFile?: string;
  /** Registry user; a password is then required. */
  readonly username?: string;
  /** Registry password (from `--password-stdin` or the environment; never from argv). */
  readonly password?: string;
  /** Sign each package with this key (legacy keyring). */
  readonly sign?: SignOptions;
  /** Public keyring `helm verify` checks the pulled provenance with. @default `sign.keyring` */
  readonly verifyKeyring?: string;
  /** Helm major version that packages, pushes and pulls. @default 4 */
  readonly helm?: HelmMajor;
  /** Charts to leave out (after `charts`). @default none */
  readonly exclude?: readonly string[];
  /** Package, sign and compare with the registry, but push nothing. @default false */
  readonly dryRun?: boolean;
  /** Repository root holding `charts/`. @default this repository */
  readonly root?: string;
  /** Progress lines (already free of secrets). @default silent */
  readonly log?: (line: string) => void;
}

/** What happened to one chart. */
export type PublishAction = 'pushed' | 'unchanged' | 'would push' | 'would skip';

/** One row of the publish table. */
export interface PublishedChart {
  readonly chart: string;
  readonly version: string;
  /**
   * Manifest digest in the registry (`sha256:…`); undefined for a dry run of a version the registry
   * does not have yet (no manifest exists, and a package digest is not one).
   */
  readonly digest: string | undefined;
  /** SHA-256 of the canonical package. */
  readonly packageDigest: string;
  /** The full reference: `oci://HOST/PATH/<chart>`. */
  readonly ref: string;
  readonly action: PublishAction;
  /** Whether the pushed package carries a provenance file that `helm verify` accepted. */
  readonly verified: boolean;
}

/** A chart packaged reproducibly, in a temp folder. */
export interface PackagedChart {
  readonly chart: string;
  readonly version: string;
  /** Chart metadata as Helm wrote it into the package. */
  readonly metadata: Record<string, unknown>;
  /** The canonical `.tgz`. */
  readonly file: string;
  readonly sha256: string;
  /** The `.prov` beside it, when signed. */
  readonly provenance?: string;
}

/** An `oci://` registry reference, parsed. */
export interface RegistryRef {
  /** `HOST[:PORT]`, as `helm registry login` wants it. */
  readonly host: string;
  /** `oci://HOST[:PORT][/PATH]`, without a trailing slash. */
  readonly url: string;
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

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Flags every registry-facing helm command gets. */
function connectionFlags(options: Pick<PublishOptions, 'plainHttp' | 'caFile'>): string[] {
  return [...(options.plainHttp ? ['--plain-http'] : []), ...(options.caFile ? ['--ca-file', options.caFile] : [])];
}

/**
 * Packages a chart folder reproducibly: `helm package` picks the files, {@link canonicalChartArchive}
 * fixes the bytes; optionally signs it. The result lives in `outDir`.
 */
export async function packageChart(helm: HelmRunner, chartDir: string, outDir: string, sign?: SignOptions): Promise<PackagedChart> {
  const scratch = mkdtempSync(path.join(outDir, 'helm-package-'));
  try {
    // Dependencies from chart repositories (not vendored, not file://) are fetched at packaging
    // time; that needs the network, so only charts that have them do it.
    // Dependencies already in charts/ (vendored, or put there from the upstream cache) need nothing.
    const chartYaml = yaml.load(readFileSync(path.join(chartDir, 'Chart.yaml'), 'utf8')) as { dependencies?: Array<{ name: string; version: string; repository?: string }> };
    const present = (dependency: { name: string; version: string }) =>
      existsSync(path.join(chartDir, 'charts', `${dependency.name}-${dependency.version}.tgz`)) || existsSync(path.join(chartDir, 'charts', dependency.name, 'Chart.yaml'));
    const remote = (chartYaml.dependencies ?? []).some((dependency) => dependency.repository && !dependency.repository.startsWith('file://') && !present(dependency));
    const packaged = await helm.run(['package', chartDir, '--destination', scratch, ...(remote ? ['--dependency-update'] : [])]);
    if (!packaged.ok) {
      const name = path.basename(chartDir);
      const hint = remote
        ? `; ${name} fetches its dependencies from their chart repositories, which needs the network: run where they are reachable, or leave it out with --chart`
        : '';
      throw new UserError(`helm package ${name} failed: ${lastError(packaged)}${hint}`);
    }
    const produced = readdirSync(scratch).find((name) => name.endsWith('.tgz'));
    if (!produced) throw new Error(`helm package ${chartDir} wrote no .tgz`);
    const bytes = canonicalChartArchive(readFileSync(path.join(scratch, produced)));
    const packagedChartYaml = readTgz(bytes).find((file) => /^[^/]+\/Chart\.yaml$/.test(file.path));
    if (!packagedChartYaml) throw new Error(`${produced} holds no Chart.yaml`);
    const metadata = yaml.load(new TextDecoder().decode(packagedChartYaml.content)) as Record<string, unknown>;
    const chart = String(metadata.name);
    const version = String(metadata.version);
    const file = path.join(outDir, `${chart}-${version}.tgz`);
    writeFileSync(file, bytes);
    // helm push stamps the package file's modification time into the manifest
    // (org.opencontainers.image.created): pin it too, or the manifest digest is the clock's.
    utimesSync(file, canonicalMtime(), canonicalMtime());
    const digest = sha256(bytes);
    let provenance: string | undefined;
    if (sign) {
      provenance = `${file}.prov`;
      writeFileSync(provenance, await signArchive(metadata, path.basename(file), digest, sign));
    }
    return { chart, version, metadata, file, sha256: digest, ...(provenance ? { provenance } : {}) };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** What the registry holds under a chart's version, pulled into `dir`. */
interface Pulled {
  readonly digest: string;
  readonly file: string;
  readonly sha256: string;
  readonly provenance?: string;
}

const NOT_FOUND = /: not found\s*$|manifest unknown|name unknown/im;

async function pull(helm: HelmRunner, ref: string, version: string, dir: string, options: PublishOptions, prov: boolean): Promise<Pulled | undefined> {
  mkdirSync(dir, { recursive: true });
  const result = await helm.run(['pull', ref, '--version', version, '--destination', dir, ...(prov ? ['--prov'] : []), ...connectionFlags(options)]);
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
  return { digest, file, sha256: sha256(readFileSync(file)), ...(existsSync(provenance) ? { provenance } : {}) };
}

/** The message for an attempt to overwrite a published version. */
export function immutableVersionMessage(chart: string, version: string, ref: string, remote: string, local: string): string {
  return (
    `${chart} ${version} is already published at ${ref} with different content ` +
    `(registry sha256:${remote.slice(0, 12)}…, local sha256:${local.slice(0, 12)}…). Versions are immutable: ` +
    `raise the version of ${chart} with \`npm run bump -- ${chart} patch\` (or minor/major; it edits ` +
    `generator/charts/releases.json and regenerates charts/${chart}) and publish again.`
  );
}

/**
 * Publishes charts to an OCI registry and verifies each by pulling it back.
 * @throws UserError on bad options, a failed login (wrong password), an attempt to overwrite a
 *   published version with different content, or any verification failure.
 */
export async function publish(options: PublishOptions): Promise<PublishedChart[]> {
  const root = options.root ?? repoRoot;
  const registry = parseRegistry(options.registry);
  const known = chartNames();
  const excluded = (options.exclude ?? []).filter((chart) => !known.includes(chart));
  if (excluded.length > 0) throw new UserError(`--exclude ${excluded.join(', ')}: not a chart; choose from ${known.join(', ')}`);
  const charts = (options.charts?.length ? [...options.charts] : known.filter((chart) => existsSync(path.join(root, 'charts', chart, 'Chart.yaml')))).filter(
    (chart) => !(options.exclude ?? []).includes(chart),
  );
  if (charts.length === 0) throw new UserError('nothing to publish: every chart is excluded');
  const unknown = charts.filter((chart) => !existsSync(path.join(root, 'charts', chart, 'Chart.yaml')));
  if (unknown.length > 0) throw new UserError(`unknown chart ${unknown.join(', ')}: choose from ${known.join(', ')}`);
  if (options.username && options.password === undefined) {
    throw new UserError(`--username ${options.username} needs a password: pipe it to --password-stdin or set CHARTKIT_REGISTRY_PASSWORD`);
  }
  if (options.caFile && !existsSync(options.caFile)) throw new UserError(`--ca-file ${options.caFile}: no such file`);
  if (options.caFile && options.plainHttp) throw new UserError('--ca-file and --plain-http exclude each other');
  const log = options.log ?? (() => {});
  const secrets = [options.password ?? '', options.sign?.passphrase ?? ''].filter(Boolean);

  // A private Helm home: the login's credentials and pulled content live and die with this run.
  const work = mkdtempSync(path.join(os.tmpdir(), 'chartkit-publish-'));
  const helm = new HelmRunner({
    bin: resolveHelm(options.helm ?? 4),
    secrets,
    env: {
      HELM_REGISTRY_CONFIG: path.join(work, 'registry.json'),
      HELM_CACHE_HOME: path.join(work, 'cache'),
      HELM_CONFIG_HOME: path.join(work, 'config'),
      HELM_DATA_HOME: path.join(work, 'data'),
    },
  });
  try {
    if (options.username) {
      // Helm 3's login has no --plain-http; its --insecure lets it fall back to HTTP.
      const major = options.helm ?? 4;
      const transport = options.plainHttp ? (major === 3 ? ['--insecure'] : ['--plain-http']) : options.caFile ? ['--ca-file', options.caFile] : [];
      const login = await helm.run(['registry', 'login', registry.host, '--username', options.username, '--password-stdin', ...transport], options.password);
      if (!login.ok) {
        throw new UserError(
          `login to ${registry.host} as ${options.username} failed (${lastError(login)}): check the user name and the password ` +
            `given on --password-stdin or in CHARTKIT_REGISTRY_PASSWORD`,
        );
      }
      log(`logged in to ${registry.host} as ${options.username}`);
    }
    // Package from a copy of charts/: fetching dependencies writes into the chart folder, and the
    // repository's charts/ must stay exactly what the generator wrote. Siblings come along for
    // file:// dependencies.
    const source = path.join(work, 'charts');
    cpSync(path.join(root, 'charts'), source, { recursive: true });
    // The umbrella's upstream dependencies come from the verified cache (filled from the mirror in
    // CHARTKIT_UPSTREAM_DIR or the network), so publishing needs no chart repository.
    if (charts.includes(UMBRELLA)) {
      await ensureUpstream({ root, pins: OBSERVABILITY_PINS });
      vendorUmbrellaDependencies(root, path.join(source, UMBRELLA));
      log(`${UMBRELLA}: dependencies from the upstream cache (${OBSERVABILITY_PINS.map((pin) => `${pin.name} ${pin.version}`).join(', ')})`);
    }
    const rows: PublishedChart[] = [];
    for (const chart of charts) {
      rows.push(await publishOne(helm, path.join(source, chart), registry, options, work, log));
    }
    return rows;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function publishOne(helm: HelmRunner, chartDir: string, registry: RegistryRef, options: PublishOptions, work: string, log: (line: string) => void): Promise<PublishedChart> {
  const chartWork = mkdtempSync(path.join(work, `${path.basename(chartDir)}-`));
  const packaged = await packageChart(helm, chartDir, chartWork, options.sign);
  const { chart, version } = packaged;
  const ref = `${registry.url}/${chart}`;
  log(`${chart} ${version}: packaged sha256:${packaged.sha256}${packaged.provenance ? ' (signed)' : ''}`);

  // Versions are immutable: the same content again is a no-op, different content is refused.
  const existing = await pull(helm, ref, version, path.join(chartWork, 'existing'), options, false);
  if (existing && existing.sha256 !== packaged.sha256) {
    throw new UserError(immutableVersionMessage(chart, version, ref, existing.sha256, packaged.sha256));
  }
  if (options.dryRun) {
    const action: PublishAction = existing ? 'would skip' : 'would push';
    return { chart, version, digest: existing?.digest, packageDigest: `sha256:${packaged.sha256}`, ref, action, verified: false };
  }

  let pushedDigest: string | undefined;
  if (existing) {
    log(`${chart} ${version}: already published with the same content, not pushed again`);
  } else {
    const pushed = await helm.check(`helm push ${chart} ${version} to ${registry.url}`, ['push', packaged.file, registry.url, ...connectionFlags(options)]);
    pushedDigest = parseDigest(pushed);
    if (!pushedDigest) throw new Error(`helm push ${chart} printed no digest`);
    log(`${chart} ${version}: pushed ${pushedDigest}`);
  }

  // Pull back into a fresh folder and verify what a user would get.
  const back = await pull(helm, ref, version, path.join(chartWork, 'pulled'), options, Boolean(options.sign));
  if (!back) throw new UserError(`${ref}:${version} is not in the registry after the push`);
  if (pushedDigest && back.digest !== pushedDigest) {
    throw new UserError(`${ref}:${version}: pulled digest ${back.digest} differs from pushed ${pushedDigest}`);
  }
  if (back.sha256 !== packaged.sha256) {
    throw new UserError(`${ref}:${version}: pulled package sha256:${back.sha256} differs from the local sha256:${packaged.sha256}`);
  }
  let verified = false;
  if (options.sign) {
    if (!back.provenance) throw new UserError(`${ref}:${version}: no provenance came back from the registry (was the version first pushed unsigned?)`);
    const keyring = options.verifyKeyring ?? options.sign.keyring;
    await helm.check(`helm verify ${chart} ${version} with ${keyring}`, ['verify', back.file, '--keyring', keyring]);
    verified = true;
  }
  const shown = await helm.check(`helm show chart ${ref}:${version}`, ['show', 'chart', ref, '--version', version, ...connectionFlags(options)]);
  const metadata = yaml.load(shown.stdout) as { name?: string; version?: string } | undefined;
  if (metadata?.name !== chart || String(metadata?.version) !== version) {
    throw new UserError(`${ref}:${version}: helm show chart reports ${metadata?.name} ${metadata?.version}`);
  }
  log(`${chart} ${version}: pulled back ${back.digest}: package identical${verified ? ', provenance verified' : ''}, helm show chart agrees`);
  return { chart, version, digest: back.digest, packageDigest: `sha256:${packaged.sha256}`, ref, action: existing ? 'unchanged' : 'pushed', verified };
}

/**
 * The table the CLI prints: chart, version, the registry's manifest digest (`-` where no manifest
 * exists yet, as in a dry run of a new version), the package's digest, action, signature. Each
 * column means the same in a dry run and a real one.
 */
export function formatPublishTable(rows: readonly PublishedChart[]): string {
  const header = ['CHART', 'VERSION', 'DIGEST', 'PACKAGE', 'ACTION', 'SIGNED'];
  const lines = rows.map((row) => [row.chart, row.version, row.digest ?? '-', row.packageDigest, row.action, row.verified ? 'verified' : '-']);
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column]!.length)));
  return [header, ...lines].map((line) => line.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n');
}

export { redact };
