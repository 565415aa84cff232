import { LINT_ONLY_SETS } from '../../generator/commands/lint.js';
import { realUmbrella } from '../helpers/upstream.js';
// Inputs shared by the publishing tests.
import { chartNames } from '../../generator/index.js';

/**
 * Every chart: the observability umbrella packages offline too, its upstream dependencies taken
 * from the verified upstream cache.
 */
export const OFFLINE_CHARTS: readonly string[] = chartNames();

/**
 * How a published chart is installed and which local chart it must equal: the observability
 * umbrella only as release and namespace `observability`, compared with its assembly from the
 * upstream cache; the others as release `platform` in `restaurant`.
 */
export function installTarget(chart: string): { release: string; namespace: string; local: string } {
  if (chart === 'observability') return { release: 'observability', namespace: 'observability', local: realUmbrella() };
  return { release: 'platform', namespace: 'restaurant', local: chart };
}

/**
 * `--set` pairs an install without a cluster needs: `helm install --dry-run=client` has no
 * `--api-versions`, so the charts' CRD guards are told the render is not aimed at a cluster.
 */
export const INSTALL_SETS: readonly string[] = LINT_ONLY_SETS;
