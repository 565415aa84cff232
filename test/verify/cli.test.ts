// The chartkit verify command as a user runs it: exit 0 clean, 1 with findings, 2 when it cannot
// check; text, JSON and SARIF on stdout. Done when: `verify --env prod` exits 0 on the defaults and
// 1 naming the values path for `--set istio-mesh.mesh.mode=ambient` alone and for a request above its limit.
import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { VerifyReport } from '../../generator/verify/index.js';
import { cliVerify, valuesFile } from './fixtures.js';

describe('chartkit verify on the command line', () => {
  it('should exit 0 on the prod defaults and say no findings', async () => {
    const run = await cliVerify(['--env', 'prod']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/^chartkit verify: prod, Helm 4: \d+ objects \(restaurant-platform \d+, observability \d+\); checks: values, models, crd/);
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe('no findings');
    // AND it says loudly what it did not check
    expect(run.stdout).toMatch(/^NOT CHECKED \(\d+\):$/m);
  });

  it('should exit 1 naming istio-mesh.mesh.mode for a mesh mode set on istio-mesh alone', async () => {
    const run = await cliVerify(['--env', 'prod', '--set', 'istio-mesh.mesh.mode=ambient']);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('values: chart restaurant-platform [istio-mesh.mesh.mode]:');
    expect(run.stdout).toContain('fix: istio-mesh.mesh.mode: Set through `global.mesh.mode` in the umbrella');
  });

  it('should exit 1 naming the request for a request above its limit, in JSON', async () => {
    const file = valuesFile({ 'restaurant-app': { services: { 'menu-service': { resources: { requests: { memory: '2Gi' } } } } } });
    const run = await cliVerify(['--env', 'prod', '-f', file, '--format', 'json']);
    expect(run.exitCode).toBe(1);
    const report = JSON.parse(run.stdout) as VerifyReport;
    expect(report.findings.map((finding) => [finding.check, finding.path])).toEqual([
      ['values', 'restaurant-app.services.menu-service.resources.requests.memory'],
    ]);
  });

  it('should write the report to --output and say so in one line', async () => {
    const output = path.join(mkdtempSync(path.join(os.tmpdir(), 'chartkit-verify-out-')), 'verify.sarif');
    const run = await cliVerify(['--env', 'prod', '--set', 'istio-mesh.mesh.mode=ambient', '--format', 'sarif', '--output', output]);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toBe(`chartkit verify: prod: 1 finding(s); sarif report in ${output}`);
    expect(JSON.parse(readFileSync(output, 'utf8')).runs[0].results).toHaveLength(1);
  });

  it.each([
    [['--env', 'qa'], '--env: choose dev, staging, prod'],
    [['--env', 'prod', '--helm', '5'], '--helm 5: choose 3 or 4'],
    [['--env', 'prod', '--format', 'xml'], '--format xml: choose text, json, sarif'],
    [['--env', 'prod', '-f', '/nonexistent/values.yaml'], '-f /nonexistent/values.yaml: no such file'],
    [['--env', 'prod', '--bogus'], "Unknown option '--bogus'"],
  ])('should exit 2 when it cannot check (%j), saying why in one line', async (args, why) => {
    const run = await cliVerify(args);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(why);
    expect(run.stderr).not.toContain('internal error');
  });
});
