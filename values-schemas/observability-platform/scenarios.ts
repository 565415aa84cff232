/** The situations CI renders observability-platform in: each environment, renamed namespaces. */
import type { Scenario } from '../common/source.js';
import { OTHER_NAMESPACES } from '../common/scenarios.js';
import type { ObservabilityPlatformValues } from './schema.js';

/** The scenarios, by name. */
export const scenarios: Record<string, Scenario<ObservabilityPlatformValues>> = {
  dev: { description: 'The dev overlay as shipped.', environment: 'dev' },
  staging: { description: 'The staging overlay as shipped.', environment: 'staging' },
  prod: { description: 'The prod overlay as shipped.', environment: 'prod' },
  'prod-other-namespaces': { description: 'prod with every namespace renamed.', environment: 'prod', values: { global: { namespaces: OTHER_NAMESPACES } } },
};
