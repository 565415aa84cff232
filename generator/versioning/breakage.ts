/**
 * The version rule's second half: a chart whose content changed since the base ref may break an
 * upgrade only under a major bump. Each changed chart's CI scenarios are rendered as committed at
 * the base ref and as generated now, each side with its own scenario values, and compared the way
 * `chartkit diff` compares them; a breaking finding under a patch or minor bump (0.x included:
 * users of 0.4 upgrade to 0.5 as readily as to 0.4.1) is a violation. `chartkit bump` records the
 * findings in the new version's change log.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '../errors.js';
import { scenarioRenders } from '../scenarios.js';
import type { HelmMajor } from '../toolchain.js';
import { compareRenders, type DiffFinding } from '../diff/compare.js';
import { chartAtCommit, commitOf, lockAtCommit, renderableChart, renderSide } from '../diff/sides.js';
import { schemaRemovals, valuesSide } from '../diff/values.js';
import { chartModules } from '../index.js';
import type { ChartChange } from '../emit/chart-metadata.js';
import { gitBaseline, versionAndHash } from './rule.js';

/** A breaking finding, with the CI scenario whose render showed it. */
export interface ScenarioFinding extends DiffFinding {
  readonly scenario: string;
}

/** What the upgrade from the base ref's version of a chart to the current one breaks. */
export interface ChartBreakage {
  readonly chart: string;
  /** The version at the base ref. */
  readonly from: string;
  /** The version now. */
  readonly to: string;
  /** Whether `to` raises the major version of `from` (the only bump that may break). */
  readonly major: boolean;
  /** The scenarios (or, for a version from before them, the environments) whose renders were compared. */
  readonly compared: readonly string[];
  /** Breaking findings only, deduplicated across scenarios (the first scenario that showed each); none judged for a major bump unless asked. */
  readonly findings: readonly ScenarioFinding[];
}

const majorOf = (version: string) => Number(/^(\d+)\./.exec(version)?.[1] ?? Number.NaN);

/** Options for {@link findBreakage}. */
export interface BreakageOptions {
  readonly root: string;
  /** The git ref of the baseline. */
  readonly ref: string;
  /** The charts to judge. */
  readonly charts: readonly string[];
  /** Judge major bumps too (for `chartkit bump`, which records what breaks). @default false */
  readonly includeMajor?: boolean;
  /** @default 4 */
  readonly helm?: HelmMajor;
}

/**
 * For each of the charts whose content hash differs from the base ref's (new charts have nothing
 * to break), renders both sides of every CI scenario both have and compares them.
 * @throws UserError when a side does not render: the rule cannot be judged, so it does not pass
 */
