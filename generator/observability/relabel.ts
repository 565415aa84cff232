/**
 * A small, pure evaluator of Prometheus `relabel_configs` and of the target label sets Kubernetes
 * service discovery produces for the roles the platform uses (`pod`, `endpoints`, `endpointslice`,
 * `service`). It exists to prove scrape coverage offline: every series an alert or dashboard reads
 * must have a scrape job that keeps its target. Because a coverage proof must never pass by
 * accident, anything this module cannot evaluate exactly like Prometheus throws (fail closed).
 */
import { createHash } from 'node:crypto';
import type { KubeObject } from '../checks/object.js';

const ACTIONS = ['replace', 'keep', 'drop', 'keepequal', 'dropequal', 'hashmod', 'labelmap', 'labeldrop', 'labelkeep', 'lowercase', 'uppercase'] as const;
/** The relabel actions Prometheus supports (Prometheus lower-cases the YAML value, so `Keep` works too). */
export type RelabelAction = (typeof ACTIONS)[number];

/** One Prometheus `relabel_config`, keyed exactly as in YAML; absent keys take Prometheus's defaults. */
export interface RelabelRule {
  readonly source_labels?: readonly string[];
  /** Joins the source label values; default `;`. */
  readonly separator?: string;
  /** RE2 regex, fully anchored by Prometheus; default `(.*)`. */
  readonly regex?: string;
  readonly modulus?: number;
  readonly target_label?: string;
  /** Go expansion template (`$1`, `${1}`, `$name`); default `$1`. */
  readonly replacement?: string;
  /** A {@link RelabelAction} in any case; default `replace`. Typed `string` because YAML may hold anything. */
  readonly action?: string;
}

/** Label set of a discovered or relabelled target. */
export type Labels = Record<string, string>;

/** Names a rule in error messages, so a failing check points at the YAML the author wrote. */
function ruleName(rule: RelabelRule, index: number): string {
  return (
    `relabel rule #${index} (action=${rule.action ?? 'replace'}, source_labels=[${(rule.source_labels ?? []).join(',')}]` +
    `${rule.target_label === undefined ? '' : `, target_label=${rule.target_label}`})`
  );
}

const compiled = new Map<string, RegExp>();

/**
 * Translates an RE2 regex to an equivalent JS one, anchored as Prometheus does (`^(?s:re)$`).
 * RE2 constructs JS lacks (or Go would reject, such as look-around and back-references) throw
 * rather than silently matching differently.
 */
