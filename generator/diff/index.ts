/**
 * `chartkit diff`: what upgrading a chart from an older version to this one does, offline. The old
 * version comes from a git ref of this repository (its committed chart), a directory, or a registry
 * (pulled by the command into a directory); both are
 * rendered with the same environment overlay (each its own) and the same user values, into a
 * cluster with every API the charts expect, and compared (./compare.ts).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '../errors.js';
import { valuesPathsOf } from '../helm-errors.js';
import yaml from 'js-yaml';
import { chartModules, chartNames } from '../index.js';
import { scenarioRenders } from '../scenarios.js';
import type { VerifyInputs } from '../verify/render.js';
import { isMap } from '../../values-schemas/common/merge.js';
import { compareRenders, type DiffFinding } from './compare.js';
import { chartAtCommit, commitOf, lockAtCommit, renderableChart, renderSide } from './sides.js';
import type { UpstreamLock } from '../../values-schemas/platform/locked.js';
import { renderingValuesFiles, schemaRemovals, setKeys, userValues, userValuesFindings, valuesSide } from './values.js';

export { compareRenders, identityOf, type DiffFinding } from './compare.js';

/** The inputs of {@link diff}: the platform inputs verify takes, plus which versions to compare. */
export interface DiffOptions extends VerifyInputs {
  readonly chart: string;
  /** A git ref of this repository, or a chart directory. */
  readonly from: string;
  /** What the report calls the old version (`oci://…@1.2.0` for a pulled one). @default from */
  readonly fromLabel?: string;
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

/**
 * The old chart's folder: the directory itself, or the chart as committed at a git ref, extracted
 * into `scratch`, with the upstream lock of that commit (its pins' digests).
 */
async function oldChart(root: string, chart: string, from: string, scratch: string): Promise<{ dir: string; lock?: UpstreamLock }> {
  if (existsSync(path.join(from, 'Chart.yaml'))) return { dir: path.resolve(from) };
  const commit = await commitOf(root, from);
  if (!commit) throw new UserError(`--from ${from}: neither a chart directory nor a git ref of this repository`, 2);
  const dir = await chartAtCommit(root, commit, chart, scratch);
  if (!dir) throw new UserError(`--from ${from}: charts/${chart} is not in that commit`, 2);
  const lock = await lockAtCommit(root, commit);
  return { dir, ...(lock ? { lock } : {}) };
}

/** One side's render with the environment's overlay (when it has one) beneath the given values. */
function renderer(options: DiffOptions) {
  const scenario = scenarioRenders([options.chart]).find((candidate) => candidate.scenario === options.environment);
  return (dir: string, values: readonly string[], set: readonly string[], upgrade = false) => {
    const overlay = path.join(dir, `values-${options.environment}.yaml`);
    return renderSide(dir, {
      helm: options.helm,
      release: options.chart,
      namespace: scenario?.namespace ?? 'default',
      values: [...(existsSync(overlay) ? [overlay] : []), ...values],
      set,
      upgrade,
    });
  };
}

/** The message of a version that does not render with the user's values, with the values paths Helm names. */
function refusal(side: string, chart: string, error: string): string {
  const paths = valuesPathsOf(error);
  return `the ${side} version of ${chart} does not render with these values${paths.length ? ` (${paths.join(', ')})` : ''}: ${error.split('\n')[0]}`;
}

/**
 * A key the new schema stops accepting breaks the chart's users, but not this upgrade when these
 * values do not set it (the version rule still counts it, for every user): then it is `safe`.
 */
function forTheseValues(finding: DiffFinding, values: Record<string, unknown>): DiffFinding {
  const field = (finding.field ?? '').replace(/\[\]/g, '');
  const pattern = new RegExp(
    `^${field
      .split('.')
      .map((key) => (key === '*' ? '[^.]+' : key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('\\.')}(\\.|$)`,
  );
  const set = setKeys(values).some((key) => pattern.test(key) || pattern.test(`${key}.`) || field.startsWith(`${key}.`));
  return set ? finding : { ...finding, severity: 'safe', reason: `${finding.reason} (these values do not set it)` };
}

const bySeverity = (a: DiffFinding, b: DiffFinding) => (a.severity === b.severity ? a.object.localeCompare(b.object) : a.severity === 'breaking' ? -1 : 1);

/**
 * Renders both versions and compares them: the objects (./compare.ts), the values schema
 * (keys it stops accepting) and the user's values (keys the new version rejects or no longer
 * reads, ./values.ts). A new version that refuses the user's values is a breaking finding; an old
 * one that does is the user's error (there is nothing to upgrade from).
 */
export async function diff(root: string, options: DiffOptions): Promise<DiffReport> {
  if (!chartNames().includes(options.chart)) throw new UserError(`unknown chart ${options.chart}: choose from ${chartNames().join(', ')}`, 2);
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'chartkit-diff-'));
  try {
    const { dir: before, lock } = await oldChart(root, options.chart, options.from, scratch);
    const after = path.resolve(options.to ?? path.join(root, 'charts', options.chart));
    // Each side renders with its own overlay; one without it would be compared under other values.
    const overlay = `values-${options.environment}.yaml`;
    const missing = [before, after].filter((dir) => !existsSync(path.join(dir, overlay)));
    if (missing.length === 1) throw new UserError(`${missing[0]} has no ${overlay}: the two versions would render with different values`, 2);
    const [oldDir, newDir] = await Promise.all([renderableChart(root, before, scratch, lock), renderableChart(root, after, scratch)]);
    const render = renderer(options);
    const [old, next] = await Promise.all([render(oldDir, options.files, options.set), render(newDir, options.files, options.set, true)]);
    if (!old.ok) throw new UserError(refusal('old', options.chart, old.error), 2);
    const migrations = chartModules.find((module) => module.name === options.chart)?.migrations ?? [];
    const [oldValues, newValues] = [valuesSide(before, options.environment), valuesSide(after, options.environment)];
    const documents = options.files.map((file) => {
      const parsed = yaml.load(readFileSync(file, 'utf8'));
      return isMap(parsed) ? parsed : {};
    });
    const given = userValues(documents, options.set);
    const valueFindings = await userValuesFindings({
      old: { ...oldValues, dir: oldDir },
      next: { ...newValues, dir: newDir },
      values: given,
      migrations,
      render: renderingValuesFiles(scratch, (dir, file) => render(dir, [file], [])),
    });
    // A refusal the user's keys explain is said by their findings; one they do not is said as Helm says it.
    const refused =
      next.ok || valueFindings.length > 0 ? [] : [{ severity: 'breaking' as const, object: 'values', reason: refusal('new', options.chart, next.error) }];
    const findings = [
      ...(next.ok ? compareRenders(old.objects, next.objects) : refused),
      ...schemaRemovals(oldValues.schema, newValues.schema, migrations).map((finding) => forTheseValues(finding, given)),
      ...valueFindings,
    ].sort(bySeverity);
    return {
      chart: options.chart,
      from: options.fromLabel ?? options.from,
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
