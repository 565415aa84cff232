// The one table of bad values: each case renders through the harness on every Helm version, must
// be refused, and the error must name the values path to edit (the schema's path, or the path a
// template guard's `fail` message starts with), and say what the case says it must.
import { describe, it, expect } from 'vitest';
import { errorPaths, renderError, type RenderOptions } from './helm.js';
import { writeValuesFile } from './kubernetes-yaml.js';
import { hashKey } from './cache.js';
import { HELM_MAJORS, type HelmMajor } from './tools.js';

/** One bad-values case. */
export interface RejectedValues {
  /** What is wrong, as the test's name says it (`a port out of range`). */
  readonly name: string;
  /** `--set` pairs, after the base's. */
  readonly set?: readonly string[];
  /** `--set-string` pairs, after the base's. */
  readonly setString?: readonly string[];
  /** Values files after the base's: a path (relative to the chart, or absolute), or values written to a file. */
  readonly values?: ReadonlyArray<string | Readonly<Record<string, unknown>>>;
  /** Other render options of this case (another environment's values files, the release namespace, the cluster's APIs). */
  readonly render?: Partial<Omit<RenderOptions, 'chart' | 'helm'>>;
  /** The values path the error must name, dotted as {@link errorPaths} gives it (`(root)` for the top level). */
  readonly path: string;
  /** Text (or a pattern) the error must also contain: the unknown key, the rule that was broken. */
  readonly message?: string | RegExp;
}

/**
 * The values paths a Helm error names: the schema's, in dotted form (both Helm versions), and the
 * path each template guard's message starts with (`execution error at (…): services.x.ports: …`).
 */
export function rejectedPaths(stderr: string): string[] {
  const guards = [...stderr.matchAll(/execution error at \([^)]*\): ([A-Za-z][^\s:(]*)/g)].map((match) => match[1]!);
  return [...new Set([...errorPaths(stderr), ...guards])];
}

/** The render options of one case: the base with the case's values, flags and options applied. */
export function rejectedRender(base: RenderOptions, bad: RejectedValues): RenderOptions {
  const files = (bad.values ?? []).map((entry) => (typeof entry === 'string' ? entry : writeValuesFile(`rejected-${hashKey(entry)}`, entry)));
  const options = { ...base, ...bad.render };
  return {
    ...options,
    values: [...(options.values ?? []), ...files],
    set: [...(options.set ?? []), ...(bad.set ?? [])],
    setString: [...(options.setString ?? []), ...(bad.setString ?? [])],
  };
}

/**
 * Declares, for each Helm version, a test per case: GIVEN the base render options with the case's
 * mistake, WHEN rendered through the harness, THEN Helm refuses, naming the case's values path
 * (and its message, when the case gives one).
 */
export function describeRejectedValues(title: string, base: (helm: HelmMajor) => RenderOptions, cases: readonly RejectedValues[]): void {
  describe.each(HELM_MAJORS)(`${title} on Helm %i`, (helm) => {
    for (const bad of cases) {
      it(`should refuse ${bad.name}, naming ${bad.path}`, async () => {
        // GIVEN the base values with one mistake, WHEN rendered
        const stderr = await renderError(rejectedRender(base(helm), bad));
        // THEN the error names the values path to edit
        expect(rejectedPaths(stderr), stderr).toContain(bad.path);
        // AND says what is wrong, where the case says what
        if (typeof bad.message === 'string') expect(stderr).toContain(bad.message);
        else if (bad.message) expect(stderr).toMatch(bad.message);
      });
    }
  });
}
