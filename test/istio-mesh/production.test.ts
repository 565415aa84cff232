// istio-mesh: the production requirements are one set of numbers (values-schemas/platform/production.ts).
// At each number's edge the chart's prod guard and the mesh checks' production checklist must agree:
// the guard refuses exactly what the checklist reports, on Helm 3 and 4.
import { describe, it, expect } from 'vitest';
import '../helpers/sail.js';
import { render, renderError } from '../helpers/helm.js';
import { HELM_MAJORS } from '../helpers/tools.js';
import { checkMesh } from '../../generator/checks/mesh/index.js';
import { PRODUCTION } from '../../values-schemas/platform/production.js';
import { meshRender } from './fixtures.js';

/** One requirement at its edge: the values just inside it, just outside it, and the values path the guard names. */
interface Edge {
  readonly requirement: keyof typeof PRODUCTION;
  readonly path: string;
  readonly inside: readonly string[];
  readonly outside: readonly string[];
}

const EDGES: readonly Edge[] = [
  {
    requirement: 'istiodMinReplicas',
    path: 'controlPlane.pilot.autoscaleMin',
    inside: [`controlPlane.pilot.autoscaleMin=${PRODUCTION.istiodMinReplicas}`],
    outside: [`controlPlane.pilot.autoscaleMin=${PRODUCTION.istiodMinReplicas - 1}`],
  },
  {
    requirement: 'proxyMemoryLimitMin',
    path: 'controlPlane.proxy.resources.limits.memory',
    inside: [`controlPlane.proxy.resources.limits.memory=${PRODUCTION.proxyMemoryLimitMin}`],
    // One mebibyte below the floor, written in the floor's own unit.
    outside: [`controlPlane.proxy.resources.limits.memory=${Number.parseInt(PRODUCTION.proxyMemoryLimitMin, 10) - 1}Mi`],
  },
  {
    requirement: 'traceSamplingMaxPercent',
    path: 'tracing.samplingPercentage',
    inside: [`tracing.samplingPercentage=${PRODUCTION.traceSamplingMaxPercent}`],
    // --set reads whole numbers only, so one percent past the ceiling.
    outside: [`tracing.samplingPercentage=${PRODUCTION.traceSamplingMaxPercent + 1}`],
  },
  {
    requirement: 'mtlsMode',
    path: 'peerAuthentication.mode',
    inside: [`peerAuthentication.mode=${PRODUCTION.mtlsMode}`],
    outside: ['peerAuthentication.mode=PERMISSIVE'],
  },
  {
    requirement: 'updateStrategy',
    path: 'controlPlane.updateStrategy.type',
    inside: [`controlPlane.updateStrategy.type=${PRODUCTION.updateStrategy}`],
    outside: ['controlPlane.updateStrategy.type=InPlace'],
  },
];

/** The production checklist's findings on a render. */
const productionFindings = async (options: Parameters<typeof render>[0]) =>
  checkMesh(await render(options), { production: true, checks: ['production'] }).map((finding) => finding.message);

describe.each(HELM_MAJORS)('istio-mesh production requirements on Helm %i', (helm) => {
  describe.each(EDGES)('$requirement', ({ path, inside, outside }) => {
    it('should render prod at the edge, and the checklist should pass it', async () => {
      // GIVEN prod with the value exactly at the requirement, WHEN rendered and checked
      // THEN the guard lets it through and the checklist finds nothing
      expect(await productionFindings(meshRender(helm, 'prod', { set: [...inside] }))).toEqual([]);
    });

    it('should refuse prod just past the edge, naming the values path, where the checklist also reports it', async () => {
      // GIVEN the value just past the requirement
      // WHEN rendered for prod, THEN the guard refuses it naming the path
      expect(await renderError(meshRender(helm, 'prod', { set: [...outside] }))).toContain(`${path} is `);
      // AND rendered for staging (the same prod settings, but no prod guard), THEN the checklist reports exactly one finding
      const staging = meshRender(helm, 'staging', { values: ['values-prod.yaml'], set: ['global.environment=staging', ...outside] });
      expect(await productionFindings(staging)).toHaveLength(1);
    });
  });
});
