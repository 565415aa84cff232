// Extracts amtool (Alertmanager's configuration checker and route tester) from Debian's
// prometheus-alertmanager package: only usr/bin/amtool (~19 MB), not the daemon, its web assets or the
// package's postinst (which would create a user and start a service).
import { execFileSync } from 'node:child_process';
import { installDebianTool } from './debian.mjs';

/** Runs `amtool --version` and returns the version, e.g. `0.25.0`; throws if it does not run. */
export function amtoolVersion(bin) {
  // `amtool, version 0.25.0 (branch: debian/sid, revision: 0.25.0-1+b4)` and build details, on stdout.
  const out = execFileSync(bin, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const match = /version (\S+)/.exec(out);
  if (!match) throw new Error(`amtool: unexpected \`${bin} --version\` output: ${out.trim()}`);
  return match[1];
}

/** Makes amtool available (AMTOOL_BIN, else .tools/amtool/amtool); idempotent. */
export function installAmtool() {
  return installDebianTool({ tool: 'amtool', pkg: 'prometheus-alertmanager', member: 'usr/bin/amtool', versionOf: amtoolVersion });
}
