/**
 * What the Sail Operator 1.30.3 asks of Istio's own charts: the Helm values it derives from the
 * Sail resources istio-mesh renders (`Istio`, `IstioCNI`, `ZTunnel`), and a render of the real
 * pinned `istiod`, `cni` and `ztunnel` 1.30.3 charts with those values, so tests can check that
 * what the mesh asks for takes effect in the objects Istio would create.
 *
 * Facts used, from istio-ecosystem/sail-operator at tag `1.30.3` (paths in that repository):
 *
 * - **Revision name** (`controllers/istio/istio_controller.go`, `getActiveRevisionName`): InPlace
 *   (and no strategy) → the Istio resource's name; RevisionBased → `<name>-<spec.version with "."
 *   replaced by "-">`, from the version as written (`v1.30.3` → `default-v1-30-3`), not the
 *   resolved one. A `ZTunnel` `targetRef` of kind `Istio` resolves to that active revision
 *   (`pkg/revision/references.go`, `GetIstioRevisionFromTargetReference`).
 * - **Istio values** (`pkg/revision/values.go`, `ComputeValues`), in this order:
 *   1. image digests from the operator config, unless the user set `global.hub`/`global.tag`:
 *      `pilot.image` (unless `pilot.image`/`hub`/`tag` is set), `global.proxy.image`,
 *      `global.proxyInit.image` (`pkg/istiovalues/digests.go`); the operator chart's default
 *      config lists them per version (`chart/values.yaml`, `images.v1_30_3.*`);
 *   2. vendor defaults (`pkg/istiovalues/vendor_defaults.yaml`: empty upstream);
 *   3. profiles, then `spec.values` on top (`pkg/istiovalues/profiles.go`,
 *      `ApplyProfilesAndPlatform`): the operator's default profile (`default` on Kubernetes,
 *      `openshift` on OpenShift: `cmd/main.go`) and then `spec.profile` unless it is `default`,
 *      each read from **Sail's own** `resources/v1.30.3/profiles/<profile>.yaml` (`spec.values`;
 *      Istio's `manifests/profiles` converted by `hack/download-charts.sh`, not the charts'
 *      `files/profile-*.yaml`), merged with `MergeOverwrite` (maps key by key, anything else
 *      replaces); `global.platform` is set only on a platform other than Kubernetes;
 *   4. OpenShift TLS settings (`pkg/istiovalues/tls.go`: none without an OpenShift APIServer) and
 *      FIPS (`pkg/istiovalues/fips.go`: only when the operator's node has FIPS on);
 *   5. overrides (`pkg/istiovalues/overrides.go`): `revision` = the revision name, or `""` for the
 *      revision `default`; `global.istioNamespace` = `spec.namespace`; `defaultRevision` removed.
 *   The charts then apply their own `files/profile-<values.profile>.yaml` at render time
 *   (`templates/zzz_profile.yaml`), which is how `profile: ambient` (Sail's `ambient.yaml` sets
 *   just that) turns on `PILOT_ENABLE_AMBIENT` and the CNI's ambient mode.
 * - **Charts and releases** (`pkg/reconcile/istiod.go`, `cni.go`, `ztunnel.go`): istiod is release
 *   `<revision>-istiod` in `spec.namespace` (plus the `base` chart for revision `default`, not
 *   rendered here); the CNI is release `istio-cni`, ztunnel release `ztunnel`, each in its
 *   resource's `spec.namespace`.
 * - **IstioCNI values** (`pkg/reconcile/cni.go`, `ComputeValues`): `cni.image` digest (unless
 *   `cni.image`/`hub`/`tag` or `global.hub`/`tag` is set), vendor defaults, then the same profile
 *   files (default, then `spec.profile`) with `spec.values` on top; no overrides.
 * - **ZTunnel values** (`pkg/reconcile/ztunnel.go`, `ComputeValues`; `controllers/ztunnel/
 *   ztunnel_controller.go`, `installHelmChart`): `ztunnel.image` digest, FIPS, then profiles
 *   `default` + `ambient` (always); with a `targetRef`, the referenced IstioRevision's `global`,
 *   `meshConfig` and `revision` are merged over the profiles like one more profile and
 *   `spec.values` over that; finally `spec.values.ztunnel` is merged at the top level (the
 *   ztunnel chart has no `.ztunnel` descoping of its own).
 * - **Charts** (`hack/download-charts.sh`): Sail ships the upstream chart packages
 *   (`pkg/istioversion/versions.yaml` names the same `istio-release` URLs as our pins), patched
 *   only to drop the `install.operator.istio.io/owning-resource` label, add an OpenShift SCC rule
 *   to the CNI ClusterRole and replace a `docker.io/istio` hub (1.30.3 already uses
 *   `registry.istio.io/release`). Compared file by file with `resources/v1.30.3/charts/`, those are
 *   the only differences, so rendering the pinned upstream packages shows what Sail installs.
 *
 * Approximations: platform Kubernetes (no `global.platform`, default profile `default`), FIPS off,
 * no OpenShift TLS profile, and the operator chart's default image config. Sail round-trips Istio
 * values through its typed `Values` struct (dropping unknown keys); the Sail CRD check on
 * istio-mesh's render already rejects unknown keys in `spec.values`, so the round trip is taken
 * as the identity. Profiles other than those Sail 1.30.3 ships for Kubernetes, and versions other
 * than `v1.30.3` (or its alias `v1.30-latest`), are refused rather than guessed. The Sail
 * post-renderer (owner references, labels) changes no field asserted on and is not modelled.
 */
