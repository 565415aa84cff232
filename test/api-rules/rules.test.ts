// The API server's own rules (generator/checks/api-rules.ts): each predicate at its boundaries,
// quantities as Kubernetes parses them, and each object rule on a small hand-made object that
// passes, then broken the way a real template would break it.
import { describe, it, expect } from 'vitest';
import {
  API_RULES,
  MAX_ANNOTATIONS_BYTES,
  checkApiRules,
  isDns1035Label,
  isDns1123Label,
  isDns1123Subdomain,
  isIanaServiceName,
  isLabelKey,
  isLabelValue,
  isPathSegmentName,
  isQualifiedAnnotationKey,
  isWithinAnnotationSizeLimit,
  selectorMatches,
  type ApiRuleId,
} from '../../generator/checks/api-rules.js';
import type { KubeObject as ApiObject } from '../../generator/checks/object.js';
import { parseQuantity } from '../../values-schemas/common/quantity.js';
import { assertStrict } from '../helpers/strict.js';
import type { KubeObject } from '../helpers/models.js';

const a = (n: number) => 'a'.repeat(n);

describe('name predicates', () => {
  it.each<[string, boolean]>([
    ['order-service', true],
    ['0abc', true],
    [a(63), true],
    [a(64), false],
    ['', false],
    ['Order', false],
    ['-a', false],
    ['a-', false],
    ['a.b', false],
    ['a_b', false],
  ])('isDns1123Label(%j) should be %s', (value, expected) => {
    expect(isDns1123Label(value)).toBe(expected);
  });

  it.each<[string, boolean]>([
    ['istio-ingressgateway.istio-system', true],
    [`${a(63)}.${a(63)}.${a(63)}.${a(61)}`, true], // 253
    [`${a(63)}.${a(63)}.${a(63)}.${a(62)}`, false], // 254
    [a(100), true], // Kubernetes does not limit each label of a subdomain
    ['a..b', false],
    ['.a', false],
    ['a.', false],
    ['A.b', false],
    ['', false],
  ])('isDns1123Subdomain(%j) should be %s', (value, expected) => {
    expect(isDns1123Subdomain(value)).toBe(expected);
  });

  it.each<[string, boolean]>([
    ['api', true],
    ['a1-b', true],
    [a(63), true],
    [a(64), false],
    ['1-api', false],
    ['-api', false],
    ['Api', false],
  ])('isDns1035Label(%j) should be %s', (value, expected) => {
    expect(isDns1035Label(value)).toBe(expected);
  });

  it.each<[string, boolean]>([
    ['system:auth-delegator', true],
    ['Upper_Case', true],
    ['.', false],
    ['..', false],
    ['a/b', false],
    ['100%', false],
  ])('isPathSegmentName(%j) should be %s', (value, expected) => {
    expect(isPathSegmentName(value)).toBe(expected);
  });
});

describe('label and annotation predicates', () => {
  it.each<[string, boolean]>([
    ['app', true],
    ['app.kubernetes.io/name', true],
    ['MyName', true],
    ['my_name.x-1', true],
    [a(63), true],
    [a(64), false],
    [`${a(253)}/name`, true],
    [`${a(254)}/name`, false], // prefix too long
    ['Example.com/name', false], // the prefix is a lowercase subdomain
    ['/name', false],
    ['example.com/', false],
    ['a/b/c', false],
    ['-app', false],
    ['app-', false],
    ['', false],
  ])('isLabelKey(%j) should be %s', (value, expected) => {
    expect(isLabelKey(value)).toBe(expected);
  });

  it.each<[string, boolean]>([
    ['', true],
    ['v1.2.3', true],
    ['My_Value', true],
    [a(63), true],
    [a(64), false],
    ['-v', false],
    ['v.', false],
    ['a b', false],
    ['a/b', false],
  ])('isLabelValue(%j) should be %s', (value, expected) => {
    expect(isLabelValue(value)).toBe(expected);
  });

  it.each<[string, boolean]>([
    ['helm.sh/hook', true],
    ['Example.com/Key', true], // checked case-insensitively, unlike a label key
    ['checksum/config', true],
    [`${a(254)}/key`, false],
    ['a b', false],
  ])('isQualifiedAnnotationKey(%j) should be %s', (value, expected) => {
    expect(isQualifiedAnnotationKey(value)).toBe(expected);
  });

  it('should limit the annotations of an object to 256 KiB of keys and values together', () => {
    expect(isWithinAnnotationSizeLimit({ k: a(MAX_ANNOTATIONS_BYTES - 1) })).toBe(true);
    expect(isWithinAnnotationSizeLimit({ k: a(MAX_ANNOTATIONS_BYTES) })).toBe(false);
    expect(isWithinAnnotationSizeLimit({ k: 'é'.repeat(MAX_ANNOTATIONS_BYTES / 2) })).toBe(false); // bytes, not characters
  });

  it.each<[string, boolean]>([
    ['http', true],
    ['http-metrics', true],
    ['h2c', true],
    [a(15), true],
    [a(16), false],
    ['8080', false], // at least one letter
    ['http--metrics', false],
    ['-http', false],
    ['http-', false],
    ['HTTP', false],
    ['http_metrics', false],
    ['', false],
  ])('isIanaServiceName(%j) should be %s', (value, expected) => {
    expect(isIanaServiceName(value)).toBe(expected);
  });
});

