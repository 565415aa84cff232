/** The `generate` command: render charts, then write them or check `charts/` for drift. */
import path from 'node:path';
import { chartModules, chartNames, renderCharts } from '../index.js';
import { readChartAssets, readReleases, writeCharts, findDrift, type Drift } from '../files.js';
import { UserError } from '../errors.js';
import { REGENERATE_COMMAND } from '../emit/header.js';
import { baseRef, findVersionViolations, gitBaseline, versionViolationMessage } from '../versioning/rule.js';
import { repoRoot } from '../paths.mjs';
import { breakageMessage, findBreakage, type ChartBreakage } from '../versioning/breakage.js';

/** Options for {@link generate}. */
export interface GenerateOptions {
  /** Repository root holding `generator/` and `charts/`. @default the repository this module is in */
  readonly root?: string;
  /** Compare with `charts/` instead of writing. @default false */
  readonly check?: boolean;
  /** Only these charts. @default every chart */
  readonly charts?: readonly string[];
}

/** What {@link generate} did. */
export interface GenerateResult {
  readonly charts: readonly string[];
  readonly files: number;
  /** Set in check mode. */
  readonly drift?: Drift;
  /**
   * Set in check mode: the git ref the version rule compared with, or undefined when there was
   * none to compare with (the rule was skipped, and the CLI says so).
   */
  readonly versionBase?: string;
  /** Set by {@link checkUpgrades}: the changed charts whose upgrade from the base ref was judged. */
  readonly upgrades?: readonly ChartBreakage[];
}

/**
 * Renders the charts and writes them below `charts/`, or, with `check`, reports drift and throws a
 * {@link UserError} naming the fix when there is any.
 */
export function generate(options: GenerateOptions = {}): GenerateResult {
  const root = options.root ?? repoRoot;
  const known = chartNames();
  const unknown = (options.charts ?? []).filter((chart) => !known.includes(chart));
  if (unknown.length > 0) throw new UserError(`unknown chart ${unknown.join(', ')}: choose from ${known.join(', ')}`);
  const modules = options.charts?.length ? chartModules.filter((module) => options.charts!.includes(module.name)) : chartModules;
  const charts = modules.map((module) => module.name);
  const generatorDir = path.join(root, 'generator');
  const files = renderCharts(modules, (chart) => readChartAssets(generatorDir, chart), readReleases(generatorDir));
  const chartsDir = path.join(root, 'charts');
  if (!options.check) {
    writeCharts(chartsDir, charts, files);
    return { charts, files: files.length };
  }
  const drift = findDrift(chartsDir, charts, files);
  const lines = [
    ...drift.missing.map((file) => `  missing: charts/${file}`),
    ...drift.extra.map((file) => `  extra:   charts/${file}`),
    ...drift.changed.map((file) => `  changed: charts/${file}`),
  ];
  // Drift first: until charts/ matches its source, a version verdict would judge stale files.
  if (lines.length > 0) {
    throw new UserError(
      `charts/ is out of date with its source (${lines.length} file(s)):\n${lines.join('\n')}\nRun \`${REGENERATE_COMMAND}\` and commit the result.`,
    );
  }
  // Versions are immutable: content that changed since the base ref needs a new version.
  const ref = baseRef(root);
  const violations = ref ? findVersionViolations(files, gitBaseline(root, ref)) : [];
  if (violations.length > 0) throw new UserError(versionViolationMessage(violations, ref!));
  return { charts, files: files.length, drift, ...(ref ? { versionBase: ref } : {}) };
}

/**
 * The second half of `generate --check`, after {@link generate}'s drift and version checks: the
 * upgrade from the base ref of every chart whose content changed, judged by rendering both (a
 * breaking change needs a major bump). Nothing to judge without a base ref.
 * @throws UserError listing the breaking findings and the bump that allows them
 */
export async function checkUpgrades(result: GenerateResult, root: string = repoRoot): Promise<GenerateResult> {
  if (!result.versionBase) return result;
  const upgrades = await findBreakage({ root, ref: result.versionBase, charts: result.charts });
  const violations = upgrades.filter((upgrade) => !upgrade.major && upgrade.findings.length > 0);
  if (violations.length > 0) throw new UserError(breakageMessage(violations, result.versionBase));
  return { ...result, upgrades };
}

/** What the CLI prints after {@link generate}: the files written, or the charts found up to date and what the version rule compared with. */
export function generateReport(result: GenerateResult, check: boolean): string[] {
  if (!check) return [`chartkit: wrote ${result.files} files for ${result.charts.join(', ')}`];
  return [
    `chartkit: ${result.charts.join(', ')} up to date (${result.files} files)`,
    result.versionBase
      ? `chartkit: versions checked against ${result.versionBase}`
      : 'chartkit: version rule skipped: no base to compare with (set CHARTKIT_BASE_REF=<ref>, or fetch origin/main)',
    ...(result.upgrades === undefined
      ? []
      : [
          result.upgrades.length === 0
            ? 'chartkit: upgrades: no chart changed since the base'
            : `chartkit: upgrades judged by rendering both versions: ${result.upgrades
                .map((upgrade) => `${upgrade.chart} ${upgrade.from} → ${upgrade.to} (${upgrade.major ? 'major' : 'no breaking change'})`)
                .join(', ')}`,
        ]),
  ];
}
