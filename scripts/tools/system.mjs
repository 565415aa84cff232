// System commands the tests and publishing use from PATH: gpg (signing provenance files) and
// openssl (test certificates). Debian's base images ship both; where one is missing it is
// installed with apt-get (root on these machines), else the error says how to provide it.
import { findOnPath, run } from './debian.mjs';

/** Command → the Debian package that provides it. */
const packages = { gpg: 'gpg', openssl: 'openssl' };

/** Ensures gpg and openssl are on PATH; idempotent. */
export async function installSystemTools() {
  const missing = Object.keys(packages).filter((command) => !findOnPath(command));
  if (missing.length > 0) {
    if (!findOnPath('apt-get')) {
      throw new Error(
        `${missing.join(', ')}: not on PATH and apt-get is not available; install ${missing.map((command) => packages[command]).join(' ')} with your package manager`,
      );
    }
    for (const args of [['update'], ['install', '-y', '--no-install-recommends', ...missing.map((command) => packages[command])]]) {
      const result = await run('apt-get', args, { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
      if (result.code !== 0) throw new Error(`${missing.join(', ')}: apt-get ${args[0]} failed: ${result.stderr.trim().split('\n').pop()}`);
    }
  }
  const gpg = await run('gpg', ['--version']);
  const version = gpg.stdout.split('\n')[0]?.replace(/^gpg \(GnuPG\) /, 'gpg ') ?? 'gpg';
  return { tool: 'gpg+openssl', path: findOnPath('gpg'), version, action: missing.length > 0 ? 'installed' : 'present' };
}
