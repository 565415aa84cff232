#!/usr/bin/env node
// Installs the project's toolchain into .tools/ (git-ignored) from the npm registry and Debian's
// packages only. Idempotent: run it as often as you like; present tools are kept.
//
//   node scripts/install-tools.mjs            # everything: helm3, helm4, promtool, amtool, registry, gpg+openssl
//   node scripts/install-tools.mjs helm       # only the Helm binaries (npm ci runs this)
import { installHelm } from './tools/helm.mjs';

const installers = {
  helm3: () => installHelm(3),
  helm4: () => installHelm(4),
  promtool: async () => (await import('./tools/promtool.mjs')).installPromtool(),
  amtool: async () => (await import('./tools/amtool.mjs')).installAmtool(),
  registry: async () => (await import('./tools/registry.mjs')).installRegistry(),
  system: async () => (await import('./tools/system.mjs')).installSystemTools(),
};
const groups = { helm: ['helm3', 'helm4'], all: Object.keys(installers) };

const wanted = (process.argv.slice(2).length ? process.argv.slice(2) : ['all']).flatMap((name) => groups[name] ?? [name]);
let failed = false;
for (const name of wanted) {
  const install = installers[name];
  if (!install) {
    console.error(`install-tools: unknown tool "${name}" (known: ${Object.keys(installers).join(', ')}, helm, all)`);
    process.exit(1);
  }
  try {
    const result = await install();
    console.log(`install-tools: ${result.tool} ${result.version} ${result.action} at ${result.path}`);
  } catch (error) {
    failed = true;
    console.error(`install-tools: ${error instanceof Error ? error.message : String(error)}`);
  }
}
process.exit(failed ? 1 : 0);
