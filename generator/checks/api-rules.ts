/**
 * The Kubernetes API server's own validation rules that an OpenAPI schema does not express: name
 * and label syntax, IANA port names, unique ports, int32 ranges, percentages, requests ≤ limits and
 * selectors that select their own pod template. Pure functions from rendered objects (as parsed
 * from `helm template` output) to violations; nothing here reads files, runs tools or imports a test
 * framework, so a user can run it on their own renders:
 *
 * ```ts
 * import yaml from 'js-yaml';
 * import { checkApiRules } from './generator/checks/api-rules.js';
 * import type { KubeObject } from './generator/checks/object.js';
 * const violations = checkApiRules(yaml.loadAll(renderedYaml).filter(Boolean) as KubeObject[]);
 * ```
 *
 * Every rule follows what the API server enforces on create, as written in the Kubernetes sources:
 * `k8s.io/apimachinery` (`pkg/util/validation`, `pkg/api/validate/content`, `pkg/api/validation`,
 * `pkg/api/resource`) and `k8s.io/kubernetes` (`pkg/apis/{core,apps,batch,policy,autoscaling,rbac}/validation`).
 * Where a rule rests on something other than validation (the server-side-apply list keys Helm 4
 * uses, the documented contract of a field, the default NodePort allocator), its TSDoc says so.
 */
import { isMap, type ValueMap } from '../../values-schemas/common/merge.js';
import { parseQuantity } from '../../values-schemas/common/quantity.js';
import { INT32 } from '../../values-schemas/common/kubernetes.js';
import { asArray, asLabels, asObject, describeObject, type KubeObject } from './object.js';

// ---------------------------------------------------------------------------------------------
// Predicates

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const PERCENT = /^[0-9]+%$/;

/** The most bytes all annotations of one object may take together (keys plus values): 256 KiB. */
export const MAX_ANNOTATIONS_BYTES = 256 * 1024;

/**
 * Whether `value` is an RFC 1123 DNS label: at most 63 characters of `[a-z0-9-]`, starting and
 * ending with a letter or digit (Namespace names, Service port names, `metadata.namespace`).
 * @example isDns1123Label('order-service') // true
 */
export function isDns1123Label(value: string): boolean {
  return value.length <= 63 && DNS1123_LABEL.test(value);
}

/**
 * Whether `value` is an RFC 1123 DNS subdomain: at most 253 characters of dot-separated DNS-1123
 * labels (most object names). Like Kubernetes, it does not limit each label to 63 characters.
 * @example isDns1123Subdomain('istio-ingressgateway.istio-system') // true
 */
export function isDns1123Subdomain(value: string): boolean {
  return value.length <= 253 && DNS1123_SUBDOMAIN.test(value);
}

/**
 * Whether `value` is an RFC 1035 DNS label: a DNS-1123 label that starts with a letter (Service names).
 * @example isDns1035Label('1-api') // false
 */
export function isDns1035Label(value: string): boolean {
  return value.length <= 63 && DNS1035_LABEL.test(value);
}

/**
 * Whether `value` is a label key (a Kubernetes "qualified name"): an optional DNS-1123 subdomain
 * prefix and `/`, then a name of at most 63 characters of `[A-Za-z0-9-_.]` that starts and ends
 * with a letter or digit.
 * @example isLabelKey('app.kubernetes.io/name') // true
 */
export function isLabelKey(value: string): boolean {
  const parts = value.split('/');
  if (parts.length > 2) return false;
  const name = parts.length === 2 ? parts[1]! : parts[0]!;
  if (parts.length === 2 && !isDns1123Subdomain(parts[0]!)) return false;
  return name.length <= 63 && LABEL_NAME.test(name);
}

/**
 * Whether `value` is a label value: empty, or at most 63 characters of `[A-Za-z0-9-_.]` that
 * start and end with a letter or digit.
 * @example isLabelValue('') // true
 */
export function isLabelValue(value: string): boolean {
  return value.length <= 63 && LABEL_VALUE.test(value);
}

/**
 * Whether `value` is an IANA service name (RFC 6335) as Kubernetes restricts it for container port
 * names and named target ports: 1–15 characters of `[a-z0-9-]`, at least one letter, no leading or
 * trailing `-`, no `--`.
 * @example isIanaServiceName('http-metrics') // true
 */
export function isIanaServiceName(value: string): boolean {
  return (
    value.length >= 1 &&
    value.length <= 15 &&
    /^[-a-z0-9]+$/.test(value) &&
    /[a-z]/.test(value) &&
    !value.includes('--') &&
    !value.startsWith('-') &&
    !value.endsWith('-')
  );
}

/**
 * Whether `value` is an annotation key: the label key syntax, checked case-insensitively as the
 * API server does (it lower-cases annotation keys before checking, so `Example.com/Key` passes).
 * @example isQualifiedAnnotationKey('helm.sh/hook') // true
 */
export function isQualifiedAnnotationKey(value: string): boolean {
  return isLabelKey(value.toLowerCase());
}

/**
 * Whether `value` can be a path segment of the REST API: not `.` or `..`, no `/` or `%` (the
 * names of Roles, RoleBindings, ClusterRoles and ClusterRoleBindings, which may hold `:`).
 * Kubernetes adds no length limit here.
 * @example isPathSegmentName('system:auth-delegator') // true
 */