import { helmTemplate, parseManifests } from './helm.js';
import { toModels, type KubeObject } from './models.js';
import { writeValuesFile } from './kubernetes-yaml.js';
import { hashKey } from './cache.js';
import { upstreamChart } from './upstream-charts.js';
import type { HelmMajor } from './tools.js';
import { isMap, mergeValues } from '../../values-schemas/common/merge.js';

/** Helm values as Sail hands them to a chart. */
export type HelmValues = Record<string, unknown>;

/** The Sail API version of the resources read here. */
const SAIL_API_VERSION = 'sailoperator.io/v1';

/** Versions Sail 1.30.3 resolves to the pinned charts (`pkg/istioversion/versions.yaml`). */
const RESOLVED_VERSIONS: Readonly<Record<string, string>> = { 'v1.30.3': 'v1.30.3', 'v1.30-latest': 'v1.30.3' };

/**
 * `spec.values` of Sail's Kubernetes profiles (`resources/v1.30.3/profiles/*.yaml`); OpenShift's
 * are left out, as is every other version.
 */
const SAIL_PROFILES: Readonly<Record<string, HelmValues>> = {
  default: { defaultRevision: '', global: { istioNamespace: 'istio-system', configValidation: true }, ztunnel: { resourceName: 'ztunnel' } },
  empty: {},
  ambient: { profile: 'ambient' },
  demo: { profile: 'demo' },
  preview: { profile: 'preview' },
  remote: { profile: 'remote' },
  stable: { profile: 'stable' },
};

/** The operator's default profile on Kubernetes (`cmd/main.go`). */
const DEFAULT_PROFILE = 'default';

/** The profile ZTunnel always applies (`pkg/reconcile/ztunnel.go`, `ztunnelProfile`). */
const ZTUNNEL_PROFILE = 'ambient';

/** The image config the Sail Operator chart installs by default (`chart/values.yaml`). */
const IMAGE_DIGESTS: Readonly<Record<string, { istiod: string; proxy: string; cni: string; ztunnel: string }>> = {
  'v1.30.3': {
    istiod: 'registry.istio.io/release/pilot:1.30.3',
    proxy: 'registry.istio.io/release/proxyv2:1.30.3',
    cni: 'registry.istio.io/release/install-cni:1.30.3',
    ztunnel: 'registry.istio.io/release/ztunnel:1.30.3',
  },
};

