// Extracts the OCI registry (CNCF distribution 2.8, Debian's docker-registry package) the tests and
// the publish rehearsal run on loopback. Only usr/bin/docker-registry (~21 MB) is taken; the
// package's postinst, which would start a daemon, never runs.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tools } from './paths.mjs';
import { extractFromDebian } from './debian.mjs';

/** Runs `docker-registry --version` and returns the version, e.g. `2.8.2+ds1`; throws if it does not run. */
export function registryVersion(bin) {
  const out = execFileSync(bin, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  // `<argv0> github.com/docker/distribution 2.8.2+ds1`
  const match = /distribution\S*\s+(\S+)/.exec(out);
  if (!match) throw new Error(`registry: unexpected \`${bin} --version\` output: ${out.trim()}`);
  return match[1];
}

function working(bin) {
  try {
    return existsSync(bin) ? registryVersion(bin) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Makes the registry binary available. Idempotent: a binary named by REGISTRY_BIN, or one already in
 * .tools/registry/ that runs, is kept (`action: 'present'`); otherwise it is extracted.
 *
 * htpasswd files for its basic auth are written by the test helpers with bcryptjs (pure JS):
 * Debian's htpasswd needs libapr shared libraries that are not on a fresh machine.
 *
 * @returns {Promise<{tool: 'registry', path: string, version: string, action: 'present'|'extracted'}>}
 */
export async function installRegistry() {
  const { bin, env } = tools.registry;
  for (const candidate of [process.env[env], bin].filter(Boolean)) {
    const version = working(candidate);
    if (version) return { tool: 'registry', path: candidate, version, action: 'present' };
  }
  await extractFromDebian({
    tool: 'registry',
    envVar: env,
    pkg: 'docker-registry',
    files: { 'usr/bin/docker-registry': bin },
  });
  return { tool: 'registry', path: bin, version: registryVersion(bin), action: 'extracted' };
}
