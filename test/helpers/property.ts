// The property-based test of a chart's values. Cases come from the chart's own values.schema.json
// (valid overrides of its defaults, and mutations of the bad-value classes, see values-arbitrary.ts),
// drawn with a fixed seed. Each case is rendered with Helm 3 and Helm 4 and must either be refused
// by both with a message naming a values path, or render on both objects that pass the models'
// validation, the strict unknown-field check and the API server's own rules. The first failing
// cases are printed with the seed and the command that replays one alone.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, it, expect, beforeAll } from 'vitest';
import yaml from 'js-yaml';
import { repoRoot } from '../../generator/paths.mjs';
import { checkApiRules } from '../../generator/checks/api-rules.js';
import { ENVIRONMENTS, type Environment } from '../../values-schemas/common/global.js';
import { errorPaths, helmTemplate, parseManifests, type RenderOptions } from './helm.js';
import { writeValuesFile } from './kubernetes-yaml.js';
import { toModels, type KubeObject } from './models.js';
import { describeObject } from '../../generator/checks/object.js';
import { strictFindings } from './strict.js';
import { HELM_MAJORS } from './tools.js';
import {
  describeCase,
  mutationArbitrary,
  overridesArbitrary,
  overridesToValues,
  type JsonSchema,
  type Mutation,
  type MutationClass,
  type Override,
} from './values-arbitrary.js';

/** The seed of every run unless `CHARTKIT_PROPERTY_SEED` says otherwise. */
export const PROPERTY_SEED = 20261201;

/** What a property run needs to know about its chart. */
export interface PropertyChart {
  /** Chart folder below `charts/`. */
  readonly chart: string;
  /** Render options of the chart in an environment (values overlay, API versions). */
  readonly render: (helm: (typeof HELM_MAJORS)[number], environment: Environment) => RenderOptions;
  /** Cases to draw. */
  readonly runs: number;
}

/** How one case ended. */
export type Outcome = 'rejected' | 'rendered' | 'failed';

/** One case and how it ended. */
export interface CaseResult {
  readonly index: number;
  readonly environment: Environment;
  readonly overrides: ReadonlyArray<Override | Mutation>;
  readonly outcome: Outcome;
  /** For `failed`: what went wrong; for `rejected`: the values paths named. */
  readonly detail: string;
  /** The rendered objects of both Helm versions, for the batched strict check. */
  readonly objects?: readonly KubeObject[];
}

/** The tally of a run, per outcome and per mutation class. */
export interface PropertySummary {
  readonly chart: string;
  readonly seed: number;
  readonly cases: number;
  readonly rejected: number;
  readonly rendered: number;
  readonly failed: number;
  /** Per mutation class: [rejected, rendered, failed]; `valid` counts cases without a mutation. */
  readonly byClass: Record<string, [number, number, number]>;
}

const OUTCOME_INDEX: Record<Outcome, 0 | 1 | 2> = { rejected: 0, rendered: 1, failed: 2 };

/**
 * The values paths a Helm error names, as paths of the values file the user gave `chart`: the
 * schema's paths (both Helm versions' forms; a subchart's schema errors come under a `<subchart>:`
 * heading and are prefixed with it) and the path a template guard's message starts with
 * (`execution error at (…): services.x.ports: …`).
 */
export function namedValuesPaths(stderr: string, chart: string): string[] {
  const paths: string[] = [];
  let heading = chart;
  for (const line of stderr.split('\n')) {
    const section = /^([a-z0-9][-a-z0-9]*):$/.exec(line);
    if (section) {
      heading = section[1]!;
      continue;
    }
    for (const path of errorPaths(line)) paths.push(heading === chart || path === '(root)' ? path : `${heading}.${path}`);
  }
  for (const match of stderr.matchAll(/execution error at \([^)]*\): ([A-Za-z][^\s:(]*)/g)) paths.push(match[1]!);
  return paths;
}

/** Whether a named path lies in the chart's values: its first segment is a top-level key (or the root). */
function isValuesPath(named: string, topLevel: ReadonlySet<string>): boolean {
  return named === '(root)' || topLevel.has(named.split('.')[0]!);
}

