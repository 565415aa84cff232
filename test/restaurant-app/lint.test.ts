// `helm lint --strict` passes for every environment on both Helm versions: the chart is
// well-formed beyond what rendering alone shows (Chart.yaml, values against the schema).
import { describe, it, expect } from 'vitest';
import { helmLint } from '../helpers/helm.js';
import { HELM_MAJORS } from '../helpers/tools.js';
import { ENVIRONMENTS } from './fixtures.js';

describe.each(HELM_MAJORS)('restaurant-app lint on Helm %i', (helm) => {
  it.each(ENVIRONMENTS)('should pass helm lint --strict with values-%s.yaml', async (environment) => {
    // GIVEN the chart and an environment overlay, WHEN linted strictly
    // (helm lint has no --api-versions: skip the capability guard so lint reaches the Istio templates)
    const result = await helmLint({ chart: 'restaurant-app', helm, values: [`values-${environment}.yaml`], set: ['istio.skipCapabilityCheck=true'] });
    // THEN it passes with no failures
    expect(result.ok, `${result.stdout}\n${result.stderr}`).toBe(true);
    expect(result.stdout).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
  });

  it('should fail lint for values the schema rejects', async () => {
    const result = await helmLint({ chart: 'restaurant-app', helm, set: ['services.frontend.replicas=-2'] });
    expect(result.ok).toBe(false);
  });
});
