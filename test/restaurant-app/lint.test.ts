// `helm lint --strict` passes for every environment on both Helm versions: the chart is
// well-formed beyond what rendering alone shows (Chart.yaml, values against the schema).
import { describe, it, expect } from 'vitest';
import { helmLint, render, renderError } from '../helpers/helm.js';
import { HELM_MAJORS } from '../helpers/tools.js';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { all } from '../helpers/models.js';
import { canonical } from '../restaurant-platform/fixtures.js';
import { ENVIRONMENTS, SERVICE_NAMES, appRender } from './fixtures.js';

describe.each(HELM_MAJORS)('restaurant-app lint on Helm %i', (helm) => {
  it.each(ENVIRONMENTS)('should pass helm lint --strict with values-%s.yaml', async (environment) => {
    // GIVEN the chart and an environment overlay, WHEN linted strictly
    // (helm lint has no --api-versions: skip the capability guard so lint reaches the Istio templates)
    const result = await helmLint({ chart: 'restaurant-app', helm, values: [`values-${environment}.yaml`], set: ['global.skipCapabilityCheck=true'] });
    // THEN it passes with no failures
    expect(result.ok, `${result.stdout}\n${result.stderr}`).toBe(true);
    expect(result.stdout).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
  });

  it("should refuse a cluster older than the chart's kubeVersion", async () => {
    // GIVEN a Kubernetes 1.27 cluster, WHEN rendered, THEN Helm refuses with the constraint
    const stderr = await renderError({ ...appRender(helm, 'prod'), kubeVersion: '1.27.0' });
    expect(stderr).toMatch(/kubeVersion/);
    // AND the oldest supported version renders exactly what the default (newest) version does
    const [oldest, newest] = await Promise.all([render({ ...appRender(helm, 'prod'), kubeVersion: '1.29.0' }), render(appRender(helm, 'prod'))]);
    expect(canonical(oldest)).toEqual(canonical(newest));
    expect(
      all(oldest, Deployment)
        .map((deployment) => deployment.metadata?.name)
        .sort(),
    ).toEqual(SERVICE_NAMES);
  });

  it('should fail lint for values the schema rejects', async () => {
    const result = await helmLint({ chart: 'restaurant-app', helm, set: ['services.frontend.replicas=-2'] });
    expect(result.ok).toBe(false);
  });
});