export async function findBreakage(options: BreakageOptions): Promise<ChartBreakage[]> {
  const commit = await commitOf(options.root, options.ref);
  if (!commit) throw new UserError(`the version rule's base ${options.ref} names no commit here`);
  const baseline = gitBaseline(options.root, commit);
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'chartkit-breakage-'));
  const results: ChartBreakage[] = [];
  try {
    for (const chart of options.charts) {
      const then = baseline(chart);
      const nowDir = path.join(options.root, 'charts', chart);
      if (then === undefined || !existsSync(path.join(nowDir, 'Chart.yaml'))) continue;
      const [old, now] = [versionAndHash(then), versionAndHash(readFileSync(path.join(nowDir, 'Chart.yaml'), 'utf8'))];
      if (old.hash === now.hash) continue;
      const major = majorOf(now.version ?? '') > majorOf(old.version ?? '');
      if (major && !options.includeMajor) {
        results.push({ chart, from: old.version ?? '?', to: now.version ?? '?', major, compared: [], findings: [] });
        continue;
      }
      const oldDir = await chartAtCommit(options.root, commit, chart, scratch);
      if (!oldDir)
        throw new UserError(`version rule: charts/${chart} could not be extracted from ${options.ref} (git archive failed), so its upgrade cannot be judged`);
      const [before, after] = await Promise.all([
        lockAtCommit(options.root, commit).then((lock) => renderableChart(options.root, oldDir, scratch, lock)),
        renderableChart(options.root, nowDir, scratch),
      ]);
      const findings = new Map<string, ScenarioFinding>();
      const compare = async (scenario: string, valuesFile: string, release: string, namespace: string) => {
        const side = (dir: string, valuesDir: string, label: 'old' | 'new') =>
          renderSide(dir, { helm: options.helm ?? 4, release, namespace, values: [path.join(valuesDir, valuesFile)], set: [], upgrade: label === 'new' }).then(
            (rendered) => {
              if (rendered.ok) return rendered.objects;
              throw new UserError(
                `version rule: ${chart} ${label === 'old' ? `${old.version} at ${options.ref}` : now.version} does not render with ${valuesFile}, so its upgrade cannot be judged: ${rendered.error.split('\n')[0]}`,
              );
            },
          );
        const [a, b] = await Promise.all([side(before, oldDir, 'old'), side(after, nowDir, 'new')]);
        for (const finding of compareRenders(a, b)) {
          const key = `${finding.object}|${finding.field}|${finding.reason}`;
          if (finding.severity === 'breaking' && !findings.has(key)) findings.set(key, { ...finding, scenario });
        }
        compared.push(scenario);
      };
      const compared: string[] = [];
      const renders = scenarioRenders([chart]);
      for (const render of renders) {
        const valuesFile = path.relative(path.join('charts', chart), render.valuesFile);
        // A scenario the old version did not have has no old render to compare with.
        if (existsSync(path.join(oldDir, valuesFile))) await compare(render.scenario, valuesFile, render.release, render.namespace);
      }
      // A version from before the CI scenarios: its environment overlays are the renders both have.
      if (compared.length === 0) {
        for (const environment of ['dev', 'staging', 'prod']) {
          const overlay = `values-${environment}.yaml`;
          const home = renders.find((render) => render.scenario === environment) ?? renders[0];
          if (home && existsSync(path.join(oldDir, overlay)) && existsSync(path.join(nowDir, overlay)))
            await compare(environment, overlay, home.release, home.namespace);
        }
      }
      if (compared.length === 0)
        throw new UserError(
          `version rule: ${chart} ${old.version} at ${options.ref} has none of the CI scenarios' values files and no environment overlay, so its upgrade cannot be judged; compare with a later base (CHARTKIT_BASE_REF)`,
        );
      // A values key the new schema stops accepting breaks every values file that sets it, whatever the scenarios set.
      const migrations = chartModules.find((module) => module.name === chart)?.migrations ?? [];
      for (const finding of schemaRemovals(valuesSide(oldDir, 'prod').schema, valuesSide(nowDir, 'prod').schema, migrations))
        findings.set(`${finding.object}|${finding.field}|${finding.reason}`, { ...finding, scenario: 'values.schema.json' });
      results.push({ chart, from: old.version ?? '?', to: now.version ?? '?', major, compared, findings: [...findings.values()] });
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return results;
}

/** How many findings of one chart a message lists before it says how many more there are. */
const LISTED = 12;

/** The message of a violation: each chart's breaking findings under a non-major bump, and the bump that allows them. */
export function breakageMessage(violations: readonly ChartBreakage[], ref: string): string {
  const lines = [`breaking changes under a non-major version bump (compared with ${ref}); an upgrade that breaks needs a major version:`];
  for (const violation of violations) {
    lines.push(`  ${violation.chart} ${violation.from} → ${violation.to}:`);
    for (const finding of violation.findings.slice(0, LISTED))
      lines.push(`    breaking [${finding.scenario}]: ${finding.object}${finding.field ? ` [${finding.field}]` : ''}: ${finding.reason}`);
    if (violation.findings.length > LISTED)
      lines.push(`    … and ${violation.findings.length - LISTED} more (chartkit diff ${violation.chart} --from ${ref} lists them)`);
    lines.push(`    run \`npm run bump -- ${violation.chart} major --change "changed: …"\`, or keep the upgrade compatible`);
  }
  return lines.join('\n');
}

/** A change-log line names a few objects: the rest are in `chartkit diff`. */
const named = (objects: readonly string[]) => (objects.length <= 3 ? objects.join(', ') : `${objects.slice(0, 3).join(', ')} and ${objects.length - 3} more`);

/**
 * The change-log entries of a chart's breaking findings (`artifacthub.io/changes`): one per field
 * and reason, naming the first objects it concerns; kind `removed` for what the upgrade deletes,
 * `changed` for the rest.
 */
export function breakingChanges(findings: readonly DiffFinding[]): ChartChange[] {
  const groups = new Map<string, { kind: string; objects: string[]; field?: string; reason: string }>();
  for (const finding of findings.filter((candidate) => candidate.severity === 'breaking')) {
    const kind = finding.reason.startsWith('removed') || finding.reason.includes(' is removed') ? 'removed' : 'changed';
    const key = `${kind}|${finding.field}|${finding.reason}`;
    const group = groups.get(key) ?? { kind, objects: [], ...(finding.field ? { field: finding.field } : {}), reason: finding.reason };
    group.objects.push(finding.object);
    groups.set(key, group);
  }
  return [...groups.values()].map((group) => ({
    kind: group.kind,
    description: `breaking: ${named(group.objects)}${group.field ? ` [${group.field}]` : ''}: ${group.reason}`,
  }));
}
