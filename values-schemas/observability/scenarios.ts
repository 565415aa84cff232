/**
 * The situations CI renders the observability umbrella in: each environment, and prod with every
 * namespace renamed, its upstream values rebuilt for them the way the overlays are built.
 */
import type { Scenario } from '../common/source.js';
import type { DeepPartial } from '../common/schema.js';
import { OTHER_NAMESPACES } from '../common/scenarios.js';
import type { GlobalValues } from '../common/global.js';
import { buildValues } from './build.js';
import { difference } from '../common/merge.js';
import type { ObservabilityValues } from './schema.js';
import { DEFAULT_RELEASE } from '../platform/topology.js';

/** The changes that move the prod stack to other namespaces, upstream values included. */
function prodInOtherNamespaces(prodGlobal: GlobalValues): DeepPartial<ObservabilityValues> {
  const prod = buildValues({ environment: 'prod', global: prodGlobal, release: DEFAULT_RELEASE });
  const moved = buildValues({ environment: 'prod', global: { ...prodGlobal, namespaces: OTHER_NAMESPACES }, release: DEFAULT_RELEASE });
  return difference(moved as Record<string, unknown>, prod as Record<string, unknown>) as DeepPartial<ObservabilityValues>;
}

/** The scenarios, by name, given prod's global block. */
export function scenariosFor(prodGlobal: GlobalValues): Record<string, Scenario<ObservabilityValues>> {
  return {
    dev: { description: 'The dev overlay as shipped.', environment: 'dev' },
    staging: { description: 'The staging overlay as shipped.', environment: 'staging' },
    prod: { description: 'The prod overlay as shipped.', environment: 'prod' },
    'prod-other-namespaces': {
      description: 'prod with every namespace renamed (installed into the renamed observability namespace).',
      environment: 'prod',
      values: prodInOtherNamespaces(prodGlobal),
    },
  };
}
