// The mesh checks over the real renders of restaurant-app and istio-mesh together: every
// environment, both Helm versions, sidecar and ambient, with and without the order-service canary.
// Done when: the prod renders pass with zero findings on both Helm versions.
import { describe, it, expect } from 'vitest';
import { checkMesh } from '../../generator/checks/mesh/index.js';
import { HELM_MAJORS } from '../helpers/tools.js';
import { ENVIRONMENTS } from '../restaurant-app/fixtures.js';
import { renderPlatform, checkOptions, ORDER_CANARY, type Variant } from './fixtures.js';

const variants: ReadonlyArray<[string, Variant]> = [
  ['sidecar', {}],
  ['ambient', { mode: 'ambient' }],
  ['sidecar with the order-service 90/10 canary', { app: ORDER_CANARY }],
  ['ambient with the order-service 90/10 canary', { mode: 'ambient', app: ORDER_CANARY }],
];

describe.each(HELM_MAJORS)('mesh checks over the platform renders on Helm %i', (helm) => {
  describe.each(ENVIRONMENTS)('in %s', (environment) => {
    it.each(variants)('should find nothing wrong (%s)', async (_title, variant) => {
      // GIVEN restaurant-app and istio-mesh rendered for the environment and variant
      const objects = await renderPlatform(helm, environment, variant);
      // WHEN the mesh checks judge them together (production checks in prod)
      const findings = checkMesh(objects, checkOptions(environment, variant));
      // THEN there is no finding
      expect(findings).toEqual([]);
    });
  });

  it('should judge the call graph that is really declared (frontend → api-gateway → order, restaurant, menu, auth; order → restaurant, menu, notification)', () => {
    expect(checkOptions('prod').calls).toEqual({
      frontend: ['api-gateway'],
      'api-gateway': ['auth-service', 'menu-service', 'order-service', 'restaurant-service'],
      'order-service': ['menu-service', 'notification-service', 'restaurant-service'],
      'ingress-gateway': ['api-gateway', 'frontend'],
    });
  });
});