/** The revision Sail calls `default` (`api/v1`, `DefaultRevision`). */
const DEFAULT_REVISION = 'default';

/** A child map of values, created when absent. */
function child(values: HelmValues, key: string): HelmValues {
  const existing = values[key];
  if (isMap(existing)) return existing;
  const created: HelmValues = {};
  values[key] = created;
  return created;
}

/** The `spec` of a Sail resource of a kind; throws on anything else. */
function sailSpec(object: KubeObject, kind: string): HelmValues {
  if (object.apiVersion !== SAIL_API_VERSION || object.kind !== kind)
    throw new Error(`expected a ${SAIL_API_VERSION} ${kind}, got ${object.apiVersion} ${object.kind}`);
  const spec = object.spec;
  if (!isMap(spec)) throw new Error(`${kind} ${object.metadata?.name ?? '<unnamed>'} has no spec`);
  return spec;
}

/** A deep copy of a resource's `spec.values` (`{}` when unset). */
function userValues(spec: HelmValues): HelmValues {
  return isMap(spec.values) ? (structuredClone(spec.values) as HelmValues) : {};
}

/** `istioversion.Resolve`, for the versions this module models. */
function resolveVersion(version: unknown): string {
  const resolved = typeof version === 'string' ? RESOLVED_VERSIONS[version] : undefined;
  if (!resolved)
    throw new Error(
      `spec.version ${JSON.stringify(version)}: only ${Object.keys(RESOLVED_VERSIONS).join(', ')} are modelled (Sail 1.30.3 with the pinned charts)`,
    );
  return resolved;
}

/**
 * The merged `spec.values` of the operator's default profile and the user's
 * (`profiles.go`, `resolve` and `getValuesFromProfiles`).
 */
function profileValues(userProfile: unknown): HelmValues {
  const selected =
    typeof userProfile === 'string' && userProfile !== '' && userProfile !== DEFAULT_PROFILE ? [DEFAULT_PROFILE, userProfile] : [DEFAULT_PROFILE];
  return selected.reduce<HelmValues>((merged, name) => {
    const profile = SAIL_PROFILES[name];
    if (!profile)
      throw new Error(`profile ${JSON.stringify(name)} is not modelled (Sail 1.30.3 Kubernetes profiles: ${Object.keys(SAIL_PROFILES).join(', ')})`);
    return mergeValues(merged, structuredClone(profile));
  }, {});
}

/** Whether the user pinned `global.hub` or `global.tag`, which turns image digests off. */
const hasGlobalImage = (values: HelmValues) => isMap(values.global) && (values.global.hub !== undefined || values.global.tag !== undefined);

/** Whether a component's image is set by the user in any part. */
const hasImage = (component: unknown) => isMap(component) && (component.image !== undefined || component.hub !== undefined || component.tag !== undefined);

/**
 * The name of an `Istio` resource's active IstioRevision (`getActiveRevisionName`): its own
 * name under InPlace, `<name>-<version, dots as dashes>` under RevisionBased.
 */
export function activeRevisionName(istio: KubeObject): string {
  const spec = sailSpec(istio, 'Istio');
  const name = istio.metadata?.name;
  if (!name) throw new Error('the Istio resource has no name');
  const strategy = isMap(spec.updateStrategy) ? spec.updateStrategy.type : undefined;
  return strategy === 'RevisionBased' ? `${name}-${String(spec.version).replaceAll('.', '-')}` : name;
}

/** Options for {@link istiodValues}. */
export interface IstiodValuesOptions {
  /** The active revision's name. @default {@link activeRevisionName} of the resource */
  readonly revision?: string;
}

/**
 * The values Sail installs the `istiod` chart with for an `Istio` resource: its IstioRevision's
 * `spec.values` (`pkg/revision/values.go`, `ComputeValues`).
 */
