// The CI workflow users run: every step calls something package.json defines, the tests run on
// Helm 3 and Helm 4, publishing happens only on version tags with credentials from secrets.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { describe, it, expect } from 'vitest';
import { repoRoot } from '../../generator/paths.mjs';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
}
interface Job {
  if?: string;
  needs?: string[];
  strategy?: { matrix?: Record<string, unknown[]> };
  steps: Step[];
}
const workflow = yaml.load(readFileSync(path.join(repoRoot, '.github', 'workflows', 'charts.yml'), 'utf8')) as {
  on: Record<string, unknown>;
  jobs: Record<string, Job>;
};
const scripts = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
const steps = Object.entries(workflow.jobs).flatMap(([job, { steps }]) => steps.map((step) => ({ job, ...step })));

/** The npm script a `run:` line calls, or an explanation of why it is not one. */
function scriptOf(line: string): string {
  if (line === 'npm ci') return 'npm ci';
  if (line === 'npm test') return 'test';
  const match = /^npm run ([a-z:-]+)(\s+--\s.*)?$/.exec(line);
  return match ? match[1]! : `not an npm script: ${line}`;
}

describe('.github/workflows/charts.yml', () => {
  it('should run on pull requests and on version tags', () => {
    expect(Object.keys(workflow.on).sort()).toEqual(['pull_request', 'push']);
    expect(workflow.on.push).toEqual({ tags: ['v*'] });
  });

  it.each(steps.filter((step) => step.run).map((step) => [`${step.job}: ${step.run}`, step] as const))(
    'step %s should call a script package.json defines',
    (_, step) => {
      for (const line of step
        .run!.split('\n')
        .map((text) => text.trim())
        .filter(Boolean)) {
        const script = scriptOf(line);
        if (script !== 'npm ci') expect(Object.keys(scripts), line).toContain(script);
      }
    },
  );

  it('should use only the checkout and setup-node actions (and the SARIF upload in verify), pinned to a major', () => {
    for (const step of steps.filter((candidate) => candidate.uses && candidate.job !== 'verify'))
      expect(step.uses).toMatch(/^actions\/(checkout|setup-node)@v\d+$/);
    const verifyActions = steps.filter((candidate) => candidate.uses && candidate.job === 'verify').map((candidate) => candidate.uses);
    expect(verifyActions).toEqual(['actions/checkout@v4', 'actions/setup-node@v4', 'github/codeql-action/upload-sarif@v3']);
  });

  it('should verify every environment, upload the SARIF whatever the verdict, then fail on findings', () => {
    const job = workflow.jobs.verify! as Job & { permissions?: Record<string, string> };
    expect(job.strategy?.matrix?.env).toEqual(['dev', 'staging', 'prod']);
    expect(job.permissions).toEqual({ contents: 'read', 'security-events': 'write' });
    const [verify, upload, fail] = job.steps.slice(-3) as Array<
      Step & { id?: string; if?: string; with?: Record<string, string>; 'continue-on-error'?: boolean }
    >;
    expect(verify!.run).toBe('npm run verify -- --env ${{ matrix.env }} --format sarif --output verify-${{ matrix.env }}.sarif');
    expect(verify!['continue-on-error']).toBe(true);
    expect(upload!.if).toBe('always()');
    expect(upload!.with?.sarif_file).toBe('verify-${{ matrix.env }}.sarif');
    expect(fail!.if).toBe(`steps.${verify!.id}.outcome == 'failure'`);
    expect(fail!.run).toBe('npm run verify -- --env ${{ matrix.env }}');
  });

  it('should run the test suite once per Helm version, 3 and 4', () => {
    const test = workflow.jobs.test!;
    expect(test.strategy?.matrix?.helm).toEqual(['3', '4']);
    const run = test.steps.find((step) => step.run === 'npm test');
    expect(run?.env?.CHARTKIT_HELM_MAJORS).toBe('${{ matrix.helm }}');
  });

  it('should check drift against the target branch and lint strictly', () => {
    const check = workflow.jobs.check!;
    const runs = check.steps.map((step) => step.run);
    expect(runs).toEqual(expect.arrayContaining(['npm run check', 'npm run typecheck', 'npm run style', 'npm run lint']));
    expect(scripts.lint).toMatch(/chartkit\.js lint$/);
    // Biome in CI mode: formatting and lint (the layers' import boundaries among them) fail, never fix
    expect(scripts.style).toBe('biome ci');
    expect(check.steps.find((step) => step.run === 'npm run check')?.env?.CHARTKIT_BASE_REF).toMatch(/github\.base_ref/);
  });

  it('should publish only on version tags, after the checks, with credentials from secrets only', () => {
    const publish = workflow.jobs.publish!;
    expect(publish.if).toBe("startsWith(github.ref, 'refs/tags/v')");
    expect(publish.needs).toEqual(['check', 'test']);
    const step = publish.steps.find((candidate) => candidate.run?.startsWith('npm run publish'))!;
    expect(step.run).toMatch(/--registry "\$CHARTS_REGISTRY" --sign/);
    // No password or passphrase on a command line: only in the environment, only from secrets
    expect(step.run).not.toMatch(/password|passphrase/i);
    for (const [name, value] of Object.entries(step.env ?? {})) expect(value, name).toMatch(/^\$\{\{ secrets\.[A-Z_]+ \}\}$/);
    expect(Object.keys(step.env ?? {})).toEqual(expect.arrayContaining(['CHARTKIT_REGISTRY_PASSWORD', 'CHARTKIT_SIGNING_KEYRING_BASE64']));
  });
});

describe('.github/workflows/charts.yml upstream lock job', () => {
  it('should sync the upstream lock over the network in check mode on every pull request', () => {
    const job = workflow.jobs['upstream-lock'];
    expect(job).toBeDefined();
    expect(job!.if).toBeUndefined();
    expect(job!.steps.map((step) => step.run).filter(Boolean)).toEqual(['npm ci', 'npm run upstream -- sync --check']);
    // No mirror: the job is the one that looks at the real repositories.
    expect(JSON.stringify(job)).not.toContain('CHARTKIT_UPSTREAM_DIR');
  });
});
