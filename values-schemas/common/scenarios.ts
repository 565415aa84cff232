/** Values the charts' CI scenarios share, so every chart is exercised in the same situations. */
import type { GlobalValues } from './global.js';

/** Every namespace renamed: proves no chart hard-codes one. */
export const OTHER_NAMESPACES: GlobalValues['namespaces'] = {
  app: 'shop',
  istio: 'mesh-system',
  ingress: 'shop-edge',
  observability: 'telemetry',
  data: 'shop-data',
};

/** The ambient data plane, set once through `global` as the umbrella sets it. */
export const AMBIENT_GLOBAL = { mesh: { mode: 'ambient' } } as const satisfies Partial<GlobalValues>;
