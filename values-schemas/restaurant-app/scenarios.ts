/** The situations CI renders restaurant-app in: each environment, a canary, ambient, renamed namespaces, a large platform. */
import type { Scenario } from '../common/source.js';
import { AMBIENT_GLOBAL, OTHER_NAMESPACES } from '../common/scenarios.js';
import type { RestaurantAppValues, ServiceEntry } from './schema.js';

/** order-service split 90/10 between v1 and a v2 canary on its own tag. */
export const CANARY_SERVICES = {
  'order-service': { canary: { v1: { weight: 90 }, v2: { weight: 10, tag: '2.0.0-rc1' } } },
} satisfies Record<string, Partial<ServiceEntry>>;

/** How many services the large scenario adds to the seven. */
export const LARGE_PLATFORM_EXTRA_SERVICES = 40;

/**
 * Forty more services in a chain, each calling the next and the menu service, each with its own
 * port: the call graph, policies and routes at a size beyond the seven.
 */
export function largePlatformServices(count = LARGE_PLATFORM_EXTRA_SERVICES): Record<string, ServiceEntry> {
  const name = (index: number) => `catalog-${String(index).padStart(3, '0')}`;
  return Object.fromEntries(
    Array.from({ length: count }, (_, index) => [
      name(index),
      {
        ports: { http: { port: 9100 + index, targetPort: 9100 + index } },
        calls: { 'menu-service': true, ...(index + 1 < count ? { [name(index + 1)]: true } : {}) },
        stores: { redis: true },
      } satisfies ServiceEntry,
    ]),
  );
}

/** The scenarios, by name. */
export const scenarios: Record<string, Scenario<RestaurantAppValues>> = {
  dev: { description: 'The dev overlay as shipped.', environment: 'dev' },
  staging: { description: 'The staging overlay as shipped.', environment: 'staging' },
  prod: { description: 'The prod overlay as shipped.', environment: 'prod' },
  'prod-canary': { description: 'prod with order-service split 90/10 between v1 and a v2 canary.', environment: 'prod', values: { services: CANARY_SERVICES } },
  'prod-ambient': { description: 'prod on the ambient data plane (waypoint, no sidecars).', environment: 'prod', values: { global: AMBIENT_GLOBAL } },
  'prod-other-namespaces': { description: 'prod with every namespace renamed.', environment: 'prod', values: { global: { namespaces: OTHER_NAMESPACES } } },
  'prod-large': {
    description: `prod with ${LARGE_PLATFORM_EXTRA_SERVICES} more services calling each other in a chain.`,
    environment: 'prod',
    values: { services: largePlatformServices() },
  },
};