export function isPathSegmentName(value: string): boolean {
  return value !== '.' && value !== '..' && !value.includes('/') && !value.includes('%');
}

/** The bytes (UTF-8) annotations take towards {@link MAX_ANNOTATIONS_BYTES}: every key plus every value. */
export function annotationsSize(annotations: Readonly<Record<string, unknown>>): number {
  const encoder = new TextEncoder();
  let total = 0;
  for (const [key, value] of Object.entries(annotations)) total += encoder.encode(key).length + encoder.encode(typeof value === 'string' ? value : '').length;
  return total;
}

/** Whether annotations fit the API server's limit of {@link MAX_ANNOTATIONS_BYTES} in total. */
export function isWithinAnnotationSizeLimit(annotations: Readonly<Record<string, unknown>>): boolean {
  return annotationsSize(annotations) <= MAX_ANNOTATIONS_BYTES;
}

/**
 * Whether a plain label map (a Service `selector`, a `matchLabels`) selects `labels`: every key
 * present with the same value. An empty selector selects everything.
 */
export function matchesLabels(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

/** A `metav1.LabelSelector` as the checks read it. */
export interface LabelSelector {
  /** Labels that must all be present with these values. */
  readonly matchLabels?: Readonly<Record<string, string>>;
  /** Requirements that must all hold. */
  readonly matchExpressions?: ReadonlyArray<{ readonly key: string; readonly operator: string; readonly values?: readonly string[] }>;
}

/**
 * Whether a label selector selects `labels`, with the semantics of `k8s.io/apimachinery/pkg/labels`:
 * `In` needs the key with one of the values, `NotIn` the key absent or with none of them, `Exists`
 * the key, `DoesNotExist` its absence. An unknown operator selects nothing.
 */
export function selectorMatches(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  if (!matchesLabels(selector.matchLabels ?? {}, labels)) return false;
  return (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    const has = Object.hasOwn(labels, key);
    switch (operator) {
      case 'In':
        return has && values.includes(labels[key]!);
      case 'NotIn':
        return !has || !values.includes(labels[key]!);
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
      default:
        return false;
    }
  });
}

// ---------------------------------------------------------------------------------------------
// The object checks

/** The rules, by id. */
export const API_RULES = [
  /** `metadata.name` by kind, `metadata.namespace`, StatefulSet `spec.serviceName`. */
  'name',
  /** Label keys and values: object and pod template labels, selectors, `nodeSelector`. */
  'label',
  /** Annotation keys and their total size. */
  'annotation',
  /** Container ports: names, numbers, uniqueness. */
  'container-port',
  /** Service ports: names, numbers, target ports, node ports, uniqueness. */
  'service-port',
  /** Integers of built-in objects within int32, but for the int64 fields. */
  'int32',
  /** IntOrString fields given as counts or percentages (rolling updates, PDBs). */
  'int-or-percent',
  /** Container resource quantities parse, are not negative, and requests ≤ limits. */
  'resources',
  /** Workload selectors select their own pod template; selector operators and values. */
  'selector',
  /** HorizontalPodAutoscaler replica bounds and utilisation targets. */
  'hpa',
] as const;

/** One rule's id: {@link API_RULES}. */
export type ApiRuleId = (typeof API_RULES)[number];

/** Something the API server would refuse. */
export interface ApiRuleViolation {
  /** The rule that found it. */
  readonly rule: ApiRuleId;
  /** The object it is about: `Kind namespace/name`. */
  readonly object: string;
  /** The field, as the API server names it: `spec.template.spec.containers[0].ports[1].name`, `metadata.labels[app]`. */
  readonly field: string;
  /** What is wrong, in one sentence. */
  readonly message: string;
}

/** Options for {@link checkApiRules}. */
export interface ApiRuleOptions {
  /**
   * The API server's `--service-node-port-range`: an explicit `nodePort` outside it is refused by
   * the allocator on create.
   * @default [30000, 32767]
   */
  readonly nodePortRange?: readonly [number, number];
  /** Only these rules. @default all of {@link API_RULES} */
  readonly rules?: readonly ApiRuleId[];
}

type Json = ValueMap;
const groupOf = (object: KubeObject): string => (object.apiVersion.includes('/') ? object.apiVersion.split('/')[0]! : '');
const isKind = (object: KubeObject, group: string, ...kinds: string[]): boolean => groupOf(object) === group && kinds.includes(object.kind);
const join = (path: string, key: string): string => (path ? `${path}.${key}` : key);
const show = (value: unknown): string => JSON.stringify(value);

/** The API groups the API server itself serves; everything else is a custom resource, judged by its CRD. */
const BUILT_IN_GROUPS = new Set([
  '',
  'apps',
  'batch',
  'autoscaling',
  'policy',
  'extensions',
  'rbac.authorization.k8s.io',
  'networking.k8s.io',
  'storage.k8s.io',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'apiregistration.k8s.io',
  'scheduling.k8s.io',
  'coordination.k8s.io',
  'node.k8s.io',
  'discovery.k8s.io',
  'certificates.k8s.io',
  'flowcontrol.apiserver.k8s.io',
  'events.k8s.io',
  'resource.k8s.io',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'storagemigration.k8s.io',
  'internal.apiserver.k8s.io',
]);
const isBuiltIn = (object: KubeObject): boolean => BUILT_IN_GROUPS.has(groupOf(object));

