// The relabelling / Kubernetes SD evaluator behind the scrape-coverage proof: every action behaves as
// Prometheus's does (defaults, anchoring, Go template expansion, md5 hashmod), anything it cannot
// evaluate throws, and realistic jobs keep or drop the targets Prometheus would.
import { describe, it, expect } from 'vitest';
import { createHash } from 'node:crypto';
import {
  applyRelabel,
  finalizeTarget,
  podTargets,
  endpointsTargets,
  serviceTargets,
  targetsOfJob,
  podInfoOf,
  serviceInfoOf,
  sanitizeLabelName,
  type PodInfo,
  type ServiceInfo,
  type ScrapeJob,
  type RelabelRule,
} from '../../generator/observability/relabel.js';

/** Prometheus's hashmod written out independently: md5, bytes 8..15 as big-endian uint64, mod m. */
function expectedHashmod(value: string, modulus: number): string {
  const digest = createHash('md5').update(value, 'utf8').digest();
  let n = 0n;
  for (let i = 8; i < 16; i += 1) n = (n << 8n) | BigInt(digest[i]!);
  return (n % BigInt(modulus)).toString();
}

describe('applyRelabel actions', () => {
  it('replace uses the defaults: regex (.*), replacement $1, separator ;', () => {
    // GIVEN a rule with only source_labels and target_label
    const rules: RelabelRule[] = [{ source_labels: ['a', 'b'], target_label: 'ab' }];
    // WHEN applied
    const out = applyRelabel({ a: 'x', b: 'y' }, rules);
    // THEN the joined value lands in the target
    expect(out).toEqual({ a: 'x', b: 'y', ab: 'x;y' });
  });

  it('replace does nothing when the regex does not match, and deletes the target on an empty result', () => {
    // GIVEN a non-matching rule and a rule whose replacement expands to ""
    const noMatch: RelabelRule = { source_labels: ['a'], regex: 'z+', target_label: 't', replacement: 'hit' };
    const empty: RelabelRule = { source_labels: ['missing'], target_label: 't' };
    // WHEN applied to a set that already has t
    // THEN the first leaves t alone, the second removes it
    expect(applyRelabel({ a: 'x', t: 'keep' }, [noMatch])).toEqual({ a: 'x', t: 'keep' });
    expect(applyRelabel({ a: 'x', t: 'gone' }, [empty])).toEqual({ a: 'x' });
  });

  it('replace expands ${1}, named groups and $$; $1foo is the absent group "1foo" and expands to nothing', () => {
    // GIVEN Go-style templates, including a Go (?P<name>) group
    const src = { v: 'abc-123' };
    const re = '(?P<word>[a-z]+)-(\\d+)';
    const run = (replacement: string): string | undefined => applyRelabel(src, [{ source_labels: ['v'], regex: re, target_label: 'o', replacement }])?.['o'];
    // WHEN expanded / THEN they follow Go's Regexp.Expand
    expect(run('${1}foo')).toBe('abcfoo');
    expect(run('$1foo')).toBeUndefined(); // "" deletes the label
    expect(run('$1-x')).toBe('abc-x');
    expect(run('$word:$2')).toBe('abc:123');
    expect(run('${word}_$$')).toBe('abc_$');
    expect(run('$9')).toBeUndefined();
  });

  it('replace expands the target label name too', () => {
    // GIVEN a target_label holding a group reference
    const rules: RelabelRule[] = [{ source_labels: ['k'], regex: 'team_(.+)', target_label: 'owner_$1', replacement: 'yes' }];
    // WHEN applied
    // THEN the label name is expanded
    expect(applyRelabel({ k: 'team_pay' }, rules)).toEqual({ k: 'team_pay', owner_pay: 'yes' });
  });

  it('regexes are fully anchored: istiod does not match istiod-1-30', () => {
    // GIVEN keep rules on the service name
    const keep: RelabelRule[] = [{ source_labels: ['svc'], regex: 'istiod', action: 'keep' }];
    // WHEN applied to the exact name and to a revisioned name
    // THEN only the exact name is kept
    expect(applyRelabel({ svc: 'istiod' }, keep)).toEqual({ svc: 'istiod' });
    expect(applyRelabel({ svc: 'istiod-1-30' }, keep)).toBeUndefined();
    expect(applyRelabel({ svc: 'x-istiod' }, keep)).toBeUndefined();
  });

  it('keep and drop with the default regex', () => {
    // GIVEN keep/drop without a regex: (.*) matches every value, empty included
    // WHEN applied / THEN keep always keeps and drop always drops
    expect(applyRelabel({ a: '1' }, [{ source_labels: ['nope'], action: 'keep' }])).toEqual({ a: '1' });
    expect(applyRelabel({ a: '1' }, [{ source_labels: ['a'], action: 'drop' }])).toBeUndefined();
    expect(applyRelabel({ a: '1' }, [{ source_labels: ['a'], regex: '2', action: 'drop' }])).toEqual({ a: '1' });
  });

  it('keepequal and dropequal compare the joined sources with target_label', () => {
    // GIVEN a port label that equals the annotation, and one that does not
    const same = { port: '9090', want: '9090' };
    const diff = { port: '9090', want: '8080' };
    const keepEq: RelabelRule[] = [{ source_labels: ['want'], target_label: 'port', action: 'keepequal' }];
    const dropEq: RelabelRule[] = [{ source_labels: ['want'], target_label: 'port', action: 'dropequal' }];
    // WHEN applied / THEN keepequal keeps equal values only, dropequal drops them
    expect(applyRelabel(same, keepEq)).toEqual(same);
    expect(applyRelabel(diff, keepEq)).toBeUndefined();
    expect(applyRelabel(same, dropEq)).toBeUndefined();
    expect(applyRelabel(diff, dropEq)).toEqual(diff);
  });

  it('hashmod matches Prometheus md5 hashmod', () => {
    // GIVEN a hashmod rule over the address (as used for sharding)
    const address = '10.0.0.1:9090';
    const rules: RelabelRule[] = [{ source_labels: ['__address__'], modulus: 7, target_label: '__tmp_hash', action: 'hashmod' }];
    // WHEN applied
    const out = applyRelabel({ __address__: address }, rules);
    // THEN it equals the independently computed value, deterministically
    expect(out?.['__tmp_hash']).toBe(expectedHashmod(address, 7));
    expect(applyRelabel({ __address__: 'other:1' }, rules)?.['__tmp_hash']).toBe(expectedHashmod('other:1', 7));
    expect(applyRelabel({ __address__: address }, rules)).toEqual(out);
  });

  it('labelmap copies matching label names through the replacement (default $1)', () => {
    // GIVEN pod label meta labels
    const labels = { __meta_kubernetes_pod_label_app: 'api', __meta_kubernetes_pod_label_team: 'pay', other: 'x' };
    // WHEN mapped with the default replacement
    const out = applyRelabel(labels, [{ regex: '__meta_kubernetes_pod_label_(.+)', action: 'labelmap' }]);
    // THEN each becomes a plain label, the originals stay
    expect(out).toEqual({ ...labels, app: 'api', team: 'pay' });
  });

  it('labeldrop and labelkeep match whole label names', () => {
    // GIVEN labels sharing a prefix
    const labels = { pod: 'p', pod_ip: '1', node: 'n' };
    // WHEN dropping / keeping "pod" (anchored, so pod_ip is not "pod")
    // THEN only the exact name is affected
    expect(applyRelabel(labels, [{ regex: 'pod', action: 'labeldrop' }])).toEqual({ pod_ip: '1', node: 'n' });
    expect(applyRelabel(labels, [{ regex: 'pod|node', action: 'labelkeep' }])).toEqual({ pod: 'p', node: 'n' });
  });

  it('lowercase and uppercase set the target (action names are case-insensitive)', () => {
    // GIVEN a mixed-case value
    const labels = { v: 'MiXed' };
    // WHEN lower/upper-cased
    // THEN the target holds the converted value
    expect(applyRelabel(labels, [{ source_labels: ['v'], target_label: 'l', action: 'lowercase' }])?.['l']).toBe('mixed');
    expect(applyRelabel(labels, [{ source_labels: ['v'], target_label: 'u', action: 'UpperCase' }])?.['u']).toBe('MIXED');
  });

  it('translates RE2 syntax: leading (?i), \\z, a leading ] in a class, (?s:)', () => {
    // GIVEN RE2 regexes with constructs JS spells differently
    const keep = (regex: string, v: string): boolean => applyRelabel({ v }, [{ source_labels: ['v'], regex, action: 'keep' }]) !== undefined;
    // WHEN matched / THEN they behave as in Go
    expect(keep('(?i)ISTIOD', 'istiod')).toBe(true);
    expect(keep('a\\z', 'a')).toBe(true);
    expect(keep('[]x]+', ']x]')).toBe(true);
    expect(keep('(?s:a.b)', 'a\nb')).toBe(true);
    expect(keep('a.b', 'a\nb')).toBe(true); // Prometheus wraps in (?s:…)
  });

  it('fails closed: unsupported actions, invalid fields and regex constructs throw naming the rule', () => {
    // GIVEN rules this evaluator cannot (or Prometheus would not) evaluate
    const bad: [RelabelRule, RegExp][] = [
      [{ source_labels: ['a'], action: 'keep_if_equal' }, /rule #0 \(action=keep_if_equal.*unsupported action/],
      [{ source_labels: ['a'], action: 'hashmod', target_label: 't' }, /modulus/],
      [{ source_labels: ['a'] }, /replace requires target_label/],
      [{ source_labels: ['a'], regex: 'x', action: 'labeldrop' }, /labeldrop accepts only regex/],
      [{ source_labels: ['a'], regex: '(?=x)x', action: 'keep' }, /unsupported regex construct \(\?=/],
      [{ source_labels: ['a'], regex: '\\pL', action: 'keep' }, /unsupported regex construct \\p/],
      [{ source_labels: ['a'], regex: '[[:alpha:]]', action: 'keep' }, /\[:class:\]/],
      [{ source_labels: ['a'], regex: 'a(?i:b)', action: 'keep' }, /\(\?i:/],
    ];
    for (const [rule, message] of bad) {
      // WHEN applied / THEN it throws with the rule named
      expect(() => applyRelabel({ a: 'x' }, [rule]), JSON.stringify(rule)).toThrow(message);
    }
  });
});

describe('finalizeTarget', () => {
  it('drops targets without __address__, defaults instance, strips __ labels but reports scheme and path', () => {
    // GIVEN a relabelled set with internal labels
    const labels = { __address__: '10.0.0.1:9090', __scheme__: 'https', __metrics_path__: '/stats/prometheus', __tmp: 'x', job: 'j' };
    // WHEN finalized
    // THEN the series labels hold job and instance only
    expect(finalizeTarget(labels)).toEqual({
      labels: { job: 'j', instance: '10.0.0.1:9090' },
      address: '10.0.0.1:9090',
      scheme: 'https',
      metricsPath: '/stats/prometheus',
    });
    expect(finalizeTarget({ job: 'j' })).toBeUndefined();
    expect(finalizeTarget(undefined)).toBeUndefined();
    expect(finalizeTarget({ __address__: 'a:1', instance: 'mine' })?.labels['instance']).toBe('mine');
  });
});

const apiPod: PodInfo = {
  namespace: 'shop',
  name: 'api-7d9f8c6b5-x7k2p',
  ip: '10.0.0.7',
  labels: { app: 'api', 'app.kubernetes.io/name': 'api' },
  annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9102', 'prometheus.io/path': '/stats' },
  containers: [
    {
      name: 'api',
      ports: [
        { name: 'http', containerPort: 8080 },
        { name: 'metrics', containerPort: 9102 },
      ],
    },
    { name: 'sidecar' },
  ],
  initContainers: [{ name: 'migrate' }],
};

describe('Kubernetes SD label builders', () => {
  it('pod role: one target per container port, one per port-less container, sanitized meta labels', () => {
    // GIVEN a pod with two ports, a port-less container and an init container
    // WHEN its targets are built
    const targets = podTargets(apiPod);
    // THEN there are 4, with Prometheus's meta labels
    expect(targets.map((t) => t['__address__'])).toEqual(['10.0.0.7:8080', '10.0.0.7:9102', '10.0.0.7', '10.0.0.7']);
    expect(targets[1]).toMatchObject({
      __meta_kubernetes_namespace: 'shop',
      __meta_kubernetes_pod_name: 'api-7d9f8c6b5-x7k2p',
      __meta_kubernetes_pod_ip: '10.0.0.7',
      __meta_kubernetes_pod_label_app_kubernetes_io_name: 'api',
      __meta_kubernetes_pod_labelpresent_app_kubernetes_io_name: 'true',
      __meta_kubernetes_pod_annotation_prometheus_io_scrape: 'true',
      __meta_kubernetes_pod_annotationpresent_prometheus_io_port: 'true',
      __meta_kubernetes_pod_container_name: 'api',
      __meta_kubernetes_pod_container_port_name: 'metrics',
      __meta_kubernetes_pod_container_port_number: '9102',
      __meta_kubernetes_pod_container_port_protocol: 'TCP',
      __meta_kubernetes_pod_container_init: 'false',
    });
    expect(targets[3]).toMatchObject({ __meta_kubernetes_pod_container_name: 'migrate', __meta_kubernetes_pod_container_init: 'true' });
    expect(sanitizeLabelName('a.b/c-d')).toBe('a_b_c_d');
  });

  it('endpoints and endpointslice roles: service port × selected pod, targetPort resolved by name', () => {
    // GIVEN a Service selecting the pod, with a named targetPort
    const svc: ServiceInfo = {
      namespace: 'shop',
      name: 'api',
      labels: { tier: 'web' },
      selector: { app: 'api' },
      ports: [{ name: 'http-metrics', port: 80, targetPort: 'metrics' }],
    };
    // WHEN endpoints targets are built
    const eps = endpointsTargets(svc, [apiPod, { ...apiPod, name: 'other', labels: { app: 'other' } }]);
    // THEN the service port maps to the pod's metrics port; the uncovered port 8080 is its own target
    expect(eps.map((t) => t['__address__'])).toEqual(['10.0.0.7:9102', '10.0.0.7:8080']);
    expect(eps[0]).toMatchObject({
      __meta_kubernetes_service_name: 'api',
      __meta_kubernetes_endpoints_name: 'api',
      __meta_kubernetes_service_label_tier: 'web',
      __meta_kubernetes_endpoint_port_name: 'http-metrics',
      __meta_kubernetes_endpoint_port_protocol: 'TCP',
      __meta_kubernetes_pod_name: 'api-7d9f8c6b5-x7k2p',
      __meta_kubernetes_pod_container_port_name: 'metrics',
    });
    expect(eps[1]?.['__meta_kubernetes_endpoint_port_name']).toBeUndefined();
    const slices = endpointsTargets(svc, [apiPod], 'endpointslice');
    expect(slices[0]).toMatchObject({
      __meta_kubernetes_endpointslice_port_name: 'http-metrics',
      __meta_kubernetes_endpointslice_port: '9102',
      __meta_kubernetes_service_name: 'api',
      __meta_kubernetes_endpointslice_label_kubernetes_io_service_name: 'api',
    });
  });

  it('service role: address is <service>.<namespace>.svc:<port>', () => {
    // GIVEN a Service with one port
    const svc: ServiceInfo = { namespace: 'shop', name: 'api', ports: [{ name: 'http', port: 80 }] };
    // WHEN its targets are built
    // THEN the address is the service DNS name
    expect(serviceTargets(svc)).toEqual([
      expect.objectContaining({
        __address__: 'api.shop.svc:80',
        __meta_kubernetes_service_port_name: 'http',
        __meta_kubernetes_service_port_number: '80',
        __meta_kubernetes_service_name: 'api',
      }),
    ]);
  });

  it('reads pods and services from rendered manifests', () => {
    // GIVEN a rendered Deployment and Service as parsed from helm template
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'api', namespace: 'shop' },
      spec: { template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'api', ports: [{ containerPort: 8080 }] }] } } },
    };
    const service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'api' },
      spec: { selector: { app: 'api' }, ports: [{ port: 80, targetPort: 8080 }] },
    };
    // WHEN converted
    const pod = podInfoOf(deployment)!;
    // THEN they carry the pod template and the service spec
    expect(pod).toMatchObject({ namespace: 'shop', labels: { app: 'api' }, controller: { kind: 'ReplicaSet', name: 'api-7d9f8c6b5' } });
    expect(serviceInfoOf(service, 'shop')).toMatchObject({ namespace: 'shop', selector: { app: 'api' } });
    expect(podInfoOf({ kind: 'ConfigMap' })).toBeUndefined();
  });
});

