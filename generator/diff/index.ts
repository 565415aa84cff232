/**
 * `chartkit diff`: what upgrading a chart from an older version to this one does, offline. The old
 * version comes from a git ref of this repository (its committed chart) or a directory; both are
 * rendered with the same environment overlay (each its own) and the same user values, into a
 * cluster with every API the charts expect, and compared (./compare.ts).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import yaml from 'js-yaml';
import { UserError } from '../errors.js';
import { valuesPathsOf } from '../helm-errors.js';
import { chartNames } from '../index.js';
import { clusterApiVersions, scenarioRenders, templateArgs } from '../scenarios.js';
import { resolveHelm } from '../toolchain.js';
import type { VerifyInputs } from '../verify/render.js';
import type { KubeObject } from '../checks/object.js';
import { isMap } from '../../values-schemas/common/merge.js';
import { compareRenders, type DiffFinding } from './compare.js';

export { compareRenders, identityOf, type DiffFinding } from './compare.js';

/** The inputs of {@link diff}: the platform inputs verify takes, plus which versions to compare. */
export interface DiffOptions extends VerifyInputs {
  readonly chart: string;
  /** A git ref of this repository, or a chart directory. */
  readonly from: string;
  /** The chart directory to compare with. @default charts/<chart> */
  readonly to?: string;
}

/** The result: what the upgrade does, and where the old version came from. */
export interface DiffReport {
  readonly chart: string;
  readonly from: string;
  readonly environment: string;
  readonly findings: readonly DiffFinding[];
  readonly breaking: number;
}

/** Charts whose render needs their upstream dependencies assembled: not diffable from a plain folder yet. */
const ASSEMBLED = new Set(['observability']);

/** The old chart's folder: the directory itself, or the chart as committed at a git ref, checked out into `scratch`. */
async function oldChart(root: string, chart: string, from: string, scratch: string): Promise<string> {
  if (from.startsWith('oci://'))
    throw new UserError(`--from ${from}: diffing against a registry is not supported yet; pull the chart (helm pull --untar) and pass its directory`, 2);
  if (existsSync(path.join(from, 'Chart.yaml'))) return path.resolve(from);
  const commit = await execa('git', ['-C', root, 'rev-parse', '--verify', '--quiet', `${from}^{commit}`], { reject: false });
  if (commit.exitCode !== 0) throw new UserError(`--from ${from}: neither a chart directory nor a git ref of this repository`, 2);
  const archive = await execa('git', ['-C', root, 'archive', '--format=tar', commit.stdout.trim(), `charts/${chart}`], { reject: false, encoding: 'buffer' });
  if (archive.exitCode !== 0) throw new UserError(`--from ${from}: charts/${chart} is not in that commit`, 2);
  await execa('tar', ['-x', '-C', scratch], { input: archive.stdout });
  return path.join(scratch, 'charts', chart);
}

/** `helm template` of one side. A render failure is the user's (values the chart refuses): it is reported with its paths. */
async function render(options: DiffOptions, dir: string, side: string): Promise<KubeObject[]> {
  const scenario = scenarioRenders([options.chart]).find((candidate) => candidate.scenario === options.environment);
  const overlay = path.join(dir, `values-${options.environment}.yaml`);
  const args = templateArgs({
    release: options.chart,
    chart: dir,
    namespace: scenario?.namespace ?? 'default',
    values: [...(existsSync(overlay) ? [overlay] : []), ...options.files],
    set: options.set,
    apiVersions: clusterApiVersions(),
  });
  const result = await execa(resolveHelm(options.helm), args, { reject: false });
  if (result.exitCode !== 0) {
    const paths = valuesPathsOf(result.stderr);
    throw new UserError(
      `the ${side} version of ${options.chart} does not render with these values${paths.length ? ` (${paths.join(', ')})` : ''}: ${result.stderr.trim().split('\n')[0]}`,
      2,
    );
  }
  return yaml.loadAll(result.stdout).filter(isMap) as unknown as KubeObject[];
}

/** Renders both versions and compares them. */
export async function diff(root: string, options: DiffOptions): Promise<DiffReport> {
  if (!chartNames().includes(options.chart)) throw new UserError(`unknown chart ${options.chart}: choose from ${chartNames().join(', ')}`, 2);
  if (ASSEMBLED.has(options.chart))
    throw new UserError(`${options.chart}: diffing the umbrella of upstream charts is not supported yet; diff observability-platform, its own chart`, 2);
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'chartkit-diff-'));
  try {
    const before = await oldChart(root, options.chart, options.from, scratch);
    const after = path.resolve(options.to ?? path.join(root, 'charts', options.chart));
    // Each side renders with its own overlay; one without it would be compared under other values.
    const overlay = `values-${options.environment}.yaml`;
    const missing = [before, after].filter((dir) => !existsSync(path.join(dir, overlay)));
    if (missing.length === 1) throw new UserError(`${missing[0]} has no ${overlay}: the two versions would render with different values`, 2);
    const [old, next] = await Promise.all([render(options, before, 'old'), render(options, after, 'new')]);
    const findings = compareRenders(old, next);
    return {
      chart: options.chart,
      from: options.from,
      environment: options.environment,
      findings,
      breaking: findings.filter((finding) => finding.severity === 'breaking').length,
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The report as text: one line per finding, breaking first, then a verdict. */
export function formatDiff(report: DiffReport): string {
  const lines = [`chartkit diff ${report.chart}: ${report.from} → this version, ${report.environment}`];
  for (const finding of report.findings) lines.push(`${finding.severity}: ${finding.object}${finding.field ? ` [${finding.field}]` : ''}: ${finding.reason}`);
  lines.push(report.findings.length === 0 ? 'no change' : `${report.breaking} breaking, ${report.findings.length - report.breaking} safe`);
  return lines.join('\n');
}
