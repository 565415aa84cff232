// The golden renders: every CI scenario of a chart, rendered through the one harness on both Helm
// versions, must reproduce its committed golden byte for byte; and no line our templates render
// may hold only whitespace (GitOps diffs would show every one).
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, it, expect } from 'vitest';
import { repoRoot } from '../../generator/paths.mjs';
import { clusterApiVersions, scenarioRenders, type ScenarioRender } from '../../generator/scenarios.js';
import { firstDifference } from '../../generator/commands/golden.js';
import { OBSERVABILITY_PINS } from '../../values-schemas/platform/pins.js';
import { UMBRELLA } from '../../generator/upstream/umbrella.js';
import { helmTemplate, type RenderOptions } from './helm.js';
import { realUmbrella } from './upstream.js';
import { HELM_MAJORS, type HelmMajor } from './tools.js';

/** The harness options of one scenario's render. */
export function scenarioRenderOptions(render: ScenarioRender, helm: HelmMajor): RenderOptions {
  return {
    chart: render.chart === UMBRELLA ? realUmbrella() : render.chart,
    helm,
    values: [path.join(repoRoot, render.valuesFile)],
    apiVersions: clusterApiVersions(),
    namespace: render.namespace,
    release: render.release,
  };
}

/** The upstream charts' folders inside a render (`observability/charts/grafana/`): their whitespace is not ours to fix. */
const UPSTREAM_SOURCES = OBSERVABILITY_PINS.filter((pin) => pin.kind === 'chart').map((pin) => `${UMBRELLA}/charts/${pin.name}/`);

/** The lines of a render holding only whitespace, each with the template that printed it. */
export function whitespaceOnlyLines(rendered: string): Array<{ line: number; source: string }> {
  let source = '(before any # Source)';
  const found: Array<{ line: number; source: string }> = [];
  rendered.split('\n').forEach((text, index) => {
    if (text.startsWith('# Source: ')) source = text.slice('# Source: '.length);
    else if (/^[ \t]+$/.test(text)) found.push({ line: index + 1, source });
  });
  return found;
}

/** Declares the golden tests of one chart. */
export function describeGoldens(chart: string): void {
  const renders = scenarioRenders([chart]);
  describe.each(HELM_MAJORS)(`${chart} goldens on Helm %i`, (helm) => {
    it('should have scenarios', () => {
      // The list comes from the chart's values source; a chart with none would test nothing.
      expect(renders.map((render) => render.scenario)).toEqual(expect.arrayContaining(['dev', 'staging', 'prod']));
    });

    it.each(renders.map((render) => [render.scenario, render] as const))('should render scenario %s exactly as its golden', async (_scenario, render) => {
      // GIVEN the scenario's committed golden
      const goldenFile = path.join(repoRoot, render.goldenFile);
      expect(existsSync(goldenFile), `${render.goldenFile} is missing: run \`npm run goldens\``).toBe(true);
      const golden = readFileSync(goldenFile, 'utf8');
      // WHEN the chart renders the scenario's values
      const output = await helmTemplate(scenarioRenderOptions(render, helm));
      expect(output.ok, output.stderr).toBe(true);
      const rendered = `${output.stdout}\n`;
      // THEN every byte matches (review the difference, then refresh with `npm run goldens`)
      expect(
        rendered === golden ? 'identical' : `${render.goldenFile} differs at ${firstDifference(golden, rendered)}; review, then run \`npm run goldens\``,
      ).toBe('identical');
      // AND no line our templates print holds only whitespace
      const blank = whitespaceOnlyLines(rendered).filter(({ source }) => !UPSTREAM_SOURCES.some((upstream) => source.startsWith(upstream)));
      expect(blank.map(({ line, source }) => `line ${line} from ${source}`)).toEqual([]);
    });
  });
}
