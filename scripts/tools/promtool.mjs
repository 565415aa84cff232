// Extracts promtool (Prometheus' rule checker and rule unit-test runner) from Debian's prometheus
// package: only usr/bin/promtool (~48 MB), not the 377 MB the installed package would take.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tools } from './paths.mjs';
import { extractFromDebian } from './debian.mjs';

/** Runs `promtool --version` and returns the version, e.g. `2.42.0+ds`; throws if it does not run. */
export function promtoolVersion(bin) {
  const out = execFileSync(bin, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const match = /version (\S+)/.exec(out);
  if (!match) throw new Error(`promtool: unexpected \`${bin} --version\` output: ${out.trim()}`);
  return match[1];
}

function working(bin) {
  try {
    return existsSync(bin) ? promtoolVersion(bin) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Makes promtool available. Idempotent: a binary named by PROMTOOL_BIN, or one already in
 * .tools/promtool/ that runs, is kept (`action: 'present'`); otherwise it is extracted.
 *
 * @returns {Promise<{tool: 'promtool', path: string, version: string, action: 'present'|'extracted'}>}
 */
export async function installPromtool() {
  const { bin, env } = tools.promtool;
  for (const candidate of [process.env[env], bin].filter(Boolean)) {
    const version = working(candidate);
    if (version) return { tool: 'promtool', path: candidate, version, action: 'present' };
  }
  await extractFromDebian({ tool: 'promtool', envVar: env, pkg: 'prometheus', files: { 'usr/bin/promtool': bin } });
  return { tool: 'promtool', path: bin, version: promtoolVersion(bin), action: 'extracted' };
}
