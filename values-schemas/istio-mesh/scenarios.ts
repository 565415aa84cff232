/** The situations CI renders istio-mesh in: each environment, ambient, renamed namespaces. */
import type { Scenario } from '../common/source.js';
import { AMBIENT_GLOBAL, OTHER_NAMESPACES } from '../common/scenarios.js';
import type { IstioMeshValues } from './schema.js';

/** The scenarios, by name. */
export const scenarios: Record<string, Scenario<IstioMeshValues>> = {
  dev: { description: 'The dev overlay as shipped.', environment: 'dev' },
  staging: { description: 'The staging overlay as shipped.', environment: 'staging' },
  prod: { description: 'The prod overlay as shipped.', environment: 'prod' },
  'prod-ambient': { description: 'prod on the ambient data plane (IstioCNI, ZTunnel).', environment: 'prod', values: { global: AMBIENT_GLOBAL } },
  'prod-other-namespaces': { description: 'prod with every namespace renamed.', environment: 'prod', values: { global: { namespaces: OTHER_NAMESPACES } } },
};
