/**
 * `chartkit report`: what the platform will cost, read from its real renders (the same renders as
 * `chartkit verify`, from the user's values) and the pinned Istio charts' defaults for what Istio
 * runs beside them. See ./resources.ts for what is counted and how.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '../errors.js';
import type { KubeObject } from '../checks/object.js';
import { ensureUpstream } from '../upstream/cache.js';
import { renderPlatform, type ChartRender, type VerifyInputs } from '../verify/render.js';
import { OBSERVABILITY_PINS, ISTIO_CHART_PINS } from '../../values-schemas/platform/pins.js';
import type { GlobalValues } from '../../values-schemas/common/global.js';
import { istioDefaults } from './istio-defaults.js';
import { platformReport, type PlatformReport, type Prices, type WorkloadGroup } from './resources.js';

export { DEFAULT_PRICES, HOURS_PER_MONTH, type PlatformReport, type Prices, type WorkloadRow, type Totals } from './resources.js';

/** The inputs of {@link report}: verify's, plus the node count and the prices. */
export interface ReportOptions extends VerifyInputs {
  readonly nodes: number;
  readonly prices: Prices;
}

/** Renders the platform from the user's values and computes its report. A render failure is the user's: `chartkit verify` names the path. */
export async function report(root: string, options: ReportOptions): Promise<PlatformReport> {
  await ensureUpstream({ root, pins: [...OBSERVABILITY_PINS, ...ISTIO_CHART_PINS] });
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'chartkit-report-'));
  try {
    const renders = await renderPlatform(root, scratch, options);
    const failed = [renders.platform, renders.observability].filter((render): render is Extract<ChartRender, { ok: false }> => !render.ok);
    if (failed.length > 0) {
      throw new UserError(
        `${failed.map((render) => render.chart).join(' and ')} did not render (${failed.flatMap((render) => render.paths).join(', ') || 'see chartkit verify'}); run chartkit verify with the same values for the findings`,
        2,
      );
    }
    const platform = renders.platform as Extract<ChartRender, { ok: true }>;
    const observability = renders.observability as Extract<ChartRender, { ok: true }>;
    const fromObservability = new Set<KubeObject>(observability.objects);
    const groupOf = (object: KubeObject): WorkloadGroup => {
      if (fromObservability.has(object)) return 'observability';
      return (object.metadata?.labels?.['helm.sh/chart'] ?? '').startsWith('istio-mesh-') ? 'mesh' : 'app';
    };
    const global = platform.values['restaurant-platform']?.['global'] as GlobalValues | undefined;
    return platformReport({
      environment: options.environment,
      objects: [...platform.objects, ...observability.objects],
      groupOf,
      istio: istioDefaults(root),
      nodes: options.nodes,
      prices: options.prices,
      rootNamespace: global?.namespaces.istio ?? 'istio-system',
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
