/**
 * Provenance for canonical chart archives. `helm package --sign` can only sign the archive Helm
 * itself writes, which is not reproducible (see archive.ts), so chartkit writes the provenance
 * file Helm would write, for its own archive: the chart's metadata as YAML, the YAML document-end
 * marker `...`, the archive's SHA-256 under its file name, clear-signed with SHA-512 by GnuPG with
 * a key from a legacy keyring (the same `--key NAME --keyring FILE` Helm takes). `helm verify` and
 * `helm install --verify` check it like any Helm-made provenance.
 */
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import yaml from 'js-yaml';
import { UserError } from '../errors.js';
import { redact } from './helm-cli.js';

/** Options for {@link signArchive}. */
export interface SignOptions {
  /** A substring of the signing key's user ID (name or email), as for `helm package --key`. */
  readonly key: string;
  /** A legacy (`secring.gpg`-style) keyring file holding the secret key. */
  readonly keyring: string;
  /** The key's passphrase, if it has one (`HELM_KEY_PASSPHRASE`, as Helm reads it). */
  readonly passphrase?: string;
}

/** The GnuPG binary: `GPG_BIN` or `gpg` on PATH. */
export function gpgBinary(env: NodeJS.ProcessEnv = process.env): string {
  return env.GPG_BIN || 'gpg';
}

/** The message Helm signs: chart metadata, `...`, and the archive's checksum (Helm's messageBlock). */
export function provenanceMessage(metadata: object, archiveName: string, sha256: string): string {
  const meta = yaml.dump(metadata, { lineWidth: -1, sortKeys: true });
  const sums = yaml.dump({ files: { [archiveName]: `sha256:${sha256}` } }, { lineWidth: -1 });
  return `${meta}\n...\n${sums}`;
}

async function gpg(args: string[], what: string, options: { input?: string; secrets?: string[] } = {}): Promise<string> {
  const bin = gpgBinary();
  const result = await execa(bin, ['--batch', '--no-tty', ...args], {
    reject: false,
    ...(options.input !== undefined ? { input: options.input } : { stdin: 'ignore' as const }),
  });
  if (result.failed && result.exitCode === undefined) {
    throw new UserError(`signing needs GnuPG: ${bin} could not be run (Debian: apt-get install gpg; or set GPG_BIN)`);
  }
  if (result.exitCode !== 0) throw new UserError(`${what} failed: ${redact(String(result.stderr).trim(), options.secrets ?? [])}`);
  return String(result.stdout);
}

/**
 * Clear-signs Helm's provenance message for an archive with the key from a legacy keyring. The
 * keyring is imported into a throwaway GnuPG home that is removed (and its agent stopped)
 * afterwards; the user's own GnuPG home is never touched.
 * @returns the `.prov` file's content.
 */
export async function signArchive(metadata: object, archiveName: string, sha256: string, options: SignOptions): Promise<string> {
  if (!existsSync(options.keyring)) throw new UserError(`--keyring ${options.keyring}: no such file`);
  // GnuPG's agent socket lives in the home folder, whose path must stay short: use the OS temp dir.
  const home = mkdtempSync(path.join(os.tmpdir(), 'chartkit-gpg-'));
  const secrets = options.passphrase ? [options.passphrase] : [];
  try {
    await gpg(['--homedir', home, '--import', options.keyring], `importing the keyring ${options.keyring}`, { secrets });
    const message = provenanceMessage(metadata, archiveName, sha256);
    const messageFile = path.join(home, 'message');
    writeFileSync(messageFile, message);
    const passphrase = options.passphrase !== undefined ? ['--pinentry-mode', 'loopback', '--passphrase-fd', '0'] : [];
    return await gpg(
      ['--homedir', home, ...passphrase, '--local-user', options.key, '--digest-algo', 'SHA512', '--armor', '--output', '-', '--clearsign', messageFile],
      `signing with key "${options.key}" from ${options.keyring}`,
      { ...(options.passphrase !== undefined ? { input: `${options.passphrase}\n` } : {}), secrets },
    );
  } finally {
    await execa('gpgconf', ['--homedir', home, '--kill', 'gpg-agent'], { reject: false, stdin: 'ignore' });
    rmSync(home, { recursive: true, force: true });
  }
}