function drawCases(schema: JsonSchema, defaults: unknown, seed: number, runs: number): Array<ReadonlyArray<Override | Mutation>> {
  const valid = overridesArbitrary(schema, defaults);
  const mutated = fc
    .tuple(overridesArbitrary(schema, defaults, { maxLeaves: 2 }), mutationArbitrary(schema, defaults))
    .map(([overrides, mutation]) => [...overrides, mutation]);
  // Two in three cases carry a mutation: the bad-value classes are what the property is about.
  const arbitrary = fc.oneof({ arbitrary: valid, weight: 1 }, { arbitrary: mutated, weight: 2 });
  return fc.sample(arbitrary, { seed, numRuns: runs });
}

async function judge(chart: PropertyChart, index: number, overrides: ReadonlyArray<Override | Mutation>, topLevel: ReadonlySet<string>): Promise<CaseResult> {
  const environment = ENVIRONMENTS[index % ENVIRONMENTS.length]!;
  const file = writeValuesFile(`${chart.chart}-case-${index}`, overridesToValues(overrides));
  const base = { index, environment, overrides };
  const outputs = await Promise.all(
    HELM_MAJORS.map(async (helm) => {
      const options = chart.render(helm, environment);
      return { helm, output: await helmTemplate({ ...options, values: [...(options.values ?? []), file] }) };
    }),
  );
  const refused = outputs.filter(({ output }) => !output.ok);
  if (refused.length > 0 && refused.length < outputs.length) {
    return {
      ...base,
      outcome: 'failed',
      detail: `Helm ${refused.map(({ helm }) => helm).join(', ')} refused what the other rendered:\n${refused[0]!.output.stderr}`,
    };
  }
  if (refused.length > 0) {
    for (const { helm, output } of refused) {
      const named = namedValuesPaths(output.stderr, chart.chart).filter((candidate) => isValuesPath(candidate, topLevel));
      if (named.length === 0) return { ...base, outcome: 'failed', detail: `Helm ${helm} refused it without naming a values path:\n${output.stderr}` };
    }
    return { ...base, outcome: 'rejected', detail: namedValuesPaths(refused[0]!.output.stderr, chart.chart).join(', ') };
  }
  const objects: KubeObject[] = [];
  for (const { helm, output } of outputs) {
    let rendered: KubeObject[];
    try {
      rendered = await toModels(parseManifests(output.stdout));
    } catch (error) {
      return { ...base, outcome: 'failed', detail: `Helm ${helm}'s render does not pass the models: ${(error as Error).message}` };
    }
    const violations = checkApiRules(rendered);
    if (violations.length > 0) {
      return {
        ...base,
        outcome: 'failed',
        detail: `Helm ${helm}'s render breaks the API server's rules:\n${violations.map((v) => `  ${v.object} ${v.field}: ${v.message}`).join('\n')}`,
      };
    }
    objects.push(...rendered);
  }
  return { ...base, outcome: 'rendered', detail: `${objects.length / outputs.length} objects`, objects };
}

/**
 * Draws the cases of a chart, judges each on Helm 3 and 4 (concurrently, as the harness allows),
 * strict-checks every rendered object in one program, and returns every case's result with the
 * tally. `CHARTKIT_PROPERTY_SEED` and `CHARTKIT_PROPERTY_CASE` (one index) replay a run or a case.
 */