function compile(re: string, where: string): RegExp {
  if (compiled.has(re)) return compiled.get(re)!;
  const fail = (what: string): never => {
    throw new Error(`${where}: unsupported regex construct ${what} in ${JSON.stringify(re)}`);
  };
  let [out, flags, i, inClass] = ['', 's', 0, false]; // 's': Prometheus wraps in (?s:…), so `.` matches newlines
  if (re.startsWith('(?i)')) {
    flags += 'i';
    i = 4;
  } // a leading (?i) covers the whole regex: a JS flag
  while (i < re.length) {
    const c = re[i]!;
    const next = re[i + 1] ?? '';
    if (c === '\\') {
      if (next === 'A' && !inClass) out += '^';
      else if (next === 'z' && !inClass)
        out += '$'; // JS `$` without the m flag is end of text, like \z
      else if (next === 'a') out += '\\x07';
      else if (next === 's')
        out += inClass ? '\\t\\n\\f\\r ' : '[\\t\\n\\f\\r ]'; // RE2 \s is ASCII-only
      else if (next === 'S' && !inClass) out += '[^\\t\\n\\f\\r ]';
      else if (next === 'x' && /^[0-9A-Fa-f]{2}/.test(re.slice(i + 2))) {
        out += re.slice(i, i + 4);
        i += 4;
        continue;
      } else if ('dDwWfnrtv'.includes(next) || (next === 'b' && !inClass) || (next === 'B' && !inClass)) out += c + next;
      else if (/[!-/:-@[-`{-~]/.test(next))
        out += c + next; // escaped ASCII punctuation is a literal in both
      else fail(`\\${next}`);
      i += 2;
      continue;
    }
    if (inClass) {
      if (c === '[' && next === ':') fail('[:class:]');
      if (c === ']') inClass = false;
      out += c;
      i += 1;
      continue;
    }
    if (c === '[') {
      inClass = true;
      const neg = next === '^' ? '^' : '';
      out += `[${neg}`;
      i += 1 + neg.length;
      if (re[i] === ']') {
        out += '\\]';
        i += 1;
      } // RE2 takes a leading `]` literally; JS would end the class
      continue;
    }
    if (c === '(' && next === '?') {
      const rest = re.slice(i);
      const named = /^\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(rest);
      if (named) {
        out += `(?<${named[1]}>`;
        i += named[0].length;
        continue;
      }
      if (rest.startsWith('(?:')) {
        out += '(?:';
        i += 3;
        continue;
      }
      if (rest.startsWith('(?s:')) {
        out += '(?:';
        i += 4;
        continue;
      } // already in dotAll mode
      if (rest.startsWith('(?s)')) {
        i += 4;
        continue;
      }
      fail(/^\(\?[^)]*\)?/.exec(rest)![0]);
    }
    out += c;
    i += 1;
  }
  let regex: RegExp;
  try {
    regex = new RegExp(`^(?:${out})$`, flags);
  } catch (error) {
    return fail(`(${(error as Error).message})`);
  }
  compiled.set(re, regex);
  return regex;
}

/**
 * Go's `Regexp.Expand`: `$name`/`${name}` take the longest run of letters, digits and `_`, so `$1foo`
 * is the (usually absent) group named `1foo`, which expands to nothing; `$$` is a literal `$`.
 */
function expand(template: string, m: RegExpExecArray): string {
  // The common templates, without the Unicode-aware scan: a literal, and `$1`.
  if (!template.includes('$')) return template;
  if (template === '$1') return m[1] ?? '';
  return template.replace(/\$(?:\$|\{([\p{L}\p{Nd}_]+)\}|([\p{L}\p{Nd}_]+))/gu, (_whole, braced?: string, bare?: string) => {
    const name = braced ?? bare;
    if (name === undefined) return '$'; // `$$`
    return (/^(0|[1-9][0-9]{0,8})$/.test(name) ? m[Number(name)] : m.groups?.[name]) ?? ''; // Go: no leading zeros
  });
}

/** Prometheus's hashmod: md5 of the value, last 8 bytes as a big-endian uint64, modulo `modulus`. */
function hashmod(value: string, modulus: number): string {
  return (createHash('md5').update(value).digest().readBigUInt64BE(8) % BigInt(modulus)).toString();
}

/** Rejects rules Prometheus's config loader rejects, so an invalid config never "passes" here. */
function validate(r: Required<RelabelRule>, where: string): void {
  const fail = (why: string): never => {
    throw new Error(`${where}: ${why}`);
  };
  const a = r.action;
  if (!(ACTIONS as readonly string[]).includes(a)) fail(`unsupported action ${JSON.stringify(a)}`);
  if (a === 'hashmod' && !(Number.isInteger(r.modulus) && r.modulus > 0)) fail('hashmod requires a positive integer modulus');
  if (['replace', 'hashmod', 'lowercase', 'uppercase', 'keepequal', 'dropequal'].includes(a) && !r.target_label) fail(`${a} requires target_label`);
  // Prometheus compares with the defaults, so configs that spell the defaults out (as dumped ones do) stay valid.
  const plain = r.modulus === 0 && r.separator === ';' && r.replacement === '$1';
  if ((a === 'labeldrop' || a === 'labelkeep') && !(plain && !r.source_labels.length && !r.target_label)) fail(`${a} accepts only regex`);
  if ((a === 'keepequal' || a === 'dropequal') && !(plain && r.regex === '(.*)')) fail(`${a} accepts only source_labels and target_label`);
  if ((a === 'lowercase' || a === 'uppercase') && r.replacement !== '$1') fail(`${a} takes no replacement`);
}

const preparedRules = new WeakMap<readonly RelabelRule[], ReadonlyArray<{ r: Required<RelabelRule>; regex: RegExp }>>();

/** The rules with their defaults filled in, validated and their regexes compiled: once per rule list (a job relabels every target with the same list). */
function prepared(rules: readonly RelabelRule[]): ReadonlyArray<{ r: Required<RelabelRule>; regex: RegExp }> {
  let list = preparedRules.get(rules);
  if (!list) {
    list = rules.map((rule, index) => {
      const where = ruleName(rule, index);
      const r: Required<RelabelRule> = {
        source_labels: [],
        separator: ';',
        regex: '(.*)',
        modulus: 0,
        target_label: '',
        replacement: '$1',
        ...rule,
        action: String(rule.action ?? 'replace').toLowerCase(),
      };
      validate(r, where);
      return { r, regex: compile(String(r.regex), where) }; // YAML may hand over a number (`regex: 1`)
    });
    preparedRules.set(rules, list);
  }
  return list;
}

/**
 * Applies `rules` in order, as Prometheus's `relabel.Process` does. Returns the new label set, or
 * `undefined` when a `keep`/`drop`/`keepequal`/`dropequal` rule drops the target. Labels with an
 * empty value count as absent (Prometheus deletes a label set to ""). `__`-prefixed labels stay: only
 * {@link finalizeTarget} removes them, as Prometheus does after all rules ran.
 *
 * @throws Error naming the rule when its action, fields or regex cannot be evaluated exactly.
 */
export function applyRelabel(labels: Labels, rules: readonly RelabelRule[]): Labels | undefined {
  const lb = relabel(new Map(Object.entries(labels).filter(([, v]) => v !== '')), rules);
  return lb && Object.fromEntries([...lb].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** {@link applyRelabel} on a label map it may change: the evaluator itself, without copies (a job relabels thousands of targets). */
function relabel(lb: Map<string, string>, rules: readonly RelabelRule[]): Map<string, string> | undefined {
  const set = (k: string, v: string): void => {
    if (v === '') lb.delete(k);
    else lb.set(k, v);
  };
  for (const { r, regex } of prepared(rules)) {
    const [action, target, replacement] = [r.action, r.target_label, r.replacement];
    const val = r.source_labels.map((n) => lb.get(n) ?? '').join(r.separator);
    switch (action) {
      case 'keep':
        if (!regex.test(val)) return undefined;
        break;
      case 'drop':
        if (regex.test(val)) return undefined;
        break;
      case 'keepequal':
        if ((lb.get(target) ?? '') !== val) return undefined;
        break;
      case 'dropequal':
        if ((lb.get(target) ?? '') === val) return undefined;
        break;
      case 'lowercase':
        set(target, val.toLowerCase());
        break;
      case 'uppercase':
        set(target, val.toUpperCase());
        break;
      case 'hashmod':
        set(target, hashmod(val, r.modulus));
        break;
      case 'replace': {
        const m = regex.exec(val); // no match: nothing is replaced
        const name = m ? expand(target, m) : ''; // Prometheus skips an invalid (here: empty) expanded label name
        if (m && name !== '') set(name, expand(replacement, m)); // an empty result deletes the target label
        break;
      }
      default: // labelmap, labeldrop, labelkeep iterate over a snapshot, as Prometheus's Builder.Range does
        for (const [name, value] of [...lb]) {
          const m = regex.exec(name);
          if (action === 'labelmap') {
            if (m) {
              const to = expand(replacement, m);
              if (to !== '') lb.set(to, value);
            }
          } else if ((action === 'labeldrop') === (m !== null)) lb.delete(name);
        }
    }
  }
  return lb;
}

/** A target Prometheus would scrape: its series labels and where it scrapes them from. */
export interface Target {
  /** The labels every scraped series carries (no `__`-prefixed label left). */
  readonly labels: Labels;
  readonly address: string;
  readonly scheme: string;
  readonly metricsPath: string;
}

/**
 * What Prometheus does after `relabel_configs`: a target without `__address__` (or with an address
 * Prometheus rejects, one containing `/`) is not scraped; `instance` defaults to the address; every
 * `__`-prefixed label leaves the series labels, `__scheme__`/`__metrics_path__` surviving as fields.
 */
export function finalizeTarget(labels: Labels | undefined): Target | undefined {
  const address = labels?.['__address__'];
  if (!labels || !address || address.includes('/')) return undefined;
  const out: Labels = {};
  for (const [k, v] of Object.entries(labels)) if (!k.startsWith('__') && v !== '') out[k] = v;
  out['instance'] ??= address;
  return { labels: out, address, scheme: labels['__scheme__'] || 'http', metricsPath: labels['__metrics_path__'] || '/metrics' };
}

/** A container port as written in a pod spec. */
export interface ContainerPort {
  readonly name?: string;
  readonly containerPort: number;
  readonly protocol?: string;
}
/** A container of a pod spec. */
export interface ContainerInfo {
  readonly name: string;
  readonly image?: string;
  readonly ports?: readonly ContainerPort[];
}
/** A running pod (or a workload's pod template standing in for its pods). */
export interface PodInfo {
  readonly namespace: string;
  readonly name: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
  readonly containers: readonly ContainerInfo[];
  readonly initContainers?: readonly ContainerInfo[];
  /** Placeholder pod IP; default `10.0.0.1`. */
  readonly ip?: string;
  readonly controller?: { readonly kind: string; readonly name: string };
}
/** A Service port; `targetPort` defaults to `port`, a string names a container port. */
export interface ServicePortInfo {
  readonly name?: string;
  readonly port: number;
  readonly targetPort?: number | string;
  readonly protocol?: string;
  readonly appProtocol?: string;
}
/** A Service as far as discovery sees it. */
export interface ServiceInfo {
  readonly namespace: string;
  readonly name: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
  /** Without a selector Kubernetes manages no endpoints, so endpoint roles find nothing. */
  readonly selector?: Record<string, string>;
  readonly type?: string;
  readonly clusterIP?: string;
  readonly ports: readonly ServicePortInfo[];
}

const NODE = 'node-1'; // placeholder node: every pod is assumed scheduled, running and ready

/** Prometheus's `strutil.SanitizeLabelName`. */
export function sanitizeLabelName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_]/g, '_');
}

/** `addObjectMetaLabels`: `<prefix>_name`, `_label_*`, `_labelpresent_*`, `_annotation_*`, `_annotationpresent_*`. */
function metaLabels(prefix: string, name: string, labels: Record<string, string> = {}, annotations: Record<string, string> = {}): Labels {
  const out: Labels = { [`${prefix}_name`]: name };
  for (const [kind, map] of [
    ['label', labels],
    ['annotation', annotations],
  ] as const) {
    for (const [k, v] of Object.entries(map))
      Object.assign(out, { [`${prefix}_${kind}_${sanitizeLabelName(k)}`]: String(v), [`${prefix}_${kind}present_${sanitizeLabelName(k)}`]: 'true' });
  }
  return out;
}

const P = '__meta_kubernetes_pod';
/** Discovery sets absent fields to "", which Prometheus treats as no label at all. */
const clean = (l: Labels): Labels => Object.fromEntries(Object.entries(l).filter(([, v]) => v !== ''));

/** Pod-level labels (`podLabels` in Prometheus), shared by the pod and endpoint roles. */
function podLevel(pod: PodInfo): Labels {
  return {
    ...metaLabels(P, pod.name, pod.labels, pod.annotations),
    [`${P}_ip`]: pod.ip ?? '10.0.0.1',
    [`${P}_ready`]: 'true',
    [`${P}_phase`]: 'Running',
    [`${P}_node_name`]: NODE,
    [`${P}_host_ip`]: '10.1.0.1',
    ...(pod.controller ? { [`${P}_controller_kind`]: pod.controller.kind, [`${P}_controller_name`]: pod.controller.name } : {}),
  };
}

/** Container-port labels; a port's protocol is TCP when unset, as the API server defaults it. */
function containerLevel(c: ContainerInfo, isInit: boolean, port?: ContainerPort): Labels {
  return {
    [`${P}_container_name`]: c.name,
    [`${P}_container_image`]: c.image ?? '',
    [`${P}_container_init`]: String(isInit),
    ...(port
      ? {
          [`${P}_container_port_name`]: port.name ?? '',
          [`${P}_container_port_number`]: String(port.containerPort),
          [`${P}_container_port_protocol`]: port.protocol ?? 'TCP',
        }
      : {}),
  };
}

const allContainers = (pod: PodInfo): [ContainerInfo, boolean][] => [
  ...pod.containers.map((c) => [c, false] as [ContainerInfo, boolean]),
  ...(pod.initContainers ?? []).map((c) => [c, true] as [ContainerInfo, boolean]),
];

/** Role `pod`: one target per container port, and one per port-less container at the bare pod IP. */
export function podTargets(pod: PodInfo): Labels[] {
  const base = { __meta_kubernetes_namespace: pod.namespace, ...podLevel(pod) };
  const ip = pod.ip ?? '10.0.0.1';
  return allContainers(pod)
    .flatMap(([c, isInit]) =>
      c.ports?.length
        ? c.ports.map((p) => ({ ...base, ...containerLevel(c, isInit, p), __address__: `${ip}:${p.containerPort}` }))
        : [{ ...base, ...containerLevel(c, isInit), __address__: ip }],
    )
    .map(clean);
}

/** Whether the Service's selector selects `pod` (a Service without selector selects nothing). */
const selects = (svc: ServiceInfo, pod: PodInfo): boolean =>
  pod.namespace === svc.namespace &&
  svc.selector !== undefined &&
  Object.keys(svc.selector).length > 0 &&
  Object.entries(svc.selector).every(([k, v]) => pod.labels?.[k] === v);

/** The endpoints controller's `FindPort`: a number is used as is, a name must match a container port and protocol. */
function resolvePort(sp: ServicePortInfo, pod: PodInfo): number | undefined {
  const tp = sp.targetPort ?? sp.port;
  return typeof tp === 'number'
    ? tp
    : pod.containers.flatMap((c) => c.ports ?? []).find((p) => p.name === tp && (p.protocol ?? 'TCP') === (sp.protocol ?? 'TCP'))?.containerPort;
}

/**
 * Roles `endpoints` and `endpointslice`: one target per Service port × selected pod, carrying the
 * Service's, the Endpoints'/EndpointSlice's and the pod's meta labels; plus, as Prometheus adds them,
 * one target per container port of a selected pod that no Service port covers.
 */
export function endpointsTargets(svc: ServiceInfo, pods: readonly PodInfo[], role: 'endpoints' | 'endpointslice' = 'endpoints'): Labels[] {
  const slice = role === 'endpointslice';
  const E = slice ? '__meta_kubernetes_endpointslice' : '__meta_kubernetes_endpoint';
  // The controllers copy the Service's labels onto the Endpoints / EndpointSlice objects.
  const group: Labels = {
    __meta_kubernetes_namespace: svc.namespace,
    ...metaLabels('__meta_kubernetes_service', svc.name, svc.labels, svc.annotations),
    ...(slice
      ? {
          ...metaLabels(E, `${svc.name}-abcde`, {
            ...svc.labels,
            'kubernetes.io/service-name': svc.name,
            'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
          }),
          [`${E}_address_type`]: 'IPv4',
        }
      : metaLabels('__meta_kubernetes_endpoints', svc.name, svc.labels)),
  };
  const out: Labels[] = [];
  for (const pod of pods.filter((p) => selects(svc, p))) {
    const ip = pod.ip ?? '10.0.0.1';
    const seen = new Set<number>();
    for (const sp of svc.ports) {
      const port = resolvePort(sp, pod);
      if (port === undefined) continue; // the controller leaves the pod out of this port
      seen.add(port);
      const matching = allContainers(pod).flatMap(([c, init]) =>
        (c.ports ?? []).filter((p) => p.containerPort === port).map((p) => containerLevel(c, init, p)),
      );
      const ep: Labels = slice
        ? {
            [`${E}_port`]: String(port),
            [`${E}_port_name`]: sp.name ?? '',
            [`${E}_port_protocol`]: sp.protocol ?? 'TCP',
            ...(sp.appProtocol ? { [`${E}_port_app_protocol`]: sp.appProtocol } : {}),
            [`${E}_endpoint_conditions_ready`]: 'true',
            [`${E}_endpoint_conditions_serving`]: 'true',
            [`${E}_endpoint_conditions_terminating`]: 'false',
            [`${E}_endpoint_node_name`]: NODE,
          }
        : { [`${E}_port_name`]: sp.name ?? '', [`${E}_port_protocol`]: sp.protocol ?? 'TCP', [`${E}_ready`]: 'true', [`${E}_node_name`]: NODE };
      out.push({
        ...group,
        ...ep,
        [`${E}_address_target_kind`]: 'Pod',
        [`${E}_address_target_name`]: pod.name,
        ...podLevel(pod),
        ...(matching[0] ?? {}),
        __address__: `${ip}:${port}`,
      });
    }
    for (const [c, init] of allContainers(pod))
      for (const p of (c.ports ?? []).filter((q) => !seen.has(q.containerPort))) {
        out.push({ ...group, ...podLevel(pod), ...containerLevel(c, init, p), __address__: `${ip}:${p.containerPort}` });
      }
  }
  return out.map(clean);
}

/** Role `service`: one target per Service port at `<name>.<namespace>.svc:<port>`. */
export function serviceTargets(svc: ServiceInfo): Labels[] {
  const S = '__meta_kubernetes_service';
  const type = svc.type ?? 'ClusterIP';
  return svc.ports
    .map((p) => ({
      __meta_kubernetes_namespace: svc.namespace,
      ...metaLabels(S, svc.name, svc.labels, svc.annotations),
      [`${S}_port_name`]: p.name ?? '',
      [`${S}_port_number`]: String(p.port),
      [`${S}_port_protocol`]: p.protocol ?? 'TCP',
      [`${S}_type`]: type,
      ...(type === 'ExternalName' ? {} : { [`${S}_cluster_ip`]: svc.clusterIP ?? '10.96.0.1' }),
      __address__: `${svc.name}.${svc.namespace}.svc:${p.port}`,
    }))
    .map(clean);
}

/**
 * The parts of a rendered object (`helm template` output parsed from YAML) discovery reads: those of
 * the checks' {@link KubeObject}, with `apiVersion` and `kind` optional (discovery only looks at the kind).
 */
type KubeObjectLike = Pick<KubeObject, 'metadata' | 'spec'> & Partial<Pick<KubeObject, 'apiVersion' | 'kind'>>;
interface TemplateLike {
  metadata?: KubeObjectLike['metadata'];
  spec?: { containers?: ContainerInfo[]; initContainers?: ContainerInfo[] };
}
type WorkloadSpec = { template?: TemplateLike; jobTemplate?: { spec?: { template?: TemplateLike } } };

/**
 * The pod a Pod or a workload (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob) runs,
 * with placeholder pod and controller names shaped like Kubernetes's; `undefined` for other kinds.
 */
export function podInfoOf(obj: KubeObjectLike, defaultNamespace = 'default'): PodInfo | undefined {
  const name = obj.metadata?.name ?? '';
  const spec = (obj.spec ?? {}) as WorkloadSpec;
  const owner: Record<string, [TemplateLike | undefined, string, string] | undefined> = {
    Pod: [{ metadata: obj.metadata, spec: obj.spec as TemplateLike['spec'] }, '', ''],
    Deployment: [spec.template, 'ReplicaSet', `${name}-7d9f8c6b5`],
    CronJob: [spec.jobTemplate?.spec?.template, 'Job', `${name}-29000000`],
    ...Object.fromEntries(['StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'].map((k) => [k, [spec.template, k, name]])),
  };
  const [tpl, kind, controller] = owner[obj.kind ?? ''] ?? [];
  if (!tpl) return undefined;
  return {
    namespace: obj.metadata?.namespace ?? defaultNamespace,
    name: obj.kind === 'Pod' ? name : obj.kind === 'StatefulSet' ? `${name}-0` : `${controller}-x7k2p`,
    labels: tpl.metadata?.labels ?? {},
    annotations: tpl.metadata?.annotations ?? {},
    containers: tpl.spec?.containers ?? [],
    initContainers: tpl.spec?.initContainers ?? [],
    ...(kind ? { controller: { kind: kind!, name: controller! } } : {}),
  };
}

/** The {@link ServiceInfo} of a rendered Service; `undefined` for other kinds. */
export function serviceInfoOf(obj: KubeObjectLike, defaultNamespace = 'default'): ServiceInfo | undefined {
  if (obj.kind !== 'Service') return undefined;
  const spec = (obj.spec ?? {}) as { selector?: Record<string, string>; type?: string; clusterIP?: string; ports?: ServicePortInfo[] };
  return {
    namespace: obj.metadata?.namespace ?? defaultNamespace,
    name: obj.metadata?.name ?? '',
    labels: obj.metadata?.labels ?? {},
    annotations: obj.metadata?.annotations ?? {},
    selector: spec.selector,
    type: spec.type,
    clusterIP: spec.clusterIP,
    ports: spec.ports ?? [],
  };
}

/** One `kubernetes_sd_configs` entry; only the keys that change which targets exist are modelled. */
export interface KubernetesSdConfig {
  readonly role: string;
  readonly selectors?: unknown;
  readonly namespaces?: { readonly names?: readonly string[]; readonly own_namespace?: boolean };
}
/** A Prometheus `scrape_config` using Kubernetes discovery. */
export interface ScrapeJob {
  readonly job_name: string;
  readonly kubernetes_sd_configs: readonly KubernetesSdConfig[];
  readonly relabel_configs?: readonly RelabelRule[];
  /** Defaults: `/metrics`, `http`, and the interval/timeout of Prometheus's global defaults (1m, 10s). */
  readonly metrics_path?: string;
  readonly scheme?: string;
  readonly scrape_interval?: string;
  readonly scrape_timeout?: string;
}
/** The objects discovery would see. */
export interface ClusterInfo {
  readonly pods: readonly PodInfo[];
  readonly services: readonly ServiceInfo[];
}

/**
 * The targets `job` scrapes in `cluster`: discovers candidates per SD config (restricted to
 * `namespaces.names`), seeds `job`, `__metrics_path__`, `__scheme__` and the interval labels before
 * relabelling (as Prometheus does, so rules can read or override them), relabels, finalizes and
 * drops duplicates. Pods without an IP get distinct placeholder IPs so that pods never collapse.
 *
 * @throws Error for roles or SD options (selectors, own_namespace) that would change the answer.
 */
export function targetsOfJob(job: ScrapeJob, cluster: ClusterInfo): Target[] {
  const pods = cluster.pods.map((p, i) => (p.ip ? p : { ...p, ip: `10.0.${Math.floor(i / 250)}.${(i % 250) + 1}` }));
  const seed: Labels = {
    job: job.job_name,
    __metrics_path__: job.metrics_path ?? '/metrics',
    __scheme__: job.scheme ?? 'http',
    __scrape_interval__: job.scrape_interval ?? '1m',
    __scrape_timeout__: job.scrape_timeout ?? '10s',
  };
  const out = new Map<string, Target>();
  for (const sd of job.kubernetes_sd_configs) {
    if (sd.selectors !== undefined || sd.namespaces?.own_namespace)
      throw new Error(`job ${job.job_name}: kubernetes_sd_configs selectors/own_namespace are not supported`);
    const names = sd.namespaces?.names;
    const inNs = (ns: string): boolean => !names?.length || names.includes(ns);
    const services = cluster.services.filter((s) => inNs(s.namespace));
    let found: Labels[];
    if (sd.role === 'pod') found = pods.filter((p) => inNs(p.namespace)).flatMap(podTargets);
    else if (sd.role === 'service') found = services.flatMap(serviceTargets);
    else if (sd.role === 'endpoints' || sd.role === 'endpointslice') {
      // A Service selects pods of its own namespace only.
      const byNamespace = new Map<string, PodInfo[]>();
      for (const pod of pods) byNamespace.set(pod.namespace, [...(byNamespace.get(pod.namespace) ?? []), pod]);
      found = services.flatMap((s) => endpointsTargets(s, byNamespace.get(s.namespace) ?? [], sd.role as 'endpoints'));
    } else throw new Error(`job ${job.job_name}: unsupported kubernetes_sd_configs role ${JSON.stringify(sd.role)}`);
    for (const labels of found) {
      const lb = new Map<string, string>();
      for (const source of [seed, labels]) for (const key in source) if (source[key] !== '') lb.set(key, source[key]!);
      const relabelled = relabel(lb, job.relabel_configs ?? []);
      const t =
        relabelled &&
        finalizeTarget(
          Object.fromEntries(
            [...relabelled]
              .filter(([key]) => !key.startsWith('__') || key === '__address__' || key === '__scheme__' || key === '__metrics_path__')
              .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
          ),
        );
      if (t) out.set(JSON.stringify([t.address, t.scheme, t.metricsPath, t.labels]), t);
    }
  }
  return [...out.values()];
}
