// Extracts promtool (Prometheus' rule checker and rule unit-test runner) from Debian's prometheus
// package: only usr/bin/promtool (~48 MB), not the 377 MB the installed package would take.
import { installDebianTool, versionFlagOf } from './debian.mjs';

/** Makes promtool available (PROMTOOL_BIN, else .tools/promtool/promtool); idempotent. */
export function installPromtool() {
  return installDebianTool({ tool: 'promtool', pkg: 'prometheus', member: 'usr/bin/promtool', versionOf: versionFlagOf('promtool') });
}