export function istiodValues(istio: KubeObject, options: IstiodValuesOptions = {}): HelmValues {
  const spec = sailSpec(istio, 'Istio');
  const version = resolveVersion(spec.version);
  const revision = options.revision ?? activeRevisionName(istio);
  if (typeof spec.namespace !== 'string' || spec.namespace === '') throw new Error('Istio spec.namespace not set');
  const user = userValues(spec);
  const digests = IMAGE_DIGESTS[version];
  if (digests && !hasGlobalImage(user)) {
    if (!hasImage(user.pilot)) child(user, 'pilot').image = digests.istiod;
    const global = child(user, 'global');
    const proxy = child(global, 'proxy');
    proxy.image ??= digests.proxy;
    const proxyInit = child(global, 'proxyInit');
    proxyInit.image ??= digests.proxy;
  }
  // mergeValues shares unchanged subtrees with its inputs: copy before the overrides write into it.
  const values = structuredClone(mergeValues(profileValues(spec.profile), user));
  values.revision = revision === DEFAULT_REVISION ? '' : revision;
  child(values, 'global').istioNamespace = spec.namespace;
  delete values.defaultRevision;
  return values;
}

/** The values Sail installs the `cni` chart with for an `IstioCNI` resource (`pkg/reconcile/cni.go`). */
export function cniValues(istioCni: KubeObject): HelmValues {
  const spec = sailSpec(istioCni, 'IstioCNI');
  const version = resolveVersion(spec.version);
  const user = userValues(spec);
  const digests = IMAGE_DIGESTS[version];
  if (digests && !hasGlobalImage(user) && !hasImage(user.cni)) child(user, 'cni').image = digests.cni;
  return structuredClone(mergeValues(profileValues(spec.profile), user));
}

/**
 * The values Sail installs the `ztunnel` chart with for a `ZTunnel` resource
 * (`pkg/reconcile/ztunnel.go`, `ComputeValues`).
 * @param istioRevisionValues the `spec.values` of the IstioRevision its `targetRef` resolves to
 *   (see {@link istiodValues}); required exactly when the resource has a `targetRef`, as Sail
 *   reads the revision only through it.
 */
export function ztunnelValues(ztunnel: KubeObject, istioRevisionValues?: HelmValues): HelmValues {
  const spec = sailSpec(ztunnel, 'ZTunnel');
  const version = resolveVersion(spec.version);
  if (spec.targetRef !== undefined && istioRevisionValues === undefined)
    throw new Error('the ZTunnel has a targetRef: pass the values of the IstioRevision it resolves to');
  if (spec.targetRef === undefined && istioRevisionValues !== undefined)
    throw new Error('the ZTunnel has no targetRef: Sail does not read any IstioRevision for it');
  const user = userValues(spec);
  const digests = IMAGE_DIGESTS[version];
  if (digests && !hasGlobalImage(user) && !hasImage(user.ztunnel)) child(user, 'ztunnel').image = digests.ztunnel;
  const profiles = profileValues(ZTUNNEL_PROFILE);
  let merged: HelmValues;
  if (istioRevisionValues) {
    // Only these three fields of the revision are copied (ztunnel_controller.go, installHelmChart).
    const base: HelmValues = {};
    for (const key of ['meshConfig', 'revision', 'global'] as const)
      if (istioRevisionValues[key] !== undefined) base[key] = structuredClone(istioRevisionValues[key]);
    merged = mergeValues(mergeValues(profiles, base), user);
  } else {
    merged = mergeValues(profiles, user);
  }
  return structuredClone(mergeValues(merged, isMap(user.ztunnel) ? user.ztunnel : {}));
}

/** One chart rendered the way Sail installs it. */
export interface SailChartRender {
  /** The values Sail derives. */
  readonly values: HelmValues;
  /** Release namespace: the Sail resource's `spec.namespace`. */
  readonly namespace: string;
  /** Release name Sail uses. */
  readonly release: string;
  /** The rendered objects, as validated kubernetes-models instances. */
  readonly objects: KubeObject[];
}