describe('parseQuantity', () => {
  it.each<[string | number, number]>([
    ['100m', 0.1],
    ['1', 1],
    [2, 2],
    [0.5, 0.5],
    ['0.5', 0.5],
    ['.5', 0.5],
    ['1Gi', 2 ** 30],
    ['512Mi', 536_870_912],
    ['1.5Gi', 1.5 * 2 ** 30],
    ['1Ei', 2 ** 60],
    ['1k', 1000],
    ['1M', 1e6],
    ['1G', 1e9],
    ['1E', 1e18],
    ['1e3', 1000],
    ['1E3', 1000],
    ['1e-3', 0.001],
    ['250u', 0.00025],
    ['5n', 5e-9],
    ['+1', 1],
    ['-1', -1],
    ['0', 0],
  ])('should read %j as %d', (value, expected) => {
    expect(parseQuantity(value)).toBe(expected);
  });

  it.each(['1.5.5', '500mb', '1KB', '1ki', '1e', '1 Gi', 'Gi1', '', 'abc', '1Mi3'])('should refuse %j', (value) => {
    expect(parseQuantity(value)).toBeUndefined();
  });
});

describe('selectorMatches', () => {
  const labels = { app: 'web', tier: 'front' };
  it.each<[string, Parameters<typeof selectorMatches>[0], boolean]>([
    ['matchLabels', { matchLabels: { app: 'web' } }, true],
    ['matchLabels, other value', { matchLabels: { app: 'api' } }, false],
    ['In', { matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'back'] }] }, true],
    ['In, absent key', { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }, false],
    ['NotIn, absent key', { matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }, true],
    ['NotIn', { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['front'] }] }, false],
    ['Exists', { matchExpressions: [{ key: 'app', operator: 'Exists' }] }, true],
    ['DoesNotExist', { matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, false],
  ])('should apply %s as the API machinery does', (_title, selector, expected) => {
    expect(selectorMatches(selector, labels)).toBe(expected);
  });
});

// ---------------------------------------------------------------------------------------------
// The object rules

type Mutable = { [key: string]: any };
const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

const deployment = (): Mutable => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'restaurant', labels: { app: 'web' }, annotations: { 'checksum/config': 'abc' } },
  spec: {
    replicas: 2,
    revisionHistoryLimit: 3,
    selector: { matchLabels: { app: 'web' } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: 1 } },
    template: {
      metadata: { labels: { app: 'web', version: 'v1' } },
      spec: {
        terminationGracePeriodSeconds: 3_000_000_000,
        securityContext: { runAsUser: 3_000_000_000, supplementalGroups: [3_000_000_000] },
        nodeSelector: { 'kubernetes.io/os': 'linux' },
        initContainers: [{ name: 'init', image: 'busybox', ports: [{ name: 'init-http', containerPort: 9000 }] }],
        containers: [
          {
            name: 'web',
            image: 'web:1',
            ports: [
              { name: 'http', containerPort: 8080 },
              { name: 'metrics', containerPort: 9090 },
              { containerPort: 8080, protocol: 'UDP' },
            ],
            resources: { requests: { cpu: '100m', memory: 2 ** 27 }, limits: { cpu: 1, memory: '4Gi', 'nvidia.com/gpu': 1 } },
            readinessProbe: { httpGet: { path: '/', port: 'http' }, periodSeconds: 10 },
          },
          {
            name: 'sidecar',
            image: 'proxy:1',
            ports: [{ name: 'proxy', containerPort: 15001 }],
            resources: { requests: { 'nvidia.com/gpu': 1 }, limits: { 'nvidia.com/gpu': 1 } },
          },
        ],
      },
    },
  },
});

