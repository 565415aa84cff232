/**
 * Reproducible packaging: `helm package` picks the files (`.helmignore`, subcharts, dependencies),
 * then the archive is rewritten canonically (../archive.ts), so the same chart gives the same bytes
 * and the same manifest digest on any machine; optionally signed (./sign.ts).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { UserError } from '../errors.js';
import { canonicalChartArchive, canonicalMtime, readTgz } from '../archive.js';
import { lastError, type HelmRunner } from './helm-cli.js';
import { signArchive, type SignOptions } from './sign.js';

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

/** The SHA-256 of some bytes, as lowercase hex (how packages are compared with the registry's). */
export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/**
 * Packages a chart folder reproducibly: `helm package` picks the files, {@link canonicalChartArchive}
 * fixes the bytes; optionally signs it. The result lives in `outDir`.
 * @throws UserError when `helm package` fails (naming the network when the chart fetches dependencies)
 */
export async function packageChart(helm: HelmRunner, chartDir: string, outDir: string, sign?: SignOptions): Promise<PackagedChart> {
  const scratch = mkdtempSync(path.join(outDir, 'helm-package-'));
  try {
    // Dependencies from chart repositories (not vendored, not file://) are fetched at packaging
    // time; that needs the network, so only charts that have them do it.
    // Dependencies already in charts/ (vendored, or put there from the upstream cache) need nothing.
    const chartYaml = yaml.load(readFileSync(path.join(chartDir, 'Chart.yaml'), 'utf8')) as {
      dependencies?: Array<{ name: string; version: string; repository?: string }>;
    };
    const present = (dependency: { name: string; version: string }) =>
      existsSync(path.join(chartDir, 'charts', `${dependency.name}-${dependency.version}.tgz`)) ||
      existsSync(path.join(chartDir, 'charts', dependency.name, 'Chart.yaml'));
    const remote = (chartYaml.dependencies ?? []).some(
      (dependency) => dependency.repository && !dependency.repository.startsWith('file://') && !present(dependency),
    );
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
    const digest = sha256Hex(bytes);
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
