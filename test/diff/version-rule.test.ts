// The version rule knows about breakage: in a copy of this repository with its own git history,
// a Deployment selector changed under a patch bump fails `generate --check` (what `npm run check`
// runs) with the finding and the bump command; `chartkit bump` records the breaking findings in
// the version's artifacthub.io/changes; the major bump passes; a content-only change under a patch
// bump passes too. The real chartkit executable of the copy, real git, real helm.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import yaml from 'js-yaml';
import { repoRoot } from '../../generator/paths.mjs';

interface Run {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A copy of the repository's sources (tools, packages and upstream cache linked, not copied), committed as its own history. */
async function repositoryCopy(): Promise<{
  root: string;
  chartkit: (...args: string[]) => Promise<Run>;
  edit: (file: string, from: string, to: string) => void;
}> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'chartkit-version-rule-'));
  for (const entry of ['generator', 'values-schemas', 'charts', 'package.json', 'tsconfig.json'])
    cpSync(path.join(repoRoot, entry), path.join(root, entry), { recursive: true });
  for (const entry of ['node_modules', '.tools', '.cache']) symlinkSync(path.join(repoRoot, entry), path.join(root, entry));
  const git = (...args: string[]) => execa('git', ['-C', root, '-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args]);
  await git('init', '-q');
  writeFileSync(path.join(root, '.gitignore'), 'node_modules\n.tools\n.cache\n');
  await git('add', '-A');
  await git('commit', '-q', '-m', 'the released versions');
  const chartkit = async (...args: string[]): Promise<Run> => {
    const result = await execa('node', [path.join(root, 'generator', 'bin', 'chartkit.js'), ...args], {
      cwd: root,
      reject: false,
      env: { CHARTKIT_BASE_REF: 'HEAD' },
    });
    return { exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr };
  };
  const edit = (file: string, from: string, to: string) => {
    const text = readFileSync(path.join(root, file), 'utf8');
    if (!text.includes(from)) throw new Error(`${file} has no ${JSON.stringify(from)}: the test's edit is stale`);
    writeFileSync(path.join(root, file), text.replace(from, to));
  };
  return { root, chartkit, edit };
}

const DEPLOYMENT = 'generator/templates/restaurant-app/templates/deployment.yaml';
const SELECTOR_END = '      version: {{ $settings.version | quote }}\n  template:';

/** The change log a Chart.yaml carries in artifacthub.io/changes. */
function changeLog(root: string, chart: string): { kind: string; description: string }[] {
  const metadata = yaml.load(readFileSync(path.join(root, 'charts', chart, 'Chart.yaml'), 'utf8')) as { annotations: Record<string, string> };
  return yaml.load(metadata.annotations['artifacthub.io/changes']!) as { kind: string; description: string }[];
}

describe('the version rule, given a Deployment selector changed under patch bumps', () => {
  let copy: Awaited<ReturnType<typeof repositoryCopy>>;
  let bumped: Run;
  let patchCheck: Run;
  let majorCheck: Run;

  beforeAll(async () => {
    copy = await repositoryCopy();
    copy.edit(DEPLOYMENT, SELECTOR_END, '      version: {{ $settings.version | quote }}\n      track: stable\n  template:');
    bumped = await copy.chartkit('bump', 'restaurant-app', 'patch', '--change', 'changed: pods are selected by track');
    await copy.chartkit('bump', 'restaurant-platform', 'patch', '--change', 'changed: restaurant-app with pods selected by track');
    patchCheck = await copy.chartkit('generate', '--check');
    await copy.chartkit('bump', 'restaurant-app', 'major', '--change', 'changed: pods are selected by track');
    await copy.chartkit('bump', 'restaurant-platform', 'major', '--change', 'changed: restaurant-app 1.0.0');
    majorCheck = await copy.chartkit('generate', '--check');
  }, 300_000);
  afterAll(() => rmSync(copy.root, { recursive: true, force: true }));

  it('should fail the check with the finding and the major bump command', () => {
    expect(patchCheck.exitCode).toBe(1);
    expect(patchCheck.stderr).toContain('breaking changes under a non-major version bump (compared with HEAD)');
    expect(patchCheck.stderr).toContain('restaurant-app 0.4.0 → 0.4.1:');
    expect(patchCheck.stderr).toMatch(/^ {4}breaking \[dev\]: Deployment restaurant\/api-gateway \[spec\.selector\]: the selector of a workload is immutable/m);
    expect(patchCheck.stderr).toContain('run `npm run bump -- restaurant-app major --change "changed: …"`');
    // The umbrella vendors restaurant-app: its upgrade breaks the same way.
    expect(patchCheck.stderr).toContain('run `npm run bump -- restaurant-platform major --change "changed: …"`');
  });

  it('should have the bump say that the upgrade breaks and that it needs a major version', () => {
    expect(bumped.exitCode).toBe(0);
    expect(bumped.stdout).toContain('chartkit: restaurant-app 0.4.1: the upgrade from HEAD breaks; recorded in its change log');
    expect(bumped.stdout).toContain('a breaking change needs a major version: `npm run bump -- restaurant-app major --change "…"`');
  });

  it('should pass once the versions are major, with the breaking findings in the change log', () => {
    expect([majorCheck.exitCode, majorCheck.stderr]).toEqual([0, '']);
    expect(majorCheck.stdout).toContain('restaurant-app 0.4.0 → 1.0.0 (major)');
    const log = changeLog(copy.root, 'restaurant-app');
    expect(log[0]).toEqual({ kind: 'changed', description: 'pods are selected by track' });
    const breaking = log.filter((change) => change.description.startsWith('breaking: '));
    expect(breaking).toHaveLength(1);
    expect(breaking[0]!.kind).toBe('changed');
    expect(breaking[0]!.description).toMatch(
      /^breaking: Deployment restaurant\/api-gateway, Deployment restaurant\/auth-service, Deployment restaurant\/frontend and \d+ more \[spec\.selector\]: the selector of a workload is immutable/,
    );
  });
});

describe('the version rule, given a content-only change under patch bumps', () => {
  let copy: Awaited<ReturnType<typeof repositoryCopy>>;
  let check: Run;
  beforeAll(async () => {
    copy = await repositoryCopy();
    copy.edit(DEPLOYMENT, SELECTOR_END, `${SELECTOR_END.split('\n')[0]}\n  minReadySeconds: 5\n  template:`);
    await copy.chartkit('bump', 'restaurant-app', 'patch', '--change', 'changed: pods ready for five seconds before they count');
    await copy.chartkit('bump', 'restaurant-platform', 'patch', '--change', 'changed: restaurant-app 0.4.1');
    check = await copy.chartkit('generate', '--check');
  }, 300_000);
  afterAll(() => rmSync(copy.root, { recursive: true, force: true }));

  it('should pass, saying the upgrade was judged and breaks nothing', () => {
    expect([check.exitCode, check.stderr]).toEqual([0, '']);
    expect(check.stdout).toContain('restaurant-app 0.4.0 → 0.4.1 (no breaking change)');
    expect(changeLog(copy.root, 'restaurant-app').map((change) => change.description)).toEqual(['pods ready for five seconds before they count']);
  });
});