const LABEL_KEY_RULE =
  'a label key: an optional DNS subdomain prefix and "/", then at most 63 characters of [A-Za-z0-9-_.] starting and ending with a letter or digit';
const LABEL_VALUE_RULE = 'a label value: empty, or at most 63 characters of [A-Za-z0-9-_.] starting and ending with a letter or digit';
const IANA_RULE = 'an IANA service name: 1-15 characters of [a-z0-9-] with at least one letter, no leading, trailing or double "-"';
const DNS1123_LABEL_RULE = 'a DNS-1123 label: at most 63 characters of [a-z0-9-], starting and ending with a letter or digit';
const DNS1123_SUBDOMAIN_RULE =
  'a DNS-1123 subdomain: at most 253 characters of dot-separated [a-z0-9-] labels, each starting and ending with a letter or digit';
const DNS1035_LABEL_RULE = 'a DNS-1035 label: at most 63 characters of [a-z0-9-], starting with a letter and ending with a letter or digit';

/** Collects violations for one object. */
class Report {
  readonly violations: ApiRuleViolation[] = [];
  constructor(private readonly object: string) {}
  add(rule: ApiRuleId, field: string, message: string): void {
    this.violations.push({ rule, object: this.object, field, message });
  }
}

// --- names ---------------------------------------------------------------------------------------

/**
 * The name rule of a kind, as its `ValidateObjectMeta` call names it: Namespace (`ValidateNamespaceName`)
 * and StatefulSet (`ValidateStatefulSetName`, DNS label since Kubernetes 1.27) take DNS-1123 labels,
 * core Service (`ValidateServiceName`) a DNS-1035 label, the four RBAC kinds (`ValidateRBACName`) a
 * path segment, CronJob a subdomain of at most 52 characters (`ValidateCronJob`: room for the Job
 * suffix); every other kind, custom resources included, a DNS-1123 subdomain. Deployments, DaemonSets
 * and the like get only an API warning when their name is not a DNS label, so that is not a violation.
 */
function nameProblem(object: KubeObject, name: string): string | undefined {
  if (isKind(object, '', 'Namespace')) return isDns1123Label(name) ? undefined : `must be ${DNS1123_LABEL_RULE}`;
  if (isKind(object, '', 'Service')) return isDns1035Label(name) ? undefined : `must be ${DNS1035_LABEL_RULE}`;
  if (isKind(object, 'apps', 'StatefulSet'))
    return isDns1123Label(name) ? undefined : `must be ${DNS1123_LABEL_RULE} (a StatefulSet name becomes its pods' hostnames)`;
  if (isKind(object, 'rbac.authorization.k8s.io', 'Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding')) {
    return isPathSegmentName(name) ? undefined : 'must be a path segment: not "." or "..", without "/" or "%"';
  }
  if (!isDns1123Subdomain(name)) return `must be ${DNS1123_SUBDOMAIN_RULE}`;
  if (isKind(object, 'batch', 'CronJob') && name.length > 52)
    return `must be no more than 52 characters (is ${name.length}): the CronJob controller appends an 11-character suffix to name its Jobs`;
  return undefined;
}

function checkNames(object: KubeObject, report: Report): void {
  const name = object.metadata?.name;
  // generateName is the client's business: the server validates the generated name, which helm never sends.
  if (typeof name === 'string' && name !== '') {
    const problem = nameProblem(object, name);
    if (problem) report.add('name', 'metadata.name', `name ${show(name)} ${problem}`);
  } else if (!object.metadata?.generateName) {
    report.add('name', 'metadata.name', 'name or generateName is required');
  }
  const namespace = object.metadata?.namespace;
  if (typeof namespace === 'string' && namespace !== '' && !isDns1123Label(namespace)) {
    report.add('name', 'metadata.namespace', `namespace ${show(namespace)} must be ${DNS1123_LABEL_RULE}`);
  }
  if (isKind(object, 'apps', 'StatefulSet')) {
    const serviceName = asObject(object.spec)['serviceName'];
    if (typeof serviceName === 'string' && serviceName !== '' && !isDns1123Label(serviceName)) {
      report.add('name', 'spec.serviceName', `serviceName ${show(serviceName)} must be ${DNS1123_LABEL_RULE} (it becomes the pods' subdomain)`);
    }
  }
}

// --- labels and annotations ------------------------------------------------------------------------

function checkLabelMap(labels: unknown, path: string, report: Report): void {
  for (const [key, value] of Object.entries(asObject(labels))) {
    if (!isLabelKey(key)) report.add('label', `${path}[${key}]`, `key ${show(key)} must be ${LABEL_KEY_RULE}`);
    if (typeof value === 'string' && !isLabelValue(value)) {
      report.add('label', `${path}[${key}]`, `value ${show(value)}${value.length > 63 ? ` (${value.length} characters)` : ''} must be ${LABEL_VALUE_RULE}`);
    }
  }
}

function checkAnnotations(annotations: unknown, path: string, report: Report): void {
  const map = asObject(annotations);
  for (const key of Object.keys(map)) {
    if (!isQualifiedAnnotationKey(key)) report.add('annotation', `${path}[${key}]`, `key ${show(key)} must be ${LABEL_KEY_RULE} (case-insensitive)`);
  }
  const size = annotationsSize(map);
  if (size > MAX_ANNOTATIONS_BYTES) report.add('annotation', path, `annotations take ${size} bytes, more than the ${MAX_ANNOTATIONS_BYTES} (256 KiB) allowed`);
}

