// Publishing through the real CLI to registries that need more than plain HTTP: htpasswd (bcrypt)
// basic auth, TLS with a self-signed CA, and signed charts (provenance verified after the pull;
// a tampered package fails verification). No credential ever appears in any output.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa, type Result } from 'execa';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startRegistry, type RunningRegistry } from '../helpers/registry.js';
import { HELM_MAJORS } from '../helpers/tools.js';
import { helmPull, helmVerify } from '../helpers/helm.js';
import { repoRoot } from '../../generator/paths.mjs';
import { createSigningKeyring, type SigningKeyring } from '../../scripts/signing-key.js';
import { readTgz, writeTgz } from '../../generator/archive.js';

const CHART = 'restaurant-app';
/** The chart's current version, and escaped for a pattern. */
const CHART_VERSION = (JSON.parse(readFileSync(path.join(repoRoot, 'generator', 'charts', 'releases.json'), 'utf8')) as Record<string, { version: string }>)[
  CHART
]!.version;
const VERSION = CHART_VERSION.replace(/\./g, '\\.');
const USER = 'chartkit-ci';
const PASSWORD = 'Pa55-word-that-must-not-leak';
const CLI = path.join(repoRoot, 'generator', 'bin', 'chartkit.js');

let auth: RunningRegistry;
let tls: RunningRegistry;
let plain: RunningRegistry;
let keys: SigningKeyring;
let work: string;
const outputs: string[] = [];
/** The chartkit runs per Helm version below: three against basic auth, two against TLS, one signed. */
const CHARTKIT_RUNS_PER_HELM = 6;

/** Runs `chartkit publish …` as a user would; records everything it printed. */
async function chartkit(args: string[], options: { input?: string; env?: Record<string, string> } = {}): Promise<Result> {
  const result = await execa('node', [CLI, 'publish', ...args], {
    reject: false,
    ...(options.input !== undefined ? { input: options.input } : { stdin: 'ignore' as const }),
    env: { ...options.env },
  });
  outputs.push(String(result.stdout), String(result.stderr));
  return result;
}

beforeAll(async () => {
  // GIVEN an authenticated, a TLS and a plain registry, and a throwaway RSA signing key
  work = mkdtempSync(path.join(os.tmpdir(), 'chartkit-secure-'));
  [auth, tls, plain, keys] = await Promise.all([
    startRegistry({ auth: { username: USER, password: PASSWORD } }),
    startRegistry({ tls: true }),
    startRegistry(),
    createSigningKeyring(path.join(work, 'keys')),
  ]);
});
afterAll(async () => {
  await Promise.all([auth?.stop(), tls?.stop(), plain?.stop()]);
  rmSync(work, { recursive: true, force: true });
});

describe.each(HELM_MAJORS)('a registry with basic auth, Helm %i', (helm) => {
  it('should refuse a wrong password with a clear message', async () => {
    // WHEN publishing with a wrong password on standard input
    const result = await chartkit(
      ['--registry', `${auth.url}/h${helm}`, '--chart', CHART, '--plain-http', '--helm', String(helm), '--username', USER, '--password-stdin'],
      { input: 'wrong-password\n' },
    );
    // THEN it fails with one line naming the login, the user and where the password comes from
    expect(result.exitCode).toBe(1);
    expect(String(result.stderr)).toMatch(new RegExp(`^chartkit: login to ${auth.host.replace(/\./g, '\\.')} as ${USER} failed .*password-stdin`));
    expect(String(result.stderr)).not.toContain('wrong-password');
  });

  it('should publish with the right password from standard input', async () => {
    const result = await chartkit(
      ['--registry', `${auth.url}/h${helm}`, '--chart', CHART, '--plain-http', '--helm', String(helm), '--username', USER, '--password-stdin'],
      { input: `${PASSWORD}\n` },
    );
    expect(result.exitCode, String(result.stderr)).toBe(0);
    expect(String(result.stdout)).toMatch(new RegExp(`^${CHART}\\s+${VERSION}\\s+sha256:[0-9a-f]{64}\\s+sha256:[0-9a-f]{64}\\s+pushed`, 'm'));
  });

  it('should publish with the password from CHARTKIT_REGISTRY_PASSWORD (same content: no-op)', async () => {
    const result = await chartkit(['--registry', `${auth.url}/h${helm}`, '--chart', CHART, '--plain-http', '--helm', String(helm)], {
      env: { CHARTKIT_REGISTRY_USERNAME: USER, CHARTKIT_REGISTRY_PASSWORD: PASSWORD },
    });
    expect(result.exitCode, String(result.stderr)).toBe(0);
    expect(String(result.stdout)).toMatch(new RegExp(`^${CHART}\\s+${VERSION}\\s+sha256:[0-9a-f]{64}\\s+sha256:[0-9a-f]{64}\\s+unchanged`, 'm'));
  });
});

