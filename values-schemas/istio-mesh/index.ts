/** The istio-mesh chart's single source of truth: schema, defaults and environment overlays. */
import { IstioMeshValues } from './schema.js';
import { defaults } from './defaults.js';
import { overlays } from './overlays.js';
import { scenarios } from './scenarios.js';
import type { ValuesSource } from '../common/source.js';

/** Schema, defaults and overlays of istio-mesh. */
export const istioMeshValues: ValuesSource<IstioMeshValues> = {
  schema: IstioMeshValues,
  defaults,
  overlays,
  scenarios,
};

export * from './schema.js';
