/**
 * `chartkit lint`: renders every chart with `helm template` and lints it with `helm lint --strict`,
 * on Helm 3 and 4, in every CI scenario (`charts/<chart>/ci/`, or with the given values), and fails on anything either
 * reports. `helm lint` alone is not enough: it renders leniently and turns a template's `fail`
 * (the charts' guards) into an `[INFO]` line with exit code 0.
 */
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { UserError } from '../errors.js';
import { chartNames } from '../index.js';
import { resolveHelm, type HelmMajor } from '../toolchain.js';
import { ensureUpstream } from '../upstream/cache.js';
import { OBSERVABILITY_PINS } from '../../values-schemas/platform/pins.js';
import { assembleUmbrella, UMBRELLA } from '../upstream/umbrella.js';
import { clusterApiVersions, scenarioRenders, templateArgs } from '../scenarios.js';
import { inParallel } from '../parallel.js';

/** Options for {@link lint}. */
export interface LintOptions {
  readonly root: string;
  /** Charts to lint. @default every chart */
  readonly charts?: readonly string[];
  /** Values files instead of the CI scenarios. @default one run per CI scenario */
  readonly values?: readonly string[];
  /** `--set` pairs for every run. */
  readonly set?: readonly string[];
  /** Helm versions. @default [3, 4] */
  readonly helm?: readonly HelmMajor[];
  /** A line per run. */
  readonly log?: (line: string) => void;
}

/** One lint run's verdict. */
export interface LintRun {
  readonly chart: string;
  readonly helm: HelmMajor;
  readonly values: string;
  readonly problems: readonly string[];
}

/**
 * `--set` pairs for `helm lint` only: it cannot be told the cluster's APIs (no `--api-versions`), so
 * the charts' capability guards are switched off there (the one flag every chart and umbrella
 * accepts), to let lint reach the templates behind them; the `helm template` run of the same
 * inputs keeps the guards, with the APIs given.
 */
export const LINT_ONLY_SETS: readonly string[] = ['global.skipCapabilityCheck=true'];

/** What `helm lint` printed that is a problem: errors, warnings, and templates that failed. */
export function lintProblems(output: string): string[] {
  return output
    .split('\n')
    .filter((line) => /\[(ERROR|WARNING)\]|msg="funcMap fail"|^Error: /.test(line))
    .map((line) => line.trim());
}

/** One `helm template` and one `helm lint --strict` of a chart with one set of values; returns their problems. */
async function lintOnce(run: {
  chart: string;
  dir: string;
  helm: HelmMajor;
  values: readonly string[];
  namespace: string;
  set: readonly string[];
}): Promise<string[]> {
  const flags = [...run.values.flatMap((file) => ['--values', file]), ...run.set.flatMap((pair) => ['--set', pair]), '--namespace', run.namespace];
  const bin = resolveHelm(run.helm);
  const [rendered, linted] = await Promise.all([
    execa(
      bin,
      templateArgs({ release: run.chart, chart: run.dir, namespace: run.namespace, values: run.values, set: run.set, apiVersions: clusterApiVersions() }),
      { reject: false },
    ),
    execa(bin, ['lint', '--strict', run.dir, ...flags, ...LINT_ONLY_SETS.flatMap((pair) => ['--set', pair])], { reject: false }),
  ]);
  const lintLines = lintProblems(`${linted.stdout}\n${linted.stderr}`);
  // A failed lint that printed no recognisable line still fails, by its exit code.
  if (linted.exitCode !== 0 && lintLines.length === 0) lintLines.push(`exit code ${linted.exitCode}`);
  return [
    ...(rendered.exitCode === 0
      ? []
      : rendered.stderr
          .split('\n')
          .filter((line) => line.trim())
          .map((line) => `template: ${line.trim()}`)),
    ...lintLines.map((line) => `lint: ${line}`),
  ];
}

/** Lints the charts; returns every run, and throws a {@link UserError} listing the failed ones. */
export async function lint(options: LintOptions): Promise<LintRun[]> {
  const known = chartNames();
  const charts = options.charts?.length ? options.charts : known;
  const unknown = charts.filter((chart) => !known.includes(chart));
  if (unknown.length > 0) throw new UserError(`unknown chart ${unknown.join(', ')}: choose from ${known.join(', ')}`);
  for (const file of options.values ?? []) if (!existsSync(file)) throw new UserError(`-f ${file}: no such file`);
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'chartkit-lint-'));
  const runs: LintRun[] = [];
  try {
    const tasks: Array<() => Promise<LintRun>> = [];
    for (const chart of charts) {
      let dir = path.join(options.root, 'charts', chart);
      if (chart === UMBRELLA) {
        // With its real pinned dependencies from the verified cache (mirror or network).
        await ensureUpstream({ root: options.root, pins: OBSERVABILITY_PINS });
        dir = assembleUmbrella(options.root, scratch);
      }
      // The given values in the chart's default namespace, or each CI scenario in its own.
      const valueSets = options.values?.length
        ? [{ values: [...options.values], namespace: scenarioRenders([chart])[0]!.namespace }]
        : scenarioRenders([chart]).map((render) => ({ values: [path.join(options.root, render.valuesFile)], namespace: render.namespace }));
      for (const helm of options.helm ?? [3, 4]) {
        for (const { values, namespace } of valueSets) {
          const label = values.map((file) => path.basename(file)).join(', ');
          tasks.push(async () => {
            const problems = await lintOnce({ chart, dir, helm, values, namespace, set: options.set ?? [] });
            options.log?.(`lint: ${chart} (${label}, Helm ${helm}): ${problems.length === 0 ? 'ok' : `${problems.length} problem(s)`}`);
            return { chart, helm, values: label, problems };
          });
        }
      }
    }
    // Independent helm processes: as many at once as there are cores, reported in declaration order.
    runs.push(...(await inParallel(tasks, os.availableParallelism())));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const failed = runs.filter((run) => run.problems.length > 0);
  if (failed.length > 0) {
    throw new UserError(
      `lint failed:\n${failed.map((run) => `  ${run.chart} (${run.values}, Helm ${run.helm}):\n${run.problems.map((problem) => `    ${problem}`).join('\n')}`).join('\n')}`,
    );
  }
  return runs;
}

/** What the CLI prints after a clean {@link lint} (a failed one has thrown). */
export function lintReport(runs: readonly LintRun[]): string {
  return `chartkit: ${runs.length} lint runs clean (helm template and helm lint --strict)`;
}
