// Extracts the OCI registry (CNCF distribution 2.8, Debian's docker-registry package) the tests and
// the publish rehearsal run on loopback. Only usr/bin/docker-registry (~21 MB) is taken; the
// package's postinst, which would start a daemon, never runs. htpasswd files for its basic auth are
// written by the test helpers with bcryptjs: Debian's htpasswd needs libapr, absent on a fresh machine.
import { execFileSync } from 'node:child_process';
import { installDebianTool } from './debian.mjs';

/** Runs `docker-registry --version` and returns the version, e.g. `2.8.2+ds1`; throws if it does not run. */
export function registryVersion(bin) {
  const out = execFileSync(bin, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  // `<argv0> github.com/docker/distribution 2.8.2+ds1`
  const match = /distribution\S*\s+(\S+)/.exec(out);
  if (!match) throw new Error(`registry: unexpected \`${bin} --version\` output: ${out.trim()}`);
  return match[1];
}

/** Makes the registry available (REGISTRY_BIN, else .tools/registry/docker-registry); idempotent. */
export function installRegistry() {
  return installDebianTool({ tool: 'registry', pkg: 'docker-registry', member: 'usr/bin/docker-registry', versionOf: registryVersion });
}