describe('targetsOfJob: realistic jobs', () => {
  const kubernetesPods: ScrapeJob = {
    job_name: 'kubernetes-pods',
    kubernetes_sd_configs: [{ role: 'pod' }],
    relabel_configs: [
      { source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_scrape'], action: 'keep', regex: 'true' },
      { source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_path'], action: 'replace', target_label: '__metrics_path__', regex: '(.+)' },
      {
        source_labels: ['__address__', '__meta_kubernetes_pod_annotation_prometheus_io_port'],
        action: 'replace',
        regex: '(.+?)(?::\\d+)?;(\\d+)',
        replacement: '$1:$2',
        target_label: '__address__',
      },
      { action: 'labelmap', regex: '__meta_kubernetes_pod_label_(.+)' },
      { source_labels: ['__meta_kubernetes_namespace'], action: 'replace', target_label: 'namespace' },
      { source_labels: ['__meta_kubernetes_pod_name'], action: 'replace', target_label: 'pod' },
    ],
  };

  it('kubernetes-pods keeps annotated pods and scrapes the annotated port and path', () => {
    // GIVEN an annotated pod and an unannotated one
    const plain: PodInfo = { namespace: 'shop', name: 'plain', containers: [{ name: 'c', ports: [{ containerPort: 80 }] }] };
    // WHEN the job is evaluated
    const targets = targetsOfJob(kubernetesPods, { pods: [apiPod, plain], services: [] });
    // THEN every container target of the annotated pod collapses onto port 9102 (deduplicated), the other pod is dropped
    expect(targets).toEqual([
      {
        address: '10.0.0.7:9102',
        scheme: 'http',
        metricsPath: '/stats',
        labels: { job: 'kubernetes-pods', instance: '10.0.0.7:9102', namespace: 'shop', pod: 'api-7d9f8c6b5-x7k2p', app: 'api', app_kubernetes_io_name: 'api' },
      },
    ]);
  });

  it('kubernetes-pods keeps the job metrics_path when the path annotation is absent, and honours namespaces.names', () => {
    // GIVEN the pod without a path annotation, and the job limited to another namespace
    const pod: PodInfo = { ...apiPod, annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9102' } };
    // WHEN evaluated
    const inShop = targetsOfJob(kubernetesPods, { pods: [pod], services: [] });
    const elsewhere = targetsOfJob(
      { ...kubernetesPods, kubernetes_sd_configs: [{ role: 'pod', namespaces: { names: ['ops'] } }] },
      { pods: [pod], services: [] },
    );
    // THEN the default path is used, and the other namespace finds nothing
    expect(inShop.map((t) => t.metricsPath)).toEqual(['/metrics']);
    expect(elsewhere).toEqual([]);
  });

  it('istiod endpoints job keeps Service istiod but drops the revisioned istiod-1-30-3 (the known bug)', () => {
    // GIVEN the usual istiod job and two control planes: default and revision-based
    const job: ScrapeJob = {
      job_name: 'istiod',
      kubernetes_sd_configs: [{ role: 'endpoints', namespaces: { names: ['istio-system'] } }],
      relabel_configs: [
        { source_labels: ['__meta_kubernetes_service_name', '__meta_kubernetes_endpoint_port_name'], action: 'keep', regex: 'istiod;http-monitoring' },
      ],
    };
    const istiod = (rev: string, ip: string): [PodInfo, ServiceInfo] => [
      {
        namespace: 'istio-system',
        name: `istiod${rev}-5b7c9d-abcde`,
        ip,
        labels: { app: 'istiod', 'istio.io/rev': rev || 'default' },
        containers: [{ name: 'discovery', ports: [{ containerPort: 8080 }, { containerPort: 15010 }, { containerPort: 15014 }] }],
      },
      {
        namespace: 'istio-system',
        name: `istiod${rev}`,
        selector: { app: 'istiod', 'istio.io/rev': rev || 'default' },
        ports: [
          { name: 'grpc-xds', port: 15010 },
          { name: 'http-monitoring', port: 15014 },
        ],
      },
    ];
    const [podA, svcA] = istiod('', '10.0.1.1');
    const [podB, svcB] = istiod('-1-30-3', '10.0.1.2');
    // WHEN evaluated against both
    const kept = targetsOfJob(job, { pods: [podA, podB], services: [svcA, svcB] });
    // THEN only the default control plane's monitoring port is scraped
    expect(kept.map((t) => t.address)).toEqual(['10.0.1.1:15014']);
    expect(kept[0]?.labels).toEqual({ job: 'istiod', instance: '10.0.1.1:15014' });
    expect(targetsOfJob(job, { pods: [podB], services: [svcB] })).toEqual([]);
  });

  it('unsupported roles and selectors throw', () => {
    // GIVEN jobs using SD features that change the answer
    // WHEN evaluated / THEN they throw instead of guessing
    expect(() => targetsOfJob({ job_name: 'n', kubernetes_sd_configs: [{ role: 'node' }] }, { pods: [], services: [] })).toThrow(/role "node"/);
    expect(() => targetsOfJob({ job_name: 's', kubernetes_sd_configs: [{ role: 'pod', selectors: [{ role: 'pod' }] }] }, { pods: [], services: [] })).toThrow(
      /selectors/,
    );
  });
});
