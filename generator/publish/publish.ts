/**
 * The `publish` command: for each chart, package it reproducibly (./package.ts), optionally signed,
 * refuse to overwrite a published version with different content, push it to the OCI registry
 * (./registry.ts), pull it back and verify it (./verify.ts). Returns one row per chart.
 */
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '../errors.js';
import { chartNames } from '../index.js';
import { repoRoot } from '../paths.mjs';
import { resolveHelm, type HelmMajor } from '../toolchain.js';
import type { HelmRunner } from './helm-cli.js';
import type { SignOptions } from './sign.js';
import { packageChart } from './package.js';
import { login, parseRegistry, privateHelm, push, type RegistryConnection, type RegistryRef } from './registry.js';
import { publishedCopy, verifyPublished } from './verify.js';
import { ensureUpstream } from '../upstream/cache.js';
import { OBSERVABILITY_PINS } from '../../values-schemas/platform/pins.js';
import { UMBRELLA, vendorUmbrellaDependencies } from '../upstream/umbrella.js';

/** Options for {@link publish}. */
export interface PublishOptions extends RegistryConnection {
  /** `oci://HOST[:PORT][/PATH]`: charts land at `HOST[:PORT]/PATH/<chart>:<version>`. */
  readonly registry: string;
  /** Only these charts. @default every generated chart */
  readonly charts?: readonly string[];
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

/** The charts to publish: `charts` (else every generated one) less `exclude`, each checked to exist. */
function chartsToPublish(options: PublishOptions, root: string): string[] {
  const known = chartNames();
  const excluded = (options.exclude ?? []).filter((chart) => !known.includes(chart));
  if (excluded.length > 0) throw new UserError(`--exclude ${excluded.join(', ')}: not a chart; choose from ${known.join(', ')}`);
  const charts = (options.charts?.length ? [...options.charts] : known.filter((chart) => existsSync(path.join(root, 'charts', chart, 'Chart.yaml')))).filter(
    (chart) => !(options.exclude ?? []).includes(chart),
  );
  if (charts.length === 0) throw new UserError('nothing to publish: every chart is excluded');
  const unknown = charts.filter((chart) => !existsSync(path.join(root, 'charts', chart, 'Chart.yaml')));
  if (unknown.length > 0) throw new UserError(`unknown chart ${unknown.join(', ')}: choose from ${known.join(', ')}`);
  return charts;
}

/** Refuses credentials and transport options that cannot work together, before anything runs. */
function checkConnectionOptions(options: PublishOptions): void {
  if (options.username && options.password === undefined) {
    throw new UserError(`--username ${options.username} needs a password: pipe it to --password-stdin or set CHARTKIT_REGISTRY_PASSWORD`);
  }
  if (options.caFile && !existsSync(options.caFile)) throw new UserError(`--ca-file ${options.caFile}: no such file`);
  if (options.caFile && options.plainHttp) throw new UserError('--ca-file and --plain-http exclude each other');
}

/**
 * Publishes charts to an OCI registry and verifies each by pulling it back.
 * @throws UserError on bad options, a failed login (wrong password), an attempt to overwrite a
 *   published version with different content, or any verification failure.
 */
export async function publish(options: PublishOptions): Promise<PublishedChart[]> {
  const root = options.root ?? repoRoot;
  const registry = parseRegistry(options.registry);
  const charts = chartsToPublish(options, root);
  checkConnectionOptions(options);
  const log = options.log ?? (() => {});
  const secrets = [options.password ?? '', options.sign?.passphrase ?? ''].filter(Boolean);

  const work = mkdtempSync(path.join(os.tmpdir(), 'chartkit-publish-'));
  const helm = privateHelm(resolveHelm(options.helm ?? 4), work, secrets);
  try {
    if (options.username) {
      await login(helm, registry, options.username, options.password, { ...options, helm: options.helm ?? 4 });
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

async function publishOne(
  helm: HelmRunner,
  chartDir: string,
  registry: RegistryRef,
  options: PublishOptions,
  work: string,
  log: (line: string) => void,
): Promise<PublishedChart> {
  const chartWork = mkdtempSync(path.join(work, `${path.basename(chartDir)}-`));
  const packaged = await packageChart(helm, chartDir, chartWork, options.sign);
  const { chart, version } = packaged;
  const ref = `${registry.url}/${chart}`;
  log(`${chart} ${version}: packaged sha256:${packaged.sha256}${packaged.provenance ? ' (signed)' : ''}`);

  // Versions are immutable: the same content again is a no-op, different content is refused.
  const existing = await publishedCopy(helm, packaged, ref, path.join(chartWork, 'existing'), options);
  if (options.dryRun) {
    const action: PublishAction = existing ? 'would skip' : 'would push';
    return { chart, version, digest: existing?.digest, packageDigest: `sha256:${packaged.sha256}`, ref, action, verified: false };
  }

  let pushedDigest: string | undefined;
  if (existing) {
    log(`${chart} ${version}: already published with the same content, not pushed again`);
  } else {
    pushedDigest = await push(helm, packaged, registry, options);
    log(`${chart} ${version}: pushed ${pushedDigest}`);
  }

  const keyring = options.sign ? (options.verifyKeyring ?? options.sign.keyring) : undefined;
  const back = await verifyPublished(
    helm,
    { packaged, ref, ...(pushedDigest ? { pushedDigest } : {}), ...(keyring !== undefined ? { keyring } : {}) },
    path.join(chartWork, 'pulled'),
    options,
  );
  log(`${chart} ${version}: pulled back ${back.digest}: package identical${back.verified ? ', provenance verified' : ''}, helm show chart agrees`);
  return {
    chart,
    version,
    digest: back.digest,
    packageDigest: `sha256:${packaged.sha256}`,
    ref,
    action: existing ? 'unchanged' : 'pushed',
    verified: back.verified,
  };
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
  return [header, ...lines]
    .map((line) =>
      line
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
