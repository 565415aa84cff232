/**
 * Makes a throwaway RSA signing key in the legacy GnuPG keyring format Helm reads
 * (`secring.gpg` for `--sign --keyring`, `pubring.gpg` for `helm verify --keyring`), in a folder
 * of its own; the user's GnuPG home is never touched. For tests and for trying the publishing
 * recipe; a real release key is made once and kept in CI secrets.
 *
 *   npx tsx scripts/signing-key.ts <dir> ["Name <email>"]
 *
 * Needs GnuPG (`gpg`, Debian package `gpg`; or GPG_BIN). RSA because Helm 3 rejects ed25519 keys.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../generator/paths.mjs';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

/** A generated keyring pair. */
export interface SigningKeyring {
  /** The user ID, usable as `--key`. */
  readonly name: string;
  readonly email: string;
  /** Secret keyring (legacy format). */
  readonly secring: string;
  /** Public keyring (legacy format). */
  readonly pubring: string;
}

const gpgBin = () => process.env.GPG_BIN || 'gpg';

async function gpg(home: string, args: string[], input?: string): Promise<string> {
  const result = await execa(gpgBin(), ['--homedir', home, '--batch', '--no-tty', ...args], {
    reject: false,
    encoding: 'buffer',
    ...(input !== undefined ? { input } : { stdin: 'ignore' as const }),
  });
  if (result.failed && result.exitCode === undefined) {
    throw new Error(`signing-key: ${gpgBin()} could not be run; install GnuPG (Debian: apt-get install gpg) or set GPG_BIN`);
  }
  if (result.exitCode !== 0) throw new Error(`signing-key: gpg ${args[0]} failed: ${Buffer.from(result.stderr).toString('utf8')}`);
  return Buffer.from(result.stdout).toString('latin1');
}

/**
 * Generates an unprotected RSA-2048 signing key valid for one day and writes `secring.gpg` and
 * `pubring.gpg` into `dir`.
 */
export async function createSigningKeyring(dir: string, name = 'chartkit test signer', email = 'signer@restaurant.example.com'): Promise<SigningKeyring> {
  mkdirSync(dir, { recursive: true });
  // The agent's socket lives in the home folder, whose path must be short.
  const home = mkdtempSync(path.join(os.tmpdir(), 'chartkit-key-'));
  try {
    const parameters = [
      '%no-protection',
      'Key-Type: RSA',
      'Key-Length: 2048',
      'Key-Usage: sign',
      `Name-Real: ${name}`,
      `Name-Email: ${email}`,
      'Expire-Date: 1d',
      '%commit',
      '',
    ].join('\n');
    await gpg(home, ['--gen-key'], parameters);
    const secring = path.join(dir, 'secring.gpg');
    const pubring = path.join(dir, 'pubring.gpg');
    writeFileSync(secring, Buffer.from(await gpg(home, ['--export-secret-keys', email]), 'latin1'), { mode: 0o600 });
    writeFileSync(pubring, Buffer.from(await gpg(home, ['--export', email]), 'latin1'));
    return { name, email, secring, pubring };
  } finally {
    await execa('gpgconf', ['--homedir', home, '--kill', 'gpg-agent'], { reject: false, stdin: 'ignore' });
    rmSync(home, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // Keys default to a git-ignored folder, so a test key cannot be committed by accident.
  const [dir = path.join(repoRoot, '.cache', 'signing-keys'), identity] = process.argv.slice(2);
  const match = identity ? /^(.*?)\s*<([^>]+)>$/.exec(identity) : null;
  const keyring = await createSigningKeyring(dir, match?.[1] ?? undefined, match?.[2] ?? undefined);
  console.log(`signing-key: ${keyring.name} <${keyring.email}>: ${keyring.secring} (sign), ${keyring.pubring} (verify)`);
}
