// Shared inputs of the observability-platform tests: render options per Helm version, environment
// and monitoring mode, and the values each environment ends up with.
import type { RenderOptions } from '../helpers/helm.js';
import type { HelmMajor } from '../helpers/tools.js';
import { PROMETHEUS_OPERATOR_API_VERSIONS } from '../helpers/api-versions.js';
import { ENVIRONMENTS, type Environment } from '../../values-schemas/common/global.js';
import { observabilityPlatformValues, type AlertSettings } from '../../values-schemas/observability-platform/index.js';
import { mergeValues } from '../../values-schemas/common/merge.js';

export { ENVIRONMENTS, type Environment };

/** The chart under test. */
export const CHART = 'observability-platform';

/** Render options: the environment's overlay, with the operator API (operator mode) or without (files mode). */
export function platformRender(helm: HelmMajor, environment: Environment, mode: 'operator' | 'files', extra: Partial<RenderOptions> = {}): RenderOptions {
  return {
    chart: CHART,
    helm,
    values: [`values-${environment}.yaml`],
    namespace: 'observability',
    release: 'observability',
    ...(mode === 'operator' ? { apiVersions: PROMETHEUS_OPERATOR_API_VERSIONS } : {}),
    ...extra,
  };
}

/** The alert settings an environment renders with (defaults merged with its overlay). */
export function alertSettings(environment: Environment): Record<string, AlertSettings> {
  const merged = mergeValues(
    observabilityPlatformValues.defaults as unknown as Record<string, unknown>,
    observabilityPlatformValues.overlays[environment] as unknown as Record<string, unknown>,
  );
  return merged.alerts as Record<string, AlertSettings>;
}
