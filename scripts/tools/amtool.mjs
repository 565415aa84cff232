// Extracts amtool (Alertmanager's configuration checker and route tester) from Debian's
// prometheus-alertmanager package: only usr/bin/amtool (~19 MB), not the daemon, its web assets or the
// package's postinst (which would create a user and start a service).
import { installDebianTool, versionFlagOf } from './debian.mjs';

/** Makes amtool available (AMTOOL_BIN, else .tools/amtool/amtool); idempotent. */
export function installAmtool() {
  return installDebianTool({ tool: 'amtool', pkg: 'prometheus-alertmanager', member: 'usr/bin/amtool', versionOf: versionFlagOf('amtool') });
}
