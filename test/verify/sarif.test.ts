// chartkit verify --format sarif, validated by Microsoft's SARIF multitool (the SARIF 2.1.0 schema
// and rules, and GitHub code scanning's ingestion rules): no error and no warning, each result at
// the line of the user's values file that caused it.
import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { repoRoot } from '../../generator/paths.mjs';
import { cliVerify, valuesFile } from './fixtures.js';

const MULTITOOL = path.join(repoRoot, 'node_modules', '@microsoft', 'sarif-multitool-linux', 'Sarif.Multitool');

/** What the multitool reports about a SARIF log: `level ruleId: text`, errors and warnings only. */
async function validate(log: string): Promise<string[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'chartkit-sarif-'));
  const input = path.join(dir, 'verify.sarif');
  const output = path.join(dir, 'validation.sarif');
  writeFileSync(input, log);
  const run = await execa(MULTITOOL, ['validate', input, '--output', output, '--log', 'ForceOverwrite', '--rule-kind', 'Sarif;Gh'], { reject: false }).catch(
    (error: Error) => {
      throw new Error(`the SARIF multitool did not run (${error.message}); npm ci installs it (@microsoft/sarif-multitool)`);
    },
  );
  if (run.exitCode !== 0) throw new Error(`the SARIF multitool failed: ${run.stderr || run.stdout}`);
  const report = JSON.parse(readFileSync(output, 'utf8')) as {
    runs: Array<{ results?: Array<{ ruleId: string; level?: string; message: { text?: string; arguments?: string[] } }> }>;
  };
  return (report.runs[0]!.results ?? [])
    .filter((result) => result.level === 'error' || result.level === 'warning')
    .map((result) => `${result.level} ${result.ruleId}: ${result.message.text ?? result.message.arguments?.join(' ') ?? ''}`);
}

describe('chartkit verify --format sarif', () => {
  const broken = valuesFile({ 'restaurant-app': { serviceDefaults: { resources: { requests: { cpu: '4' } } } } });

  it('should pass the SARIF and GitHub rules with findings, each at the line that set the value', async () => {
    const run = await cliVerify(['--env', 'prod', '-f', broken, '--format', 'sarif']);
    expect(run.exitCode).toBe(1);
    expect(await validate(run.stdout)).toEqual([]);
    const log = JSON.parse(run.stdout);
    const [result] = log.runs[0].results;
    expect(result.ruleId).toBe('CKV001');
    const location = result.locations[0].physicalLocation;
    expect(path.resolve(repoRoot, location.artifactLocation.uri)).toBe(broken);
    // the file is `restaurant-app:\n  serviceDefaults:\n    resources:\n      requests:\n        cpu: '4'`
    expect(location.region.startLine).toBe(5);
  });

  it('should pass them clean too, with what was not checked as notifications', async () => {
    const run = await cliVerify(['--env', 'prod', '--format', 'sarif']);
    expect(run.exitCode).toBe(0);
    expect(await validate(run.stdout)).toEqual([]);
    const notifications = JSON.parse(run.stdout).runs[0].invocations[0].toolExecutionNotifications;
    expect(notifications.map((item: { message: { text: string } }) => item.message.text)).toContainEqual(
      expect.stringMatching(/^not checked \(scrape-coverage\)/),
    );
  });

  it('should be judged by a validator that can fail: a result without a location is refused', async () => {
    const run = await cliVerify(['--env', 'prod', '-f', broken, '--format', 'sarif']);
    const log = JSON.parse(run.stdout);
    delete log.runs[0].results[0].locations;
    expect((await validate(JSON.stringify(log))).join('\n')).toMatch(/^error GH\d+/m);
  });
});
