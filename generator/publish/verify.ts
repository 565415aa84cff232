/**
 * What the registry serves, checked against what was packaged: a published version keeps its
 * content (the same package again is a no-op, a different one is refused), and after a push the
 * version pulled back into an empty folder is the one pushed (manifest digest, package bytes,
 * provenance accepted by `helm verify`, `helm show chart` naming the chart and version).
 */
import { UserError } from '../errors.js';
import type { HelmRunner } from './helm-cli.js';
import type { PackagedChart } from './package.js';
import { pull, showChart, type Pulled, type RegistryConnection } from './registry.js';

/**
 * The version already in the registry, if any; refuses it when its content differs from the local
 * package (versions are immutable).
 * @throws UserError naming the version to bump and where
 */
export async function publishedCopy(
  helm: HelmRunner,
  packaged: PackagedChart,
  ref: string,
  dir: string,
  connection: RegistryConnection,
): Promise<Pulled | undefined> {
  const existing = await pull(helm, ref, packaged.version, dir, connection, false);
  if (existing && existing.sha256 !== packaged.sha256) {
    throw new UserError(immutableVersionMessage(packaged.chart, packaged.version, ref, existing.sha256, packaged.sha256));
  }
  return existing;
}

/** The message for an attempt to overwrite a published version. */
function immutableVersionMessage(chart: string, version: string, ref: string, remote: string, local: string): string {
  return (
    `${chart} ${version} is already published at ${ref} with different content ` +
    `(registry sha256:${remote.slice(0, 12)}…, local sha256:${local.slice(0, 12)}…). Versions are immutable: ` +
    `raise the version of ${chart} with \`npm run bump -- ${chart} patch\` (or minor/major; it edits ` +
    `generator/charts/releases.json and regenerates charts/${chart}) and publish again.`
  );
}

/** What {@link verifyPublished} checks against. */
export interface PublishedExpectation {
  readonly packaged: PackagedChart;
  /** `oci://HOST/PATH/<chart>`. */
  readonly ref: string;
  /** The digest `helm push` reported; absent when the version was already there. */
  readonly pushedDigest?: string;
  /** The public keyring to verify the provenance with; absent when the package is unsigned. */
  readonly keyring?: string;
}

/**
 * Pulls the published version back into `dir` and verifies what a user would get.
 * @returns the registry's manifest digest, and whether a provenance was verified
 * @throws UserError on any difference from the expectation
 */
export async function verifyPublished(
  helm: HelmRunner,
  expected: PublishedExpectation,
  dir: string,
  connection: RegistryConnection,
): Promise<{ digest: string; verified: boolean }> {
  const { packaged, ref, pushedDigest, keyring } = expected;
  const { chart, version } = packaged;
  const back = await pull(helm, ref, version, dir, connection, keyring !== undefined);
  if (!back) throw new UserError(`${ref}:${version} is not in the registry after the push`);
  if (pushedDigest && back.digest !== pushedDigest) {
    throw new UserError(`${ref}:${version}: pulled digest ${back.digest} differs from pushed ${pushedDigest}`);
  }
  if (back.sha256 !== packaged.sha256) {
    throw new UserError(`${ref}:${version}: pulled package sha256:${back.sha256} differs from the local sha256:${packaged.sha256}`);
  }
  let verified = false;
  if (keyring !== undefined) {
    if (!back.provenance) throw new UserError(`${ref}:${version}: no provenance came back from the registry (was the version first pushed unsigned?)`);
    await helm.check(`helm verify ${chart} ${version} with ${keyring}`, ['verify', back.file, '--keyring', keyring]);
    verified = true;
  }
  const metadata = await showChart(helm, ref, version, connection);
  if (metadata?.name !== chart || String(metadata?.version) !== version) {
    throw new UserError(`${ref}:${version}: helm show chart reports ${metadata?.name} ${metadata?.version}`);
  }
  return { digest: back.digest, verified };
}
