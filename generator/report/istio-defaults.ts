/**
 * What Istio runs that the charts do not render, sized as the pinned Istio charts size it: the
 * injected proxy, a waypoint's proxy, istiod, the per-node ztunnel and CNI agent. Read from the
 * pinned chart packages in the verified upstream cache (the values the Sail Operator renders them
 * with when the `Istio` resource leaves them unset), never typed in.
 */
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { cachedChart } from '../upstream/cache.js';
import { readTgz } from '../upstream/tar.js';
import { isMap, type ValueMap } from '../../values-schemas/common/merge.js';
import { ISTIO_CHART_PINS } from '../../values-schemas/platform/pins.js';

/** A container's resources block as charts write it. */
export interface ResourceBlock {
  readonly requests?: Readonly<Record<string, unknown>>;
  readonly limits?: Readonly<Record<string, unknown>>;
}

/** The pinned Istio charts' default resources. */
export interface IstioDefaults {
  readonly version: string;
  readonly proxy: ResourceBlock;
  readonly waypoint: ResourceBlock;
  readonly istiod: ResourceBlock;
  readonly ztunnel: ResourceBlock;
  readonly cni: ResourceBlock;
}

/** A chart's defaults: Istio's charts keep them below `_internal_defaults_do_not_set`. */
function chartDefaults(root: string, name: string): { version: string; values: ValueMap } {
  const pin = ISTIO_CHART_PINS.find((candidate) => candidate.name === name);
  if (!pin) throw new Error(`no pinned Istio chart ${name}`);
  const file = cachedChart(root, pin);
  const files = readTgz(readFileSync(file), file);
  const text = files.get(`${name}/values.yaml`);
  if (!text) throw new Error(`${file} has no ${name}/values.yaml`);
  const values = yaml.load(new TextDecoder().decode(text));
  if (!isMap(values)) throw new Error(`${file}: ${name}/values.yaml is not a map`);
  const defaults = values['_internal_defaults_do_not_set'];
  return { version: pin.version, values: isMap(defaults) ? defaults : values };
}

const block = (value: unknown): ResourceBlock => (isMap(value) ? (value as ResourceBlock) : {});
const at = (values: ValueMap, ...keys: string[]): unknown => keys.reduce<unknown>((node, key) => (isMap(node) ? node[key] : undefined), values);

/** Reads the defaults from the cached istiod, ztunnel and cni packages (see `ensureUpstream`). */
export function istioDefaults(root: string): IstioDefaults {
  const istiod = chartDefaults(root, 'istiod');
  const ztunnel = chartDefaults(root, 'ztunnel');
  const cni = chartDefaults(root, 'cni');
  return {
    version: istiod.version,
    proxy: block(at(istiod.values, 'global', 'proxy', 'resources')),
    waypoint: block(at(istiod.values, 'global', 'waypoint', 'resources')),
    istiod: block(at(istiod.values, 'resources')),
    ztunnel: block(at(ztunnel.values, 'resources')),
    cni: block(at(cni.values, 'resources')),
  };
}