// The TLS registry is addressed by this machine's loopback host name, not localhost: Helm 3
// (containerd's MatchLocalhost) would speak plain HTTP to localhost or a loopback IP.
describe.each(HELM_MAJORS)('a TLS registry with a self-signed CA, Helm %i', (helm) => {
  it('should publish and verify with --ca-file', async () => {
    const result = await chartkit(['--registry', `${tls.url}/h${helm}`, '--chart', CHART, '--ca-file', tls.caFile!, '--helm', String(helm)]);
    expect(result.exitCode, String(result.stderr)).toBe(0);
    expect(String(result.stdout)).toMatch(/pulled back sha256:[0-9a-f]{64}: package identical/);
  });

  it('should fail without the CA, saying why', async () => {
    const result = await chartkit(['--registry', `${tls.url}/none${helm}`, '--chart', CHART, '--helm', String(helm)]);
    expect(result.exitCode).toBe(1);
    expect(String(result.stderr)).toMatch(/certificate/i);
  });
});

describe.each(HELM_MAJORS)('signed charts, Helm %i', (helm) => {
  let pulled: string;
  beforeAll(async () => {
    // WHEN a chart is published signed, then pulled with its provenance
    const result = await chartkit([
      '--registry',
      `${plain.url}/signed${helm}`,
      '--chart',
      CHART,
      '--plain-http',
      '--helm',
      String(helm),
      '--sign',
      '--key',
      keys.name,
      '--keyring',
      keys.secring,
      '--verify-keyring',
      keys.pubring,
    ]);
    expect(result.exitCode, String(result.stderr)).toBe(0);
    expect(String(result.stdout)).toMatch(new RegExp(`^${CHART}\\s+${VERSION}\\s+sha256:[0-9a-f]{64}\\s+sha256:[0-9a-f]{64}\\s+pushed\\s+verified$`, 'm'));
    const pull = await helmPull({ helm, chart: `${plain.url}/signed${helm}/${CHART}`, version: CHART_VERSION, prov: true, plainHttp: true });
    expect(pull.ok, pull.stderr).toBe(true);
    pulled = pull.dir;
  });

  it('should verify with helm verify and the public keyring', async () => {
    const result = await helmVerify({ helm, file: path.join(pulled, `${CHART}-${CHART_VERSION}.tgz`), keyring: keys.pubring });
    expect(result.ok, result.stderr).toBe(true);
    expect(result.stdout).toMatch(/Signed by: chartkit test signer/);
  });

  it('should fail verification of a tampered package', async () => {
    // GIVEN the pulled package with one template changed, beside the original provenance
    const tampered = path.join(work, `tampered${helm}`);
    mkdirSync(tampered);
    const original = path.join(pulled, `${CHART}-${CHART_VERSION}.tgz`);
    const files = readTgz(readFileSync(original)).map((file) =>
      file.path.endsWith('templates/NOTES.txt') ? { ...file, content: new TextEncoder().encode('tampered\n') } : file,
    );
    writeFileSync(path.join(tampered, `${CHART}-${CHART_VERSION}.tgz`), writeTgz(files));
    copyFileSync(`${original}.prov`, path.join(tampered, `${CHART}-${CHART_VERSION}.tgz.prov`));
    // WHEN it is verified THEN the checksum no longer matches
    const result = await helmVerify({ helm, file: path.join(tampered, `${CHART}-${CHART_VERSION}.tgz`), keyring: keys.pubring });
    expect(result.ok).toBe(false);
    expect(result.stderr).toMatch(/sha256 sum does not match|checksum|does not match/i);
  });
});

describe('credentials', () => {
  it('should never appear in any output of any run of this file', () => {
    // THEN not the password, nor its base64 form, nor user:password in base64 (Basic auth)
    const all = outputs.join('\n');
    // (every chartkit run of this file was recorded: its stdout and its stderr)
    expect(outputs).toHaveLength(2 * CHARTKIT_RUNS_PER_HELM * HELM_MAJORS.length);
    for (const secret of [PASSWORD, Buffer.from(PASSWORD).toString('base64'), Buffer.from(`${USER}:${PASSWORD}`).toString('base64')]) {
      expect(all).not.toContain(secret);
    }
  });
});