/** Pod template metadata of a workload (and a CronJob's Job template metadata), with their paths. */
function templateMetadata(object: KubeObject): Array<{ path: string; metadata: Json }> {
  const spec = asObject(object.spec);
  if (isKind(object, 'batch', 'CronJob')) {
    const jobTemplate = asObject(spec['jobTemplate']);
    return [
      { path: 'spec.jobTemplate.metadata', metadata: asObject(jobTemplate['metadata']) },
      { path: 'spec.jobTemplate.spec.template.metadata', metadata: asObject(asObject(asObject(jobTemplate['spec'])['template'])['metadata']) },
    ];
  }
  if (isKind(object, '', 'PodTemplate')) return [{ path: 'template.metadata', metadata: asObject(asObject(object['template'])['metadata']) }];
  if (
    isKind(object, 'apps', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet') ||
    isKind(object, 'batch', 'Job') ||
    isKind(object, '', 'ReplicationController')
  ) {
    const found = [{ path: 'spec.template.metadata', metadata: asObject(asObject(spec['template'])['metadata']) }];
    if (isKind(object, 'apps', 'StatefulSet')) {
      asArray(spec['volumeClaimTemplates']).forEach((claim, index) => {
        found.push({ path: `spec.volumeClaimTemplates[${index}].metadata`, metadata: asObject(asObject(claim)['metadata']) });
      });
    }
    return found;
  }
  return [];
}

/** The pod specs of a built-in object, with their paths. */
function podSpecs(object: KubeObject): Array<{ path: string; spec: Json }> {
  const spec = asObject(object.spec);
  if (isKind(object, '', 'Pod')) return [{ path: 'spec', spec }];
  if (isKind(object, '', 'PodTemplate')) return [{ path: 'template.spec', spec: asObject(asObject(object['template'])['spec']) }];
  if (isKind(object, 'batch', 'CronJob')) {
    return [{ path: 'spec.jobTemplate.spec.template.spec', spec: asObject(asObject(asObject(asObject(spec['jobTemplate'])['spec'])['template'])['spec']) }];
  }
  if (
    isKind(object, 'apps', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet') ||
    isKind(object, 'batch', 'Job') ||
    isKind(object, '', 'ReplicationController')
  ) {
    return [{ path: 'spec.template.spec', spec: asObject(asObject(spec['template'])['spec']) }];
  }
  return [];
}

/** The containers and init containers of a pod spec, with their paths. */
function containersOf(pod: { path: string; spec: Json }): Array<{ path: string; container: Json }> {
  return ['initContainers', 'containers'].flatMap((list) =>
    asArray(pod.spec[list]).map((container, index) => ({ path: `${pod.path}.${list}[${index}]`, container: asObject(container) })),
  );
}

// --- walking built-in objects: int32 and selectors -------------------------------------------------

/**
 * Fields Kubernetes declares `int64` (`k8s.io/api` types): pod and probe `terminationGracePeriodSeconds`,
 * pod and Job `activeDeadlineSeconds`, CronJob `startingDeadlineSeconds`, security context
 * `runAsUser`/`runAsGroup`/`fsGroup`/`supplementalGroups`, projected token and CSIDriver
 * `expirationSeconds`, toleration `tolerationSeconds`, lifecycle `sleep.seconds`, ControllerRevision
 * `revision`. Every other integer field of a built-in kind is `int32` (the `metadata` and `status`
 * int64s, `generation` and `observedGeneration`, are not walked).
 */
const INT64_FIELDS = new Set([
  'terminationGracePeriodSeconds',
  'activeDeadlineSeconds',
  'startingDeadlineSeconds',
  'runAsUser',
  'runAsGroup',
  'fsGroup',
  'supplementalGroups',
  'expirationSeconds',
  'tolerationSeconds',
  'seconds',
  'revision',
]);
/** Keys whose values are maps of `resource.Quantity` (a JSON number there is a quantity, e.g. bytes). */
const QUANTITY_MAPS = new Set([
  'requests',
  'limits',
  'overhead',
  'podFixed',
  'hard',
  'used',
  'capacity',
  'allocatable',
  'max',
  'min',
  'default',
  'defaultRequest',
  'maxLimitRequestRatio',
]);
/** Keys that hold one `resource.Quantity`. */
const QUANTITY_FIELDS = new Set(['sizeLimit', 'maximumVolumeSize']);
/** Keys that hold a `metav1.LabelSelector`. */
const LABEL_SELECTOR_KEYS = new Set(['selector', 'labelSelector', 'namespaceSelector', 'podSelector', 'objectSelector', 'clusterRoleSelectors']);
const SELECTOR_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

function checkLabelSelector(selector: Json, path: string, report: Report): void {
  checkLabelMap(selector['matchLabels'], join(path, 'matchLabels'), report);
  asArray(selector['matchExpressions']).forEach((entry, index) => {
    const requirement = asObject(entry);
    const at = `${join(path, 'matchExpressions')}[${index}]`;
    const key = requirement['key'];
    const operator = requirement['operator'];
    const values = asArray(requirement['values']);
    if (typeof key === 'string' && !isLabelKey(key)) report.add('label', `${at}.key`, `key ${show(key)} must be ${LABEL_KEY_RULE}`);
    values.forEach((value, valueIndex) => {
      if (typeof value === 'string' && !isLabelValue(value))
        report.add('label', `${at}.values[${valueIndex}]`, `value ${show(value)} must be ${LABEL_VALUE_RULE}`);
    });
    if (typeof operator !== 'string' || !SELECTOR_OPERATORS.includes(operator)) {
      report.add('selector', `${at}.operator`, `operator ${show(operator)} is not one of ${SELECTOR_OPERATORS.join(', ')}`);
    } else if ((operator === 'In' || operator === 'NotIn') && values.length === 0) {
      report.add('selector', `${at}.values`, `must be specified when operator is ${operator}`);
    } else if ((operator === 'Exists' || operator === 'DoesNotExist') && values.length > 0) {
      report.add('selector', `${at}.values`, `may not be specified when operator is ${operator}`);
    }
  });
}

/**
 * Walks a built-in object (but `metadata` and `status`) for integers beyond int32, label selectors
 * (`matchLabels`/`matchExpressions` under a selector key) and pod `nodeSelector`s.
 */
function walkBuiltIn(object: KubeObject, report: Report, enabled: Set<ApiRuleId>): void {
  const visit = (value: unknown, path: string, key: string, parentKey: string): void => {
    if (typeof value === 'number') {
      const quantity =
        QUANTITY_MAPS.has(parentKey) ||
        QUANTITY_FIELDS.has(key) ||
        ((parentKey === 'target' || parentKey === 'current') && (key === 'value' || key === 'averageValue'));
      if (enabled.has('int32') && Number.isInteger(value) && !quantity && !INT64_FIELDS.has(key) && (value > INT32.max || value < INT32.min)) {
        report.add('int32', path, `${value} is outside the int32 range ${INT32.min}..${INT32.max}`);
      }
      return;
    }
    if (Array.isArray(value)) {
      // An array element keeps its field's name: supplementalGroups[0] is an int64 like its field.
      value.forEach((item, index) => {
        visit(item, `${path}[${index}]`, key, parentKey);
      });
      return;
    }
    if (!isMap(value)) return;
    if (enabled.has('label') || enabled.has('selector')) {
      if (LABEL_SELECTOR_KEYS.has(key) && ('matchLabels' in value || 'matchExpressions' in value)) checkLabelSelector(value, path, report);
      if (key === 'nodeSelector' && enabled.has('label')) checkLabelMap(value, path, report);
    }
    if (QUANTITY_MAPS.has(key)) {
      // Quantities only; nothing else to walk.
      return;
    }
    for (const [child, item] of Object.entries(value)) {
      if (item === null || item === undefined) continue;
      visit(item, join(path, child), child, key);
    }
  };
  // A CRD's schemas hold int64/float64 bounds and arbitrary JSON defaults; ConfigMaps and Secrets hold strings.
  if (isKind(object, 'apiextensions.k8s.io', 'CustomResourceDefinition')) return;
  const skip = isKind(object, '', 'ConfigMap', 'Secret') ? new Set(['data', 'binaryData', 'stringData']) : new Set<string>();
  for (const [child, item] of Object.entries(object)) {
    if (child === 'metadata' || child === 'status' || skip.has(child) || item === null || item === undefined) continue;
    visit(item, child, child, '');
  }
  if (enabled.has('label') && isKind(object, '', 'Service', 'ReplicationController')) checkLabelMap(asObject(object.spec)['selector'], 'spec.selector', report);
}

// --- ports -------------------------------------------------------------------------------------------

/**
 * Container ports, per pod: a name (optional) is an IANA service name, and unique in the pod; the
 * API server rejects a duplicate within one container (`validateContainerPorts`), and the field's
 * contract ("each named port in a pod must have a unique name") extends that across containers,
 * since Services and probes pick a named port by name. `containerPort` is 1–65535 and (with its
 * protocol, TCP by default) unique in its container: those are the list's map keys, so server-side
 * apply (Helm 4's default) refuses a duplicate. `hostPort`, when set, is 1–65535.
 */
function checkContainerPorts(object: KubeObject, report: Report): void {
  for (const pod of podSpecs(object)) {
    const names = new Map<string, string>();
    for (const { path, container } of containersOf(pod)) {
      const numbers = new Map<string, string>();
      asArray(container['ports']).forEach((entry, index) => {
        const port = asObject(entry);
        const at = `${path}.ports[${index}]`;
        const name = port['name'];
        if (typeof name === 'string' && name !== '') {
          if (!isIanaServiceName(name)) report.add('container-port', `${at}.name`, `name ${show(name)} must be ${IANA_RULE}`);
          else if (names.has(name))
            report.add('container-port', `${at}.name`, `name ${show(name)} is already used by ${names.get(name)}: port names must be unique in a pod`);
          else names.set(name, at);
        }
        const number = port['containerPort'];
        if (typeof number === 'number' && Number.isInteger(number)) {
          if (number < 1 || number > 65535) report.add('container-port', `${at}.containerPort`, `${number} must be between 1 and 65535`);
          const key = `${number}/${typeof port['protocol'] === 'string' ? port['protocol'] : 'TCP'}`;
          if (numbers.has(key)) report.add('container-port', at, `containerPort/protocol ${key} is already declared by ${numbers.get(key)}`);
          else numbers.set(key, at);
        }
        const hostPort = port['hostPort'];
        if (typeof hostPort === 'number' && hostPort !== 0 && (hostPort < 1 || hostPort > 65535)) {
          report.add('container-port', `${at}.hostPort`, `${hostPort} must be between 1 and 65535`);
        }
      });
    }
  }
}

/**
 * Service ports (`ValidateService`, `validateServicePort`): with more than one port each needs a
 * name; names are DNS-1123 labels and unique; `port` is 1–65535 and unique with its protocol;
 * `targetPort` is 1–65535 or an IANA service name (0 and "" mean "same as port"); `nodePort` is
 * forbidden on a ClusterIP Service, unique with its protocol, and inside the allocator's range.
 */
function checkServicePorts(object: KubeObject, report: Report, nodePortRange: readonly [number, number]): void {
  if (!isKind(object, '', 'Service')) return;
  const spec = asObject(object.spec);
  const ports = asArray(spec['ports']).map(asObject);
  const type = typeof spec['type'] === 'string' ? spec['type'] : 'ClusterIP';
  const names = new Set<string>();
  const numbers = new Map<string, string>();
  const nodePorts = new Map<string, string>();
  ports.forEach((port, index) => {
    const at = `spec.ports[${index}]`;
    const name = port['name'];
    const protocol = typeof port['protocol'] === 'string' ? port['protocol'] : 'TCP';
    if (typeof name !== 'string' || name === '') {
      if (ports.length > 1) report.add('service-port', `${at}.name`, 'a name is required when a Service has more than one port');
    } else if (!isDns1123Label(name)) {
      report.add('service-port', `${at}.name`, `name ${show(name)} must be ${DNS1123_LABEL_RULE}`);
    } else if (names.has(name)) {
      report.add('service-port', `${at}.name`, `name ${show(name)} is used by another port of the Service`);
    } else {
      names.add(name);
    }
    const number = port['port'];
    if (typeof number === 'number' && Number.isInteger(number)) {
      if (number < 1 || number > 65535) report.add('service-port', `${at}.port`, `${number} must be between 1 and 65535`);
      const key = `${number}/${protocol}`;
      if (numbers.has(key)) report.add('service-port', at, `port/protocol ${key} is already declared by ${numbers.get(key)}`);
      else numbers.set(key, at);
    }
    const target = port['targetPort'];
    if (typeof target === 'number' && target !== 0 && (target < 1 || target > 65535)) {
      report.add('service-port', `${at}.targetPort`, `${target} must be between 1 and 65535`);
    } else if (typeof target === 'string' && target !== '' && !isIanaServiceName(target)) {
      report.add('service-port', `${at}.targetPort`, `${show(target)} must be a port number or ${IANA_RULE}`);
    }
    const nodePort = port['nodePort'];
    if (typeof nodePort === 'number' && nodePort !== 0) {
      if (type === 'ClusterIP') report.add('service-port', `${at}.nodePort`, "may not be used when type is 'ClusterIP'");
      else if (nodePort < nodePortRange[0] || nodePort > nodePortRange[1]) {
        report.add('service-port', `${at}.nodePort`, `${nodePort} is outside the node port range ${nodePortRange[0]}-${nodePortRange[1]}`);
      }
      const key = `${nodePort}/${protocol}`;
      if (nodePorts.has(key)) report.add('service-port', `${at}.nodePort`, `nodePort/protocol ${key} is already used by ${nodePorts.get(key)}`);
      else nodePorts.set(key, at);
    }
  });
}

// --- int-or-percent ---------------------------------------------------------------------------------

/** The value of an IntOrString (`"25%"` → 25); `undefined` when it is neither. */
function intOrPercentValue(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && PERCENT.test(value)) return Number(value.slice(0, -1));
  return undefined;
}

/** `ValidatePositiveIntOrPercent` and, where asked, `IsNotMoreThan100Percent`. */
function checkIntOrPercent(value: unknown, path: string, report: Report, atMost100: boolean): void {
  if (value === undefined || value === null) return;
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value < 0) report.add('int-or-percent', path, `${value} must be greater than or equal to 0`);
  } else if (typeof value !== 'string' || !PERCENT.test(value)) {
    report.add('int-or-percent', path, `${show(value)} must be an integer or a percentage like "25%" (a quoted number is neither)`);
  } else if (atMost100 && Number(value.slice(0, -1)) > 100) {
    report.add('int-or-percent', path, `${value} must not be greater than 100%`);
  }
}

