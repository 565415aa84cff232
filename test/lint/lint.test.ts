// chartkit lint fails closed: a template `fail` (which `helm lint --strict` alone reports as an
// [INFO] line with exit code 0) fails the lint, on Helm 3 and 4, naming the values path.
import { describe, it, expect } from 'vitest';
import path from 'node:path';
import { repoRoot } from '../../generator/paths.mjs';
import { helmLint, renderError } from '../helpers/helm.js';
import { lint, lintProblems } from '../../generator/commands/lint.js';
import { clusterApiVersions, scenarioRenders } from '../../generator/scenarios.js';

const badHpa = ['services.frontend.autoscaling.minReplicas=9', 'services.frontend.autoscaling.maxReplicas=3'];

describe('chartkit lint', () => {
  it('should show why helm lint alone is not a gate: it passes a template that fails', async () => {
    // GIVEN values a template guard refuses (prod autoscales, so the HPA guard judges the bounds): helm template fails on them
    const inputs = { chart: 'restaurant-app', helm: 4 as const, values: ['values-prod.yaml'], set: ['global.skipCapabilityCheck=true', ...badHpa] };
    expect(await renderError(inputs)).toContain('services.frontend.autoscaling.minReplicas (9) must not exceed services.frontend.autoscaling.maxReplicas (3)');
    // WHEN only helm lint --strict judges them
    const result = await helmLint(inputs);
    // THEN it exits 0 with no error or warning: its lenient render logs the fail at INFO level only
    const output = `${result.stdout}\n${result.stderr}`;
    expect(result.ok, output).toBe(true);
    expect(output).not.toMatch(/\[(ERROR|WARNING)\]/);
    // AND that INFO line is the one problem chartkit lint finds
    expect(lintProblems(output)).toEqual([
      expect.stringMatching(/level=INFO msg="funcMap fail" message="services\.frontend\.autoscaling\.minReplicas \(9\) must not exceed/),
    ]);
  });

  it('should fail on a template guard with the values path, on Helm 3 and 4', async () => {
    const error = await lint({
      root: repoRoot,
      charts: ['restaurant-app'],
      values: [path.join(repoRoot, 'charts', 'restaurant-app', 'values-prod.yaml')],
      set: badHpa,
    }).catch((caught: unknown) => caught as Error);
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toMatch(/restaurant-app \(values-prod\.yaml, Helm 3\)/);
    expect(message).toMatch(/restaurant-app \(values-prod\.yaml, Helm 4\)/);
    expect(message).toContain('services.frontend.autoscaling.minReplicas (9) must not exceed services.frontend.autoscaling.maxReplicas (3)');
  });

  it('should pass every chart in every CI scenario on both Helm versions', async () => {
    // GIVEN every chart's CI scenarios (charts/<chart>/ci/), WHEN linted
    const runs = await lint({ root: repoRoot });
    // THEN each scenario ran once per Helm version, with the scenario's values file, and all are clean
    const scenarios = scenarioRenders();
    expect(runs.map((run) => `${run.chart} ${run.values} ${run.helm}`).sort()).toEqual(
      scenarios.flatMap((render) => [3, 4].map((helm) => `${render.chart} ${path.basename(render.valuesFile)} ${helm}`)).sort(),
    );
    expect(runs.filter((run) => run.problems.length > 0)).toEqual([]);
  }, 300_000); // 27 scenarios × 2 Helm versions × (template + lint): minutes on two cores under a full test run

  it('should refuse an unknown chart and a missing values file', async () => {
    await expect(lint({ root: repoRoot, charts: ['nope'] })).rejects.toThrow(/unknown chart nope/);
    await expect(lint({ root: repoRoot, values: ['/no/such.yaml'] })).rejects.toThrow(/-f \/no\/such\.yaml: no such file/);
  });

  it('should give the capability guards every API the locked CRDs define', () => {
    const apis = clusterApiVersions();
    expect(apis).toContain('networking.istio.io/v1');
    expect(apis).toContain('networking.istio.io/v1/VirtualService');
    expect(apis).toContain('sailoperator.io/v1/Istio');
    expect(apis).toContain('monitoring.coreos.com/v1/PrometheusRule');
  });

  it('should find errors, warnings and failed templates in lint output, and nothing in a clean one', () => {
    expect(lintProblems('==> Linting x\n[INFO] Chart.yaml: icon is recommended\n1 chart(s) linted, 0 chart(s) failed')).toEqual([]);
    expect(lintProblems('[WARNING] templates/x.yaml: object name does not conform\n[ERROR] values.yaml: bad')).toHaveLength(2);
  });
});
