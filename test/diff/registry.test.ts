// chartkit diff --from oci://HOST[:PORT][/PATH]/CHART@VERSION: the old version pulled from a real OCI
// registry (CNCF distribution, plain HTTP on loopback) through the real executable. Done when: the
// chart published signed compares with itself as `no change` under Helm 4 and Helm 3 with its
// provenance verified (and published unsigned, without a keyring); a package changed after signing,
// a signed package without --keyring, an unsigned one with it, a reference to another chart and a
// malformed reference are each refused with exit 2 and a message saying why.
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistry, type RunningRegistry } from '../helpers/registry.js';
import { helmPull } from '../helpers/helm.js';
import { resolveHelm } from '../helpers/tools.js';
import { cliRun } from '../verify/fixtures.js';
import { repoRoot } from '../../generator/paths.mjs';
import { readTgz, writeTgz } from '../../generator/archive.js';
import { publish } from '../../generator/publish/publish.js';
import { sha256Hex } from '../../generator/publish/package.js';
import { parseVersionRef } from '../../generator/publish/pull-version.js';
import { parseRegistry, privateHelm, push } from '../../generator/publish/registry.js';
import { UserError } from '../../generator/errors.js';
import { createSigningKeyring, type SigningKeyring } from '../../scripts/signing-key.js';

const CHART = 'restaurant-app';
/** The chart's current version: what charts/ holds, so a pull of it compares as no change. */
const VERSION = (JSON.parse(readFileSync(path.join(repoRoot, 'generator', 'charts', 'releases.json'), 'utf8')) as Record<string, { version: string }>)[CHART]!
  .version;
/** The one template line the tampered package changes (one byte), a field that renders. */
const SIGNED_LINE = 'revisionHistoryLimit: 5';
const TAMPERED_LINE = 'revisionHistoryLimit: 6';

let registry: RunningRegistry;
let keys: SigningKeyring;
let work: string;
/** `oci://127.0.0.1:PORT/<path>/restaurant-app@<version>`. */
const versionRef = (at: string) => `${registry.url}/${at}/${CHART}@${VERSION}`;
const lastLine = (text: string) => text.trimEnd().split('\n').at(-1);