const service = (): Mutable => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'restaurant' },
  spec: {
    selector: { app: 'web' },
    ports: [
      { name: 'http', port: 80, targetPort: 'http' },
      { name: 'dns', port: 53, protocol: 'UDP', targetPort: 5353 },
      { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 0 },
    ],
  },
});

const pdb = (): Mutable => ({
  apiVersion: 'policy/v1',
  kind: 'PodDisruptionBudget',
  metadata: { name: 'web', namespace: 'restaurant' },
  spec: { minAvailable: '50%', selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'version', operator: 'In', values: ['v1'] }] } },
});

const hpa = (): Mutable => ({
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'web', namespace: 'restaurant' },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
    minReplicas: 2,
    maxReplicas: 5,
    metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }],
  },
});

const fixtures: Record<string, () => Mutable> = { deployment, service, pdb, hpa };

/** The violations of one object with `edit` applied to a fresh copy of a fixture. */
function broken(fixture: keyof typeof fixtures, edit: (object: Mutable) => void): ReturnType<typeof checkApiRules> {
  const object = clone(fixtures[fixture]!());
  edit(object);
  return checkApiRules([object as ApiObject]);
}

describe('checkApiRules', () => {
  it('should accept the well-formed fixtures, int64 fields and quantities beyond int32 included', () => {
    // GIVEN objects that an API server accepts
    const objects = Object.values(fixtures).map((fixture) => fixture() as ApiObject);
    // WHEN the rules judge them, THEN there is nothing to report
    expect(checkApiRules(objects)).toEqual([]);
  });

  it('should offer every rule and run only the rules asked for', () => {
    expect(API_RULES).toEqual(['name', 'label', 'annotation', 'container-port', 'service-port', 'int32', 'int-or-percent', 'resources', 'selector', 'hpa']);
    const object = clone(deployment());
    object.metadata.name = 'Web';
    object.spec.replicas = 2 ** 31;
    expect(checkApiRules([object as ApiObject], { rules: ['int32'] }).map((violation) => violation.rule)).toEqual(['int32']);
  });

  // Each case: the fixture, how it is broken, the rule and field the violation must name.
  it.each<[string, keyof typeof fixtures, (object: Mutable) => void, ApiRuleId, string]>([
    // names
    ['a Deployment name that is no subdomain', 'deployment', (o) => (o.metadata.name = 'Web'), 'name', 'metadata.name'],
    ['a Deployment name of 254 characters', 'deployment', (o) => (o.metadata.name = a(254)), 'name', 'metadata.name'],
    ['a Service name with a leading digit', 'service', (o) => (o.metadata.name = '1-web'), 'name', 'metadata.name'],
    ['a Service name with a dot', 'service', (o) => (o.metadata.name = 'web.v1'), 'name', 'metadata.name'],
    ['a namespace with a dot', 'service', (o) => (o.metadata.namespace = 'restaurant.prod'), 'name', 'metadata.namespace'],
    ['no name', 'hpa', (o) => delete o.metadata.name, 'name', 'metadata.name'],
    // labels and annotations
    ['an object label value of 64 characters', 'deployment', (o) => (o.metadata.labels.release = a(64)), 'label', 'metadata.labels[release]'],
    ['an object label key with two slashes', 'service', (o) => (o.metadata.labels = { 'a/b/c': 'x' }), 'label', 'metadata.labels[a/b/c]'],
    [
      'a pod template label value with a space',
      'deployment',
      (o) => (o.spec.template.metadata.labels.version = 'v 1'),
      'label',
      'spec.template.metadata.labels[version]',
    ],
    ['a matchLabels value too long', 'pdb', (o) => (o.spec.selector.matchLabels.app = a(64)), 'label', 'spec.selector.matchLabels[app]'],
    [
      'a matchExpressions value too long',
      'pdb',
      (o) => (o.spec.selector.matchExpressions[0].values = [a(64)]),
      'label',
      'spec.selector.matchExpressions[0].values[0]',
    ],
    [
      'a Service selector key with an uppercase prefix',
      'service',
      (o) => (o.spec.selector = { 'Example.com/app': 'web' }),
      'label',
      'spec.selector[Example.com/app]',
    ],
    [
      'a nodeSelector value ending in a dot',
      'deployment',
      (o) => (o.spec.template.spec.nodeSelector['kubernetes.io/os'] = 'linux.'),
      'label',
      'spec.template.spec.nodeSelector[kubernetes.io/os]',
    ],
    ['an annotation key with a space', 'deployment', (o) => (o.metadata.annotations['my key'] = 'x'), 'annotation', 'metadata.annotations[my key]'],
    [
      'pod template annotations over 256 KiB',
      'deployment',
      (o) => (o.spec.template.metadata.annotations = { big: a(MAX_ANNOTATIONS_BYTES) }),
      'annotation',
      'spec.template.metadata.annotations',
    ],
    // container ports
    [
      'a container port name of 16 characters',
      'deployment',
      (o) => (o.spec.template.spec.containers[0].ports[0].name = a(16)),
      'container-port',
      'spec.template.spec.containers[0].ports[0].name',
    ],
    [
      'a container port name with "--"',
      'deployment',
      (o) => (o.spec.template.spec.containers[0].ports[1].name = 'http--metrics'),
      'container-port',
      'spec.template.spec.containers[0].ports[1].name',
    ],
    [
      'a container port name used twice in a container',
      'deployment',
      (o) => (o.spec.template.spec.containers[0].ports[1].name = 'http'),
      'container-port',
      'spec.template.spec.containers[0].ports[1].name',
    ],
    [
      'a container port name used by another container',
      'deployment',
      (o) => (o.spec.template.spec.containers[1].ports[0].name = 'init-http'),
      'container-port',
      'spec.template.spec.containers[1].ports[0].name',
    ],
    [
      'containerPort 0',
      'deployment',
      (o) => (o.spec.template.spec.containers[0].ports[1].containerPort = 0),
      'container-port',
      'spec.template.spec.containers[0].ports[1].containerPort',
    ],
    [
      'containerPort 65536',
      'deployment',
      (o) => (o.spec.template.spec.containers[0].ports[1].containerPort = 65536),
      'container-port',
      'spec.template.spec.containers[0].ports[1].containerPort',
    ],
    [
      'a containerPort/protocol declared twice',
      'deployment',
      (o) => (o.spec.template.spec.containers[0].ports[2].protocol = 'TCP'),
      'container-port',
      'spec.template.spec.containers[0].ports[2]',
    ],
    // service ports
    ['an unnamed port among several', 'service', (o) => delete o.spec.ports[1].name, 'service-port', 'spec.ports[1].name'],
    ['a port name that is no DNS label', 'service', (o) => (o.spec.ports[0].name = 'HTTP'), 'service-port', 'spec.ports[0].name'],
    ['a port name used twice', 'service', (o) => (o.spec.ports[2].name = 'dns'), 'service-port', 'spec.ports[2].name'],
    ['port 0', 'service', (o) => (o.spec.ports[0].port = 0), 'service-port', 'spec.ports[0].port'],
    ['a port/protocol declared twice', 'service', (o) => (o.spec.ports[2].protocol = 'UDP'), 'service-port', 'spec.ports[2]'],
    ['a target port number of 70000', 'service', (o) => (o.spec.ports[1].targetPort = 70000), 'service-port', 'spec.ports[1].targetPort'],
    ['a target port name that is no IANA name', 'service', (o) => (o.spec.ports[0].targetPort = 'http_port'), 'service-port', 'spec.ports[0].targetPort'],
    ['a nodePort on a ClusterIP Service', 'service', (o) => (o.spec.ports[0].nodePort = 30080), 'service-port', 'spec.ports[0].nodePort'],
    [
      'a nodePort outside the node port range',
      'service',
      (o) => ((o.spec.type = 'NodePort'), (o.spec.ports[0].nodePort = 8080)),
      'service-port',
      'spec.ports[0].nodePort',
    ],
    // int32
    ['replicas beyond int32', 'deployment', (o) => (o.spec.replicas = 2_147_483_648), 'int32', 'spec.replicas'],
    [
      'a probe period beyond int32',
      'deployment',
      (o) => (o.spec.template.spec.containers[0].readinessProbe.periodSeconds = 2 ** 40),
      'int32',
      'spec.template.spec.containers[0].readinessProbe.periodSeconds',
    ],
    ['revisionHistoryLimit below int32', 'deployment', (o) => (o.spec.revisionHistoryLimit = -2_147_483_649), 'int32', 'spec.revisionHistoryLimit'],
    // int-or-percent
    [
      'maxUnavailable over 100%',
      'deployment',
      (o) => (o.spec.strategy.rollingUpdate.maxUnavailable = '101%'),
      'int-or-percent',
      'spec.strategy.rollingUpdate.maxUnavailable',
    ],
    [
      'maxSurge as a quoted number',
      'deployment',
      (o) => (o.spec.strategy.rollingUpdate.maxSurge = '1'),
      'int-or-percent',
      'spec.strategy.rollingUpdate.maxSurge',
    ],
    [
      'maxUnavailable and maxSurge both 0',
      'deployment',
      (o) => (o.spec.strategy.rollingUpdate = { maxUnavailable: 0, maxSurge: '0%' }),
      'int-or-percent',
      'spec.strategy.rollingUpdate.maxUnavailable',
    ],
    ['a PDB minAvailable over 100%', 'pdb', (o) => (o.spec.minAvailable = '150%'), 'int-or-percent', 'spec.minAvailable'],
    ['a negative PDB maxUnavailable', 'pdb', (o) => ((o.spec.maxUnavailable = -1), delete o.spec.minAvailable), 'int-or-percent', 'spec.maxUnavailable'],
    ['a PDB with minAvailable and maxUnavailable', 'pdb', (o) => (o.spec.maxUnavailable = 1), 'int-or-percent', 'spec'],
    // resources
    [
      'a cpu request above its limit',
      'deployment',
      (o) => (o.spec.template.spec.containers[0].resources.requests.cpu = '1500m'),
      'resources',
      'spec.template.spec.containers[0].resources.requests[cpu]',
    ],
    [
      'a memory request above its limit in another unit',
      'deployment',
      (o) => (o.spec.template.spec.containers[0].resources.requests.memory = '5G'),
      'resources',
      'spec.template.spec.containers[0].resources.requests[memory]',
    ],
    [
      'an init container request above its limit',
      'deployment',
      (o) => (o.spec.template.spec.initContainers[0].resources = { requests: { memory: '2Gi' }, limits: { memory: '1Gi' } }),
      'resources',
      'spec.template.spec.initContainers[0].resources.requests[memory]',
    ],
    [
      'a quantity that does not parse',
      'deployment',
      (o) => (o.spec.template.spec.containers[0].resources.limits.memory = '4GB'),
      'resources',
      'spec.template.spec.containers[0].resources.limits[memory]',
    ],
    [
      'an extended resource request below its limit',
      'deployment',
      (o) => (o.spec.template.spec.containers[1].resources.requests['nvidia.com/gpu'] = 0),
      'resources',
      'spec.template.spec.containers[1].resources.requests[nvidia.com/gpu]',
    ],
    // selectors
    [
      'a selector that misses the template labels',
      'deployment',
      (o) => (o.spec.selector.matchLabels = { app: 'api' }),
      'selector',
      'spec.template.metadata.labels',
    ],
    [
      'a selector expression that excludes the template',
      'deployment',
      (o) => (o.spec.selector.matchExpressions = [{ key: 'version', operator: 'NotIn', values: ['v1'] }]),
      'selector',
      'spec.template.metadata.labels',
    ],
    ['an empty selector', 'deployment', (o) => (o.spec.selector = {}), 'selector', 'spec.selector'],
    [
      'an unknown selector operator',
      'pdb',
      (o) => (o.spec.selector.matchExpressions[0].operator = 'Equals'),
      'selector',
      'spec.selector.matchExpressions[0].operator',
    ],
    [
      'an In expression without values',
      'pdb',
      (o) => (o.spec.selector.matchExpressions[0].values = []),
      'selector',
      'spec.selector.matchExpressions[0].values',
    ],
    // HPA
    ['minReplicas above maxReplicas', 'hpa', (o) => (o.spec.minReplicas = 6), 'hpa', 'spec.maxReplicas'],
    ['maxReplicas 0', 'hpa', (o) => ((o.spec.maxReplicas = 0), delete o.spec.minReplicas), 'hpa', 'spec.maxReplicas'],
    ['minReplicas 0', 'hpa', (o) => (o.spec.minReplicas = 0), 'hpa', 'spec.minReplicas'],
    [
      'a utilisation target of 0',
      'hpa',
      (o) => (o.spec.metrics[0].resource.target.averageUtilization = 0),
      'hpa',
      'spec.metrics[0].resource.target.averageUtilization',
    ],
  ])('should catch %s', (_title, fixture, edit, rule, field) => {
    // GIVEN a fixture broken in one place, WHEN the rules judge it
    const violations = broken(fixture, edit);
    // THEN a violation of that rule names that field, and nothing else is reported
    expect(violations.length, JSON.stringify(violations, null, 2)).toBeGreaterThan(0);
    expect(new Set(violations.map((violation) => violation.rule))).toEqual(new Set([rule]));
    expect(violations.map((violation) => violation.field)).toContain(field);
    expect(violations[0]!.object).toMatch(new RegExp(`^${fixtures[fixture]!().kind} restaurant`));
  });

  it.each<[string, ApiObject, string]>([
    ['a Namespace name with a dot', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'restaurant.prod' } }, 'metadata.name'],
    [
      'a StatefulSet name with a dot (a DNS label since 1.27)',
      {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name: 'db.v1', namespace: 'data' },
        spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } } } },
      },
      'metadata.name',
    ],
    ['a CronJob name of 53 characters', { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: a(53), namespace: 'data' } }, 'metadata.name'],
    ['a ClusterRole name with a slash', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'a/b' } }, 'metadata.name'],
    [
      'a custom resource name that is no subdomain',
      { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'Web', namespace: 'restaurant' } },
      'metadata.name',
    ],
    [
      'a label key with an empty name on a custom resource',
      { apiVersion: 'sailoperator.io/v1', kind: 'Istio', metadata: { name: 'default', labels: { 'x/': 'y' } } },
      'metadata.labels[x/]',
    ],
  ])('should catch %s', (_title, object, field) => {
    expect(checkApiRules([object]).map((violation) => violation.field)).toEqual([field]);
  });

  it.each<[string, ApiObject]>([
    ['a Namespace name', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'restaurant-prod' } }],
    [
      'a Deployment name with dots (only an API warning)',
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web.v1' },
        spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } } } },
      },
    ],
    ['a CronJob name of 52 characters', { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: a(52) } }],
    [
      'a ClusterRoleBinding name with colons and capitals',
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'system:Kube-Prometheus' } },
    ],
    [
      'a ConfigMap with a dotted name and huge numbers in data',
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'grafana.dashboards' }, data: { 'a.json': '{"n": 99999999999}' } },
    ],
    [
      'a CRD whose schema bounds exceed int32',
      {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: 'widgets.example.com' },
        spec: { versions: [{ schema: { openAPIV3Schema: { maximum: 4_294_967_295 } } }] },
      },
    ],
    [
      'a custom resource with large integers in its spec',
      { apiVersion: 'monitoring.coreos.com/v1', kind: 'Prometheus', metadata: { name: 'k8s' }, spec: { retentionSize: 1, maxBytes: 2 ** 40 } },
    ],
    [
      'a PVC storage request in bytes beyond int32',
      { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec: { resources: { requests: { storage: 2 ** 40 } } } },
    ],
    [
      'a DaemonSet rolling update with maxSurge alone',
      {
        apiVersion: 'apps/v1',
        kind: 'DaemonSet',
        metadata: { name: 'agent' },
        spec: {
          updateStrategy: { rollingUpdate: { maxUnavailable: 0, maxSurge: '10%' } },
          selector: { matchLabels: { a: 'b' } },
          template: { metadata: { labels: { a: 'b' } } },
        },
      },
    ],
    [
      'node affinity expressions with Gt (not label selectors)',
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'p' },
        spec: {
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['4'] }] }] },
            },
          },
        },
      },
    ],
  ])('should accept %s', (_title, object) => {
    expect(checkApiRules([object])).toEqual([]);
  });
});

describe('the render harness', () => {
  const probe = (labels: Record<string, string>): KubeObject => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'probe', namespace: 'restaurant' },
    spec: { selector: { matchLabels: { app: 'probe' } }, template: { metadata: { labels }, spec: { containers: [{ name: 'probe', image: 'probe:1' }] } } },
  });

  it('should accept, in assertStrict, objects that pass the models and the API rules', () => {
    expect(() => assertStrict([probe({ app: 'probe' })])).not.toThrow();
  });

  it('should fail assertStrict on an API rule the models cannot see, listing object, field and message', () => {
    // GIVEN a Deployment every model accepts, whose selector misses its own pods
    // WHEN the harness checks it, THEN it fails naming the object, the field and the rule
    expect(() => assertStrict([probe({ app: 'other' })])).toThrow(
      /^Kubernetes API rules failed:\n {2}Deployment restaurant\/probe: spec\.template\.metadata\.labels: selector .* does not match the template labels .* \[selector\]$/,
    );
  });
});
