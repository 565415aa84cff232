// Runs of `chartkit verify`: through its function (the report) and through the real CLI (exit code
// and output), each run once per distinct input and shared by the tests that read it. Values files
// are written from objects into one scratch folder, named by their content.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { execa } from 'execa';
import yaml from 'js-yaml';
import { repoRoot } from '../../generator/paths.mjs';
import { verify, type VerifyInputs, type VerifyReport } from '../../generator/verify/index.js';
import { runCacheDir } from '../helpers/cache.js';

const scratch = path.join(runCacheDir, 'verify-values');

/** A values file (YAML) holding `values`; the same values give the same file. */
export function valuesFile(values: object): string {
  const text = yaml.dump(values);
  const file = path.join(scratch, `${createHash('sha256').update(text).digest('hex').slice(0, 16)}.yaml`);
  mkdirSync(scratch, { recursive: true });
  writeFileSync(file, text);
  return file;
}

const reports = new Map<string, Promise<VerifyReport>>();

/** The report of `verify` for these inputs (Helm 4 unless given), computed once. */
export function verifyReport(inputs: Partial<VerifyInputs> & Pick<VerifyInputs, 'environment'>): Promise<VerifyReport> {
  const full: VerifyInputs = { files: [], set: [], helm: 4, ...inputs };
  const key = JSON.stringify(full);
  let report = reports.get(key);
  if (!report) {
    report = verify(repoRoot, full);
    reports.set(key, report);
  }
  return report;
}

/** What one CLI run printed and returned. */
export interface CliRun {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

const runs = new Map<string, Promise<CliRun>>();

/** `chartkit <command> <args>` through the real executable, once per argument list. */
export function cliRun(command: string, args: readonly string[]): Promise<CliRun> {
  const key = JSON.stringify([command, ...args]);
  let run = runs.get(key);
  if (!run) {
    run = execa('node', [path.join(repoRoot, 'generator', 'bin', 'chartkit.js'), command, ...args], { cwd: repoRoot, reject: false }).then((result) => ({
      exitCode: result.exitCode ?? -1,
      stdout: result.stdout,
      stderr: result.stderr,
    }));
    runs.set(key, run);
  }
  return run;
}

/** `chartkit verify <args>` through the real executable, once per argument list. */
export const cliVerify = (args: readonly string[]): Promise<CliRun> => cliRun('verify', args);