export async function runValuesProperty(chart: PropertyChart): Promise<{ results: CaseResult[]; summary: PropertySummary }> {
  const dir = path.join(repoRoot, 'charts', chart.chart);
  const schema = JSON.parse(readFileSync(path.join(dir, 'values.schema.json'), 'utf8')) as JsonSchema;
  const defaults = yaml.load(readFileSync(path.join(dir, 'values.yaml'), 'utf8'));
  const seed = Number(process.env['CHARTKIT_PROPERTY_SEED'] ?? PROPERTY_SEED);
  const only = process.env['CHARTKIT_PROPERTY_CASE'];
  const topLevel = new Set(Object.keys(schema.properties ?? {}));

  const cases = drawCases(schema, defaults, seed, chart.runs);
  const chosen = only === undefined ? cases.map((overrides, index) => ({ overrides, index })) : [{ overrides: cases[Number(only)]!, index: Number(only) }];
  let results = await Promise.all(chosen.map(({ overrides, index }) => judge(chart, index, overrides, topLevel)));

  // One strict program for every rendered object; a finding fails the first case that rendered that object.
  const rendered = results.filter((result) => result.outcome === 'rendered');
  const findings = strictFindings(rendered.flatMap((result) => result.objects ?? []));
  const failedBy = new Map<number, string[]>();
  for (const finding of findings) {
    const owner = rendered.find((result) => result.objects?.some((object) => describeObject(object) === finding.object));
    const key = owner?.index ?? -1;
    failedBy.set(key, [...(failedBy.get(key) ?? []), `${finding.object}: ${finding.message}`]);
  }
  // A finding no case owns (the check program itself failed) must not vanish: it fails the run.
  if (failedBy.has(-1)) throw new Error(`the strict model check failed outside any case:\n  ${failedBy.get(-1)!.join('\n  ')}`);
  results = results.map((result) =>
    failedBy.has(result.index)
      ? { ...result, outcome: 'failed' as const, detail: `strict model check:\n  ${failedBy.get(result.index)!.join('\n  ')}` }
      : result,
  );

  const byClass: Record<string, [number, number, number]> = {};
  for (const result of results) {
    const mutation = result.overrides.find((override): override is Mutation => 'class' in override);
    const key: MutationClass | 'valid' = mutation?.class ?? 'valid';
    byClass[key] ??= [0, 0, 0];
    byClass[key][OUTCOME_INDEX[result.outcome]] += 1;
  }
  const count = (outcome: Outcome) => results.filter((result) => result.outcome === outcome).length;
  const summary: PropertySummary = {
    chart: chart.chart,
    seed,
    cases: results.length,
    rejected: count('rejected'),
    rendered: count('rendered'),
    failed: count('failed'),
    byClass,
  };
  mkdirSync(path.join(repoRoot, '.cache'), { recursive: true });
  writeFileSync(path.join(repoRoot, '.cache', `property-${chart.chart}.json`), `${JSON.stringify(summary, null, 2)}\n`);
  return { results: results.map(({ objects: _objects, ...rest }) => rest), summary };
}

/** The failing cases, each with its seed, index, values and the command that replays it alone. */
export function describeFailures(chart: string, results: readonly CaseResult[], seed: number, limit = 5): string {
  const failed = results.filter((result) => result.outcome === 'failed');
  return failed
    .slice(0, limit)
    .map(
      (result) =>
        `case ${result.index} (${result.environment}) — replay: CHARTKIT_PROPERTY_SEED=${seed} CHARTKIT_PROPERTY_CASE=${result.index} npx vitest run test/${chart}/properties.test.ts\n` +
        `${describeCase({ chart, seed, overrides: result.overrides })}\n${result.detail}`,
    )
    .concat(failed.length > limit ? [`… and ${failed.length - limit} more`] : [])
    .join('\n\n');
}

/** One line of the tally, for the test log and the closing note. */
export function formatSummary(summary: PropertySummary): string {
  const classes = Object.entries(summary.byClass)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, [rejected, rendered, failed]]) => `${name} ${rejected}/${rendered}/${failed}`)
    .join(', ');
  return `${summary.chart}: ${summary.cases} cases (seed ${summary.seed}): ${summary.rejected} rejected with a values path, ${summary.rendered} rendered clean, ${summary.failed} failed; by class (rejected/rendered/failed): ${classes}`;
}

/**
 * The property test of one chart as a vitest suite: draws `runs` cases with the fixed seed, judges
 * them on Helm 3 and 4, logs the tally, and asserts that no case failed and that both outcomes
 * occurred (a property every case passes the same way checks nothing).
 */
export function describeValuesProperty(chart: PropertyChart): void {
  describe(`${chart.chart} values, drawn from its schema`, () => {
    let results: CaseResult[];
    let summary: PropertySummary;
    beforeAll(async () => {
      // GIVEN cases from the chart's schema with a fixed seed, WHEN each renders on Helm 3 and 4
      ({ results, summary } = await runValuesProperty(chart));
      console.info(formatSummary(summary));
    }, 240_000);

    it('should refuse each case naming a values path, or render it clean', () => {
      // THEN no case renders a broken object or fails without a path
      expect(summary.failed, describeFailures(chart.chart, results, summary.seed)).toBe(0);
    });

    it('should exercise both outcomes: the property is not vacuous', () => {
      expect(summary.rejected).toBeGreaterThan(summary.cases / 10);
      expect(summary.rendered).toBeGreaterThan(summary.cases / 10);
    });
  });
}
