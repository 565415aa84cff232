// Extracts promtool (Prometheus' rule checker and rule unit-test runner) from Debian's prometheus
// package: only usr/bin/promtool (~48 MB), not the 377 MB the installed package would take.
import { execFileSync } from 'node:child_process';
import { installDebianTool } from './debian.mjs';

/** Runs `promtool --version` and returns the version, e.g. `2.42.0+ds`; throws if it does not run. */
export function promtoolVersion(bin) {
  const out = execFileSync(bin, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const match = /version (\S+)/.exec(out);
  if (!match) throw new Error(`promtool: unexpected \`${bin} --version\` output: ${out.trim()}`);
  return match[1];
}

/** Makes promtool available (PROMTOOL_BIN, else .tools/promtool/promtool); idempotent. */
export function installPromtool() {
  return installDebianTool({ tool: 'promtool', pkg: 'prometheus', member: 'usr/bin/promtool', versionOf: promtoolVersion });
}