/**
 * Deployment rolling updates (`ValidateRollingUpdateDeployment`: `maxUnavailable` ≤ 100%, not both
 * zero, defaults 25%), DaemonSet ones (`ValidateRollingUpdateDaemonSet`: both ≤ 100%, exactly one
 * non-zero, defaults 1 and 0), StatefulSet `maxUnavailable` (≥ 1, ≤ 100%) and PodDisruptionBudgets
 * (`ValidatePodDisruptionBudgetSpec`: `minAvailable` and `maxUnavailable` ≤ 100%, not both set).
 */
function checkIntOrPercents(object: KubeObject, report: Report): void {
  const spec = asObject(object.spec);
  if (isKind(object, 'apps', 'Deployment')) {
    const strategy = asObject(spec['strategy']);
    if ((strategy['type'] ?? 'RollingUpdate') !== 'RollingUpdate') return;
    const rolling = asObject(strategy['rollingUpdate']);
    checkIntOrPercent(rolling['maxUnavailable'], 'spec.strategy.rollingUpdate.maxUnavailable', report, true);
    checkIntOrPercent(rolling['maxSurge'], 'spec.strategy.rollingUpdate.maxSurge', report, false);
    if (intOrPercentValue(rolling['maxUnavailable'] ?? '25%') === 0 && intOrPercentValue(rolling['maxSurge'] ?? '25%') === 0) {
      report.add('int-or-percent', 'spec.strategy.rollingUpdate.maxUnavailable', 'may not be 0 when maxSurge is 0');
    }
  } else if (isKind(object, 'apps', 'DaemonSet')) {
    const strategy = asObject(spec['updateStrategy']);
    if ((strategy['type'] ?? 'RollingUpdate') !== 'RollingUpdate') return;
    const rolling = asObject(strategy['rollingUpdate']);
    checkIntOrPercent(rolling['maxUnavailable'], 'spec.updateStrategy.rollingUpdate.maxUnavailable', report, true);
    checkIntOrPercent(rolling['maxSurge'], 'spec.updateStrategy.rollingUpdate.maxSurge', report, true);
    const unavailable = intOrPercentValue(rolling['maxUnavailable'] ?? 1);
    const surge = intOrPercentValue(rolling['maxSurge'] ?? 0);
    if (unavailable !== undefined && surge !== undefined) {
      if (unavailable !== 0 && surge !== 0)
        report.add('int-or-percent', 'spec.updateStrategy.rollingUpdate.maxSurge', 'may not be set when maxUnavailable is non-zero');
      if (unavailable === 0 && surge === 0) report.add('int-or-percent', 'spec.updateStrategy.rollingUpdate.maxUnavailable', 'cannot be 0 when maxSurge is 0');
    }
  } else if (isKind(object, 'apps', 'StatefulSet')) {
    const value = asObject(asObject(spec['updateStrategy'])['rollingUpdate'])['maxUnavailable'];
    checkIntOrPercent(value, 'spec.updateStrategy.rollingUpdate.maxUnavailable', report, true);
    if (intOrPercentValue(value) === 0) report.add('int-or-percent', 'spec.updateStrategy.rollingUpdate.maxUnavailable', 'must be greater than 0');
  } else if (isKind(object, 'policy', 'PodDisruptionBudget')) {
    checkIntOrPercent(spec['minAvailable'], 'spec.minAvailable', report, true);
    checkIntOrPercent(spec['maxUnavailable'], 'spec.maxUnavailable', report, true);
    if (spec['minAvailable'] != null && spec['maxUnavailable'] != null)
      report.add('int-or-percent', 'spec', 'minAvailable and maxUnavailable cannot both be set');
  }
}

