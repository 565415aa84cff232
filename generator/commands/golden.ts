/**
 * `chartkit goldens`: renders every chart's CI scenarios with `helm template` and writes them to
 * `test/goldens/<chart>/<scenario>.yaml` (or, with `--check`, fails on any that differ). Helm 3
 * and Helm 4 must render each scenario byte for byte alike; a golden is written only then. The
 * golden tests compare the charts against these files, so a change in any rendered byte shows up
 * in review as a diff of the goldens.
 */
import { mkdtempSync, rmSync, readFileSync, writeFileSync, mkdirSync, existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { UserError } from '../errors.js';
import { chartNames } from '../index.js';
import { resolveHelm } from '../toolchain.js';
import { ensureUpstream } from '../upstream/cache.js';
import { OBSERVABILITY_PINS } from '../../values-schemas/platform/pins.js';
import { assembleUmbrella, UMBRELLA } from '../upstream/umbrella.js';
import { clusterApiVersions, scenarioRenders, scenarioTemplateArgs, type ScenarioRender } from '../scenarios.js';

/** Options for {@link goldens}. */
export interface GoldensOptions {
  readonly root: string;
  /** Charts whose goldens to render. @default every chart */
  readonly charts?: readonly string[];
  /** Compare instead of write. */
  readonly check?: boolean;
  /** A line per golden. */
  readonly log?: (line: string) => void;
}

/** The first line two texts differ on, for an error message. */
export function firstDifference(expected: string, actual: string): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  const line = a.findIndex((text, index) => text !== b[index]);
  const at = line === -1 ? a.length : line;
  return `line ${at + 1}: expected ${JSON.stringify(a[at] ?? '<end of file>')}, got ${JSON.stringify(b[at] ?? '<end of file>')}`;
}

/** Renders one scenario with both Helm versions; throws a {@link UserError} when either fails or they differ. */
async function renderBoth(root: string, render: ScenarioRender, chartDir: string): Promise<string> {
  const outputs: string[] = [];
  for (const helm of [3, 4] as const) {
    const result = await execa(resolveHelm(helm), scenarioTemplateArgs(root, render, chartDir, clusterApiVersions()), { reject: false });
    if (result.exitCode !== 0) throw new UserError(`${render.chart} ${render.scenario} (Helm ${helm}): helm template failed:\n${result.stderr}`);
    outputs.push(`${result.stdout}\n`);
  }
  if (outputs[0] !== outputs[1])
    throw new UserError(
      `${render.chart} ${render.scenario}: Helm 3 and Helm 4 render differently (${firstDifference(outputs[0]!, outputs[1]!)}); one golden cannot hold both`,
    );
  return outputs[1]!;
}

/** Writes (or checks) the goldens; returns the files that changed (or differ). */
export async function goldens(options: GoldensOptions): Promise<string[]> {
  const known = chartNames();
  const unknown = (options.charts ?? []).filter((chart) => !known.includes(chart));
  if (unknown.length > 0) throw new UserError(`unknown chart ${unknown.join(', ')}: choose from ${known.join(', ')}`);
  const renders = scenarioRenders(options.charts);
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'chartkit-goldens-'));
  const changed: string[] = [];
  try {
    const chartDirs = new Map<string, string>();
    for (const render of renders) {
      let chartDir = chartDirs.get(render.chart);
      if (!chartDir) {
        chartDir = path.join(options.root, 'charts', render.chart);
        if (render.chart === UMBRELLA) {
          await ensureUpstream({ root: options.root, pins: OBSERVABILITY_PINS });
          chartDir = assembleUmbrella(options.root, scratch);
        }
        chartDirs.set(render.chart, chartDir);
      }
      const rendered = await renderBoth(options.root, render, chartDir);
      const file = path.join(options.root, render.goldenFile);
      const committed = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
      if (committed === rendered) {
        options.log?.(`goldens: ${render.goldenFile} unchanged`);
        continue;
      }
      changed.push(render.goldenFile);
      if (options.check) {
        options.log?.(`goldens: ${render.goldenFile} differs (${committed === undefined ? 'missing' : firstDifference(committed, rendered)})`);
      } else {
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, rendered);
        options.log?.(`goldens: ${render.goldenFile} ${committed === undefined ? 'written' : 'updated'}`);
      }
    }
    // A golden whose scenario is gone is stale: removed (or reported) too.
    const wanted = new Set(renders.map((render) => render.goldenFile));
    for (const chart of new Set(renders.map((render) => render.chart))) {
      const dir = path.join(options.root, 'test', 'goldens', chart);
      for (const entry of existsSync(dir) ? readdirSync(dir) : []) {
        const relative = path.posix.join('test', 'goldens', chart, entry);
        if (wanted.has(relative)) continue;
        changed.push(relative);
        if (options.check) options.log?.(`goldens: ${relative} has no scenario`);
        else {
          rmSync(path.join(options.root, relative));
          options.log?.(`goldens: ${relative} removed (no scenario)`);
        }
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  if (options.check && changed.length > 0)
    throw new UserError(`goldens differ from the charts: ${changed.join(', ')}; review the change, then run \`npm run goldens\``);
  return changed;
}

/** What the CLI prints after {@link goldens}: that they match, or how many were rewritten. */
export function goldensReport(changed: readonly string[], check: boolean): string {
  return `chartkit: goldens ${check ? 'match the charts' : `refreshed, ${changed.length} changed`}`;
}
