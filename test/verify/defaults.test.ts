// chartkit verify on the platform's own values: every environment, both mesh modes, Helm 3 and 4.
// Done when: the defaults give no finding, every check ran, and what was not checked is said.
import { describe, it, expect } from 'vitest';
import { ENVIRONMENTS } from '../../values-schemas/common/global.js';
import { VERIFY_CHECKS } from '../../generator/verify/index.js';
import { HELM_MAJORS } from '../helpers/tools.js';
import { verifyReport } from './fixtures.js';

const MODES = ['sidecar', 'ambient'] as const;

describe.each(HELM_MAJORS)('chartkit verify on the defaults, Helm %i', (helm) => {
  describe.each(ENVIRONMENTS)('in %s', (environment) => {
    it.each(MODES)('should find nothing wrong in %s mode, having run every check over both umbrellas', async (mode) => {
      // GIVEN no values but the environment's overlay (and the mesh mode), WHEN verified
      const report = await verifyReport({ environment, helm, set: [`global.mesh.mode=${mode}`] });
      // THEN there is no finding, every check ran, and both umbrellas rendered objects
      expect(report.findings).toEqual([]);
      expect(report.checks).toEqual(Object.keys(VERIFY_CHECKS));
      expect(Object.keys(report.objects).sort()).toEqual(['observability', 'restaurant-platform']);
      expect(Math.min(...Object.values(report.objects))).toBeGreaterThan(20);
      // AND what it could not judge is listed, not passed: scrape coverage, and the stores outside the charts
      expect(report.notChecked.map((item) => item.check)).toContain('scrape-coverage');
      // (the node exporter, the one Pod Security exception, runs outside dev)
      expect(report.notChecked.filter((item) => item.check === 'pod-security').map((item) => item.what)).toEqual(
        environment === 'dev' ? [] : ['DaemonSet observability-node-exporter/observability-prometheus-node-exporter'],
      );
      expect(report.notChecked.filter((item) => item.check === 'cross-chart').map((item) => item.what.split(' ')[0])).toEqual([
        'redis-master.restaurant-data.svc',
        'postgresql.restaurant-data.svc',
        'rabbitmq.restaurant-data.svc',
      ]);
    });
  });
});