// --- resources ---------------------------------------------------------------------------------------

/** Extended resources (a domain other than `*kubernetes.io/`) and hugepages cannot be overcommitted (`IsOvercommitAllowed`). */
const overcommitAllowed = (resource: string): boolean => (!resource.includes('/') || resource.includes('kubernetes.io/')) && !resource.startsWith('hugepages-');

/**
 * `ValidateResourceRequirements` for every container, init container and pod-level `resources`:
 * each quantity parses and is not negative; a request of a resource that is also limited is at most
 * the limit (equal to it for resources that cannot be overcommitted, which also need a limit).
 */
function checkResources(object: KubeObject, report: Report): void {
  for (const pod of podSpecs(object)) {
    const holders = [
      ...containersOf(pod).map(({ path, container }) => ({ path: `${path}.resources`, resources: container['resources'] })),
      { path: `${pod.path}.resources`, resources: pod.spec['resources'] },
    ];
    for (const { path, resources } of holders) {
      const parsed: Record<'requests' | 'limits', Map<string, { text: unknown; value: number }>> = { requests: new Map(), limits: new Map() };
      for (const kind of ['limits', 'requests'] as const) {
        for (const [resource, quantity] of Object.entries(asObject(asObject(resources)[kind]))) {
          if (quantity === null || quantity === undefined) continue;
          const value = parseQuantity(quantity);
          const at = `${path}.${kind}[${resource}]`;
          if (value === undefined) report.add('resources', at, `${show(quantity)} is not a quantity (e.g. 500m, 0.5, 128Mi, 1G, 1e3)`);
          else if (value < 0) report.add('resources', at, `${show(quantity)} must be greater than or equal to 0`);
          else parsed[kind].set(resource, { text: quantity, value });
        }
      }
      for (const [resource, request] of parsed.requests) {
        const limit = parsed.limits.get(resource);
        const at = `${path}.requests[${resource}]`;
        if (!limit) {
          if (!overcommitAllowed(resource) && !Object.hasOwn(asObject(asObject(resources)['limits']), resource))
            report.add('resources', `${path}.limits`, `a limit for ${resource} is required: it cannot be overcommitted`);
          continue;
        }
        if (!overcommitAllowed(resource) && request.value !== limit.value)
          report.add('resources', at, `request ${String(request.text)} must equal the ${resource} limit of ${String(limit.text)}`);
        else if (request.value > limit.value)
          report.add('resources', at, `request ${String(request.text)} must be less than or equal to the ${resource} limit of ${String(limit.text)}`);
      }
    }
  }
}