beforeAll(async () => {
  // GIVEN a plain-HTTP registry and a throwaway signing key
  work = mkdtempSync(path.join(os.tmpdir(), 'chartkit-diff-registry-'));
  [registry, keys] = await Promise.all([startRegistry(), createSigningKeyring(path.join(work, 'keys'))]);
  // AND the chart published signed under charts/, and unsigned under unsigned/
  const sign = { key: keys.name, keyring: keys.secring };
  await publish({ registry: `${registry.url}/charts`, charts: [CHART], plainHttp: true, sign, verifyKeyring: keys.pubring });
  await publish({ registry: `${registry.url}/unsigned`, charts: [CHART], plainHttp: true });
  // AND under tampered/ the signed package with one template byte changed, pushed with the
  // original provenance beside it: helm push takes both as they are, so only verification can tell
  const pulled = await helmPull({ helm: 4, chart: `${registry.url}/charts/${CHART}`, version: VERSION, prov: true, plainHttp: true });
  expect(pulled.ok, pulled.stderr).toBe(true);
  const original = path.join(pulled.dir, `${CHART}-${VERSION}.tgz`);
  let changed = 0;
  const files = readTgz(readFileSync(original)).map((file) => {
    if (!file.path.endsWith('templates/deployment.yaml')) return file;
    const text = new TextDecoder().decode(file.content);
    if (!text.includes(SIGNED_LINE)) return file;
    changed += 1;
    return { ...file, content: new TextEncoder().encode(text.replace(SIGNED_LINE, TAMPERED_LINE)) };
  });
  expect(changed, `no ${SIGNED_LINE} in templates/deployment.yaml: the test's edit is stale`).toBe(1);
  const tampered = path.join(work, 'tampered', `${CHART}-${VERSION}.tgz`);
  mkdirSync(path.dirname(tampered));
  const bytes = writeTgz(files);
  writeFileSync(tampered, bytes);
  copyFileSync(`${original}.prov`, `${tampered}.prov`);
  const helm = privateHelm(resolveHelm(4), path.join(work, 'helm'), []);
  await push(helm, { chart: CHART, version: VERSION, metadata: {}, file: tampered, sha256: sha256Hex(bytes) }, parseRegistry(`${registry.url}/tampered`), {
    plainHttp: true,
  });
});
afterAll(async () => {
  await registry?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('chartkit diff --from an OCI registry', () => {
  it.each([4, 3] as const)('should pull the signed version, verify its provenance and report no change, Helm %i', async (helm) => {
    // WHEN the published version is compared with charts/ as a user would
    const run = await cliRun('diff', [CHART, '--from', versionRef('charts'), '--plain-http', '--keyring', keys.pubring, '--helm', String(helm)]);
    // THEN it succeeds, the report names the reference, and nothing changed
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe(`chartkit diff ${CHART}: ${versionRef('charts')} → this version, prod`);
    expect(lastLine(run.stdout)).toBe('no change');
  });

  it('should report a selector changed since the published version as breaking, on every Deployment', async () => {
    // GIVEN this version of the chart, changed in a temporary copy: its Deployments select one more label
    const copy = path.join(work, 'selector-copy');
    cpSync(path.join(repoRoot, 'charts', CHART), copy, { recursive: true });
    const template = path.join(copy, 'templates', 'deployment.yaml');
    const selectorEnd = '      version: {{ $settings.version | quote }}\n  template:';
    const text = readFileSync(template, 'utf8');
    expect(text.includes(selectorEnd), "the test's edit is stale").toBe(true);
    writeFileSync(template, text.replace(selectorEnd, '      version: {{ $settings.version | quote }}\n      track: stable\n  template:'));
    // WHEN the upgrade from the published version to the copy is compared
    const run = await cliRun('diff', [CHART, '--from', versionRef('charts'), '--plain-http', '--keyring', keys.pubring, '--to', copy, '--format', 'json']);
    // THEN exactly the seven Deployment selectors break
    const report = JSON.parse(run.stdout) as { from: string; findings: { severity: string; object: string; field?: string }[] };
    expect([run.exitCode, report.from]).toEqual([1, versionRef('charts')]);
    expect(report.findings.filter((finding) => finding.severity === 'breaking').map((finding) => `${finding.object.split(' ')[0]} ${finding.field}`)).toEqual(
      Array.from({ length: 7 }, () => 'Deployment spec.selector'),
    );
  });

  it('should compare an unsigned version when no --keyring is given', async () => {
    const run = await cliRun('diff', [CHART, '--from', versionRef('unsigned'), '--plain-http']);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(lastLine(run.stdout)).toBe('no change');
  });

  it('should refuse a package changed after it was signed', async () => {
    // WHEN the tampered package is compared with the signer's keyring
    const run = await cliRun('diff', [CHART, '--from', versionRef('tampered'), '--plain-http', '--keyring', keys.pubring]);
    // THEN nothing is compared: the checksum in the provenance is not the package's
    expect(run.exitCode, run.stdout).toBe(2);
    expect(run.stderr).toMatch(/the provenance did not verify with --keyring .*sha256 sum does not match/);
    expect(run.stdout).toBe('');
  });

  it('should refuse a signed package without --keyring, saying to pass one', async () => {
    const run = await cliRun('diff', [CHART, '--from', versionRef('charts'), '--plain-http']);
    expect(run.exitCode, run.stdout).toBe(2);
    expect(run.stderr).toContain(`--from ${versionRef('charts')} is signed: pass --keyring FILE`);
  });

  it('should refuse --keyring for a package the registry holds no provenance for', async () => {
    const run = await cliRun('diff', [CHART, '--from', versionRef('unsigned'), '--plain-http', '--keyring', keys.pubring]);
    expect(run.exitCode, run.stdout).toBe(2);
    expect(run.stderr).toMatch(/has no provenance in the registry, so --keyring .* cannot verify it: the package is unsigned/);
  });

  it('should refuse a reference to another chart than the one compared', async () => {
    const run = await cliRun('diff', [CHART, '--from', `${registry.url}/charts/istio-mesh@${VERSION}`, '--plain-http']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(`names the chart istio-mesh, but the chart compared is ${CHART}`);
  });

  it('should refuse a malformed reference with exit 2, naming the expected form', async () => {
    const reference = 'oci://127.0.0.1:5000/charts/restaurant-app';
    const run = await cliRun('diff', [CHART, '--from', reference]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe(`chartkit: --from ${reference}: expected oci://HOST[:PORT][/PATH]/CHART@VERSION (no @VERSION)`);
  });

  it('should refuse the registry flags with a --from that is not a registry', async () => {
    const run = await cliRun('diff', [CHART, '--from', 'HEAD', '--plain-http', '--keyring', keys.pubring]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('--plain-http, --keyring: only for --from oci://HOST[:PORT][/PATH]/CHART@VERSION');
  });
});

describe('parseVersionRef', () => {
  it.each([
    ['oci://127.0.0.1:5000/charts/restaurant-app@0.4.0', '127.0.0.1:5000', 'oci://127.0.0.1:5000/charts/restaurant-app', '0.4.0'],
    ['oci://registry.example.com/restaurant-app@1.2.3-rc.1+build.5', 'registry.example.com', 'oci://registry.example.com/restaurant-app', '1.2.3-rc.1+build.5'],
    ['oci://[::1]:5000/a/b/restaurant-app@0.4.0', '[::1]:5000', 'oci://[::1]:5000/a/b/restaurant-app', '0.4.0'],
  ])('should parse %s', (reference, host, ref, version) => {
    expect(parseVersionRef(reference)).toEqual({ registry: { host, url: ref.slice(0, ref.lastIndexOf('/')) }, chart: CHART, version, ref, text: reference });
  });

  it.each([
    ['no version', 'oci://127.0.0.1:5000/charts/restaurant-app', 'no @VERSION'],
    ['a version range', 'oci://127.0.0.1:5000/charts/restaurant-app@^0.4.0', 'not an exact SemVer version'],
    ['a partial version', 'oci://127.0.0.1:5000/charts/restaurant-app@0.4', 'not an exact SemVer version'],
    ['no chart after the host', 'oci://127.0.0.1:5000@0.4.0', 'no chart name after the host'],
    ['an empty chart name', 'oci://127.0.0.1:5000/charts/@0.4.0', 'no chart name after the host'],
    ['an uppercase path', 'oci://127.0.0.1:5000/Charts/restaurant-app@0.4.0', 'lowercase path segments'],
    ['a bad port', 'oci://127.0.0.1:port/charts/restaurant-app@0.4.0', 'an optional port'],
    ['another scheme', 'https://127.0.0.1:5000/charts/restaurant-app@0.4.0', 'an optional port'],
  ])('should refuse a reference with %s, with exit code 2 and the expected form', (_, reference, why) => {
    let error: unknown;
    try {
      parseVersionRef(reference);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UserError);
    expect(error).toMatchObject({ exitCode: 2 });
    expect((error as Error).message).toMatch(new RegExp(`^--from \\S+: expected oci://HOST\\[:PORT\\]\\[/PATH\\]/CHART@VERSION \\(.*${why}`));
  });
});