/** What {@link renderIstioCharts} returns. */
export interface IstioChartsRender {
  /** The active revision's name. */
  readonly revision: string;
  readonly istiod: SailChartRender;
  /** Absent when istio-mesh renders no `IstioCNI`. */
  readonly cni?: SailChartRender;
  /** Absent when istio-mesh renders no `ZTunnel`. */
  readonly ztunnel?: SailChartRender;
}

/** The one Sail resource of a kind among rendered objects (they are cluster singletons here). */
function singleSail(objects: readonly KubeObject[], kind: string): KubeObject | undefined {
  const found = objects.filter((object) => object.apiVersion === SAIL_API_VERSION && object.kind === kind);
  if (found.length > 1) throw new Error(`more than one Sail ${kind} rendered: ${found.map((object) => object.metadata?.name).join(', ')}`);
  return found[0];
}

async function renderChart(chart: string, helm: HelmMajor, release: string, namespace: string, values: HelmValues): Promise<SailChartRender> {
  // Named by content: concurrent renders of different values never share a file.
  const file = writeValuesFile(`sail-${chart}-${hashKey(values)}`, values);
  const output = await helmTemplate({ chart: upstreamChart(chart), helm, release, namespace, values: [file] });
  if (!output.ok) throw new Error(`helm ${helm} template ${chart} (as Sail installs it) failed:\n${output.stderr}`);
  return { values, namespace, release, objects: await toModels(parseManifests(output.stdout)) };
}

/**
 * Renders the real pinned `istiod`, `cni` and `ztunnel` charts with the values the Sail Operator
 * derives from the Sail resources among `meshObjects` (a render of istio-mesh), each in its
 * resource's `spec.namespace` under the release name Sail uses.
 * @throws when there is no `Istio`, or a `ZTunnel` `targetRef` names another control plane.
 */
export async function renderIstioCharts(meshObjects: readonly KubeObject[], helm: HelmMajor): Promise<IstioChartsRender> {
  const istio = singleSail(meshObjects, 'Istio');
  if (!istio) throw new Error('the render has no Sail Istio resource');
  const revision = activeRevisionName(istio);
  const istiodSpec = sailSpec(istio, 'Istio');
  const values = istiodValues(istio, { revision });
  const istiod = renderChart('istiod', helm, `${revision}-istiod`, String(istiodSpec.namespace), values);

  const istioCni = singleSail(meshObjects, 'IstioCNI');
  const cni = istioCni ? renderChart('cni', helm, 'istio-cni', String(sailSpec(istioCni, 'IstioCNI').namespace), cniValues(istioCni)) : undefined;

  const zt = singleSail(meshObjects, 'ZTunnel');
  let ztunnel: Promise<SailChartRender> | undefined;
  if (zt) {
    const spec = sailSpec(zt, 'ZTunnel');
    let revisionValues: HelmValues | undefined;
    if (spec.targetRef !== undefined) {
      const ref = isMap(spec.targetRef) ? spec.targetRef : {};
      const matches = (ref.kind === 'Istio' && ref.name === istio.metadata?.name) || (ref.kind === 'IstioRevision' && ref.name === revision);
      if (!matches)
        throw new Error(`the ZTunnel targetRef ${JSON.stringify(ref)} names neither the Istio ${istio.metadata?.name} nor its revision ${revision}`);
      revisionValues = values;
    }
    ztunnel = renderChart('ztunnel', helm, 'ztunnel', String(spec.namespace), ztunnelValues(zt, revisionValues));
  }
  const [istiodRender, cniRender, ztunnelRender] = await Promise.all([istiod, cni, ztunnel]);
  return { revision, istiod: istiodRender, ...(cniRender ? { cni: cniRender } : {}), ...(ztunnelRender ? { ztunnel: ztunnelRender } : {}) };
}