// --- selectors ---------------------------------------------------------------------------------------

/**
 * A Deployment, ReplicaSet, StatefulSet or DaemonSet needs a non-empty `spec.selector` that selects
 * its own pod template's labels (`ValidateDeploymentSpec` and its siblings).
 */
function checkWorkloadSelector(object: KubeObject, report: Report): void {
  if (!isKind(object, 'apps', 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet')) return;
  const spec = asObject(object.spec);
  const selector = asObject(spec['selector']);
  const matchLabels = asLabels(selector['matchLabels']);
  const expressions = asArray(selector['matchExpressions']).map(asObject);
  if (Object.keys(matchLabels).length + expressions.length === 0) {
    report.add('selector', 'spec.selector', `an empty selector is invalid for a ${object.kind}`);
    return;
  }
  const labels = asLabels(asObject(asObject(spec['template'])['metadata'])['labels']);
  const requirements = expressions.map((entry) => ({
    key: String(entry['key']),
    operator: String(entry['operator']),
    values: asArray(entry['values']).map(String),
  }));
  if (!selectorMatches({ matchLabels, matchExpressions: requirements }, labels)) {
    report.add('selector', 'spec.template.metadata.labels', `selector ${show(selector)} does not match the template labels ${show(labels)}`);
  }
}

// --- HPA ---------------------------------------------------------------------------------------------

/**
 * `validateHorizontalPodAutoscalerSpec`: `minReplicas` ≥ 1 (0 only behind the alpha HPAScaleToZero
 * gate), `maxReplicas` ≥ 1 and ≥ `minReplicas` (default 1); resource utilisation targets ≥ 1.
 */
function checkHpa(object: KubeObject, report: Report): void {
  if (!isKind(object, 'autoscaling', 'HorizontalPodAutoscaler')) return;
  const spec = asObject(object.spec);
  const min = spec['minReplicas'];
  const max = spec['maxReplicas'];
  if (typeof min === 'number' && min < 1) report.add('hpa', 'spec.minReplicas', `${min} must be greater than or equal to 1`);
  if (typeof max === 'number' && max < 1) report.add('hpa', 'spec.maxReplicas', `${max} must be greater than 0`);
  if (typeof max === 'number' && max < (typeof min === 'number' ? min : 1))
    report.add('hpa', 'spec.maxReplicas', `${max} must be greater than or equal to minReplicas (${typeof min === 'number' ? min : '1 by default'})`);
  const cpu = spec['targetCPUUtilizationPercentage'];
  if (typeof cpu === 'number' && cpu < 1) report.add('hpa', 'spec.targetCPUUtilizationPercentage', `${cpu} must be greater than 0`);
  asArray(spec['metrics']).forEach((entry, index) => {
    for (const source of ['resource', 'containerResource']) {
      const utilisation = asObject(asObject(asObject(entry)[source])['target'])['averageUtilization'];
      if (typeof utilisation === 'number' && utilisation < 1)
        report.add('hpa', `spec.metrics[${index}].${source}.target.averageUtilization`, `${utilisation} must be greater than 0`);
    }
  });
}

/**
 * Applies the API server's own rules to rendered objects and returns every violation (empty when
 * the API server would accept them all, as far as these rules go). Pure: the objects are only read.
 * Custom resources get the metadata rules only; their bodies are their CRDs' business.
 *
 * @param objects - the rendered objects, each with `apiVersion` and `kind`
 * @param options - which rules to run, the node port range
 */
export function checkApiRules(objects: readonly KubeObject[], options: ApiRuleOptions = {}): ApiRuleViolation[] {
  const enabled = new Set<ApiRuleId>(options.rules ?? API_RULES);
  const nodePortRange = options.nodePortRange ?? [30000, 32767];
  const violations: ApiRuleViolation[] = [];
  for (const object of objects) {
    const report = new Report(describeObject(object));
    if (enabled.has('name')) checkNames(object, report);
    if (enabled.has('label')) checkLabelMap(object.metadata?.labels, 'metadata.labels', report);
    if (enabled.has('annotation')) checkAnnotations(object.metadata?.annotations, 'metadata.annotations', report);
    if (isBuiltIn(object)) {
      for (const { path, metadata } of templateMetadata(object)) {
        if (enabled.has('label')) checkLabelMap(metadata['labels'], `${path}.labels`, report);
        if (enabled.has('annotation')) checkAnnotations(metadata['annotations'], `${path}.annotations`, report);
      }
      walkBuiltIn(object, report, enabled);
      if (enabled.has('container-port')) checkContainerPorts(object, report);
      if (enabled.has('service-port')) checkServicePorts(object, report, nodePortRange);
      if (enabled.has('int-or-percent')) checkIntOrPercents(object, report);
      if (enabled.has('resources')) checkResources(object, report);
      if (enabled.has('selector')) checkWorkloadSelector(object, report);
      if (enabled.has('hpa')) checkHpa(object, report);
    }
    violations.push(...report.violations.filter((violation) => enabled.has(violation.rule)));
  }
  return violations;
}
