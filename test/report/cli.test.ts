// The chartkit report command as a user runs it: Markdown by default, JSON, a price table of their
// own, and exit 2 (with the reason in one line) when it cannot report.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../generator/paths.mjs';
import type { PlatformReport } from '../../generator/report/index.js';
import { DEFAULT_PRICES } from '../../generator/report/index.js';
import { cliRun, valuesFile } from '../verify/fixtures.js';

describe('chartkit report on the command line', () => {
  it('should print the Markdown report of prod and exit 0', async () => {
    const run = await cliRun('report', ['--env', 'prod']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/^# Platform report: prod$/m);
    expect(run.stdout).toMatch(/^## Mesh inventory$/m);
    expect(run.stdout).toMatch(/^Monthly estimate from the requests .*: \*\*[\d.]+ USD\*\* at minimum scale, \*\*[\d.]+ USD\*\* at maximum\.$/m);
  });

  it("should print what the README shows for prod (the README's table is this output, kept in step)", async () => {
    const run = await cliRun('report', ['--env', 'prod']);
    const section = (text: string, from: string, to: string) => text.slice(text.indexOf(from) + from.length, text.indexOf(to, text.indexOf(from))).trim();
    const totals = section(run.stdout, '## Totals and monthly cost', '## Mesh inventory');
    const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    expect(readme).toContain(totals);
    expect(readme).toContain(run.stdout.slice(run.stdout.indexOf('## Mesh inventory') + '## Mesh inventory'.length).trim());
  });

  it('should price with the given table: twice the prices, twice the cost', async () => {
    const doubled = valuesFile({
      cpuCoreHour: 2 * DEFAULT_PRICES.cpuCoreHour,
      memoryGibHour: 2 * DEFAULT_PRICES.memoryGibHour,
      storageGibMonth: 2 * DEFAULT_PRICES.storageGibMonth,
    });
    const [base, double] = await Promise.all([
      cliRun('report', ['--env', 'prod', '--format', 'json']),
      cliRun('report', ['--env', 'prod', '--format', 'json', '--prices', doubled]),
    ]);
    const [a, b] = [JSON.parse(base.stdout) as PlatformReport, JSON.parse(double.stdout) as PlatformReport];
    expect(b.monthlyCost.min).toBeCloseTo(2 * a.monthlyCost.min, 9);
    expect(b.monthlyCost.max).toBeCloseTo(2 * a.monthlyCost.max, 9);
  });

  it('should count the nodes it is told for the DaemonSets', async () => {
    const run = await cliRun('report', ['--env', 'prod', '--format', 'json', '--nodes', '7']);
    const daemons = (JSON.parse(run.stdout) as PlatformReport).workloads.filter((row) => ['DaemonSet', 'istio-cni', 'ztunnel'].includes(row.kind));
    expect(daemons.length).toBeGreaterThan(0);
    for (const row of daemons) expect([row.podsMin, row.podsMax]).toEqual([7, 7]);
  });

  it.each([
    [['--env', 'prod', '--prices', '/nonexistent.yaml'], '--prices /nonexistent.yaml: no such file'],
    [['--env', 'prod', '--nodes', '0'], '--nodes 0: a whole number of nodes, at least 1'],
    [['--env', 'prod', '--format', 'pdf'], '--format pdf: choose markdown, json, csv, svg'],
    [['--env', 'prod', '--set', 'istio-mesh.mesh.mode=ambient'], 'restaurant-platform did not render (istio-mesh.mesh.mode)'],
  ])('should exit 2 when it cannot report (%j), saying why', async (args, why) => {
    const run = await cliRun('report', args);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(why);
  });

  it('should refuse a price table with an unknown key', async () => {
    const run = await cliRun('report', ['--env', 'prod', '--prices', valuesFile({ cpuHour: 1 })]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('unknown key cpuHour');
  });
});
