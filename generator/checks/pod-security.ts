/**
 * The `restricted` Pod Security Standard as the API server's admission applies it, over a pod spec
 * (Kubernetes 1.29+ profile "latest"): one list of violations per workload, empty when it passes.
 * Pure, like the other checks: a user can run it on their own renders.
 */

/** The security-context fields the profile reads. */
export interface SecurityContext {
  sysctls?: Array<{ name: string }>;
  runAsNonRoot?: boolean;
  runAsUser?: number;
  allowPrivilegeEscalation?: boolean;
  privileged?: boolean;
  capabilities?: { drop?: string[]; add?: string[] };
  seccompProfile?: { type?: string };
}
/** The container fields the profile reads. */
export interface Container {
  name: string;
  securityContext?: SecurityContext;
  ports?: Array<{ hostPort?: number }>;
}
/** The pod-spec fields the profile reads. */
export interface PodSpec {
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
  securityContext?: SecurityContext;
  volumes?: Array<{ name: string; hostPath?: unknown }>;
  containers?: Container[];
  initContainers?: Container[];
  ephemeralContainers?: Container[];
}

/** The sysctls the baseline (and so restricted) profile allows: the kubelet's safe set, Kubernetes 1.29+. */
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);

/** What a pod spec violates of the `restricted` profile, each naming the container and field. */
export function restrictedViolations(spec: PodSpec): string[] {
  const pod = spec.securityContext ?? {};
  const found: string[] = [];
  if (spec.hostNetwork) found.push('hostNetwork');
  if (spec.hostPID) found.push('hostPID');
  if (spec.hostIPC) found.push('hostIPC');
  for (const volume of spec.volumes ?? []) if (volume.hostPath) found.push(`volume ${volume.name}: hostPath`);
  if (pod.runAsUser === 0) found.push('securityContext.runAsUser: 0');
  for (const sysctl of pod.sysctls ?? []) if (!SAFE_SYSCTLS.has(sysctl.name)) found.push(`securityContext.sysctls: ${sysctl.name} is not a safe sysctl`);
  for (const container of [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])]) {
    const context = container.securityContext ?? {};
    const at = (field: string) => `${container.name}: securityContext.${field}`;
    if (!(context.runAsNonRoot ?? pod.runAsNonRoot)) found.push(at('runAsNonRoot must be true'));
    if ((context.runAsUser ?? pod.runAsUser) === 0) found.push(at('runAsUser must not be 0'));
    if (context.allowPrivilegeEscalation !== false) found.push(at('allowPrivilegeEscalation must be false'));
    if (context.privileged) found.push(at('privileged'));
    if (!(context.capabilities?.drop ?? []).includes('ALL')) found.push(at('capabilities.drop must include ALL'));
    for (const added of context.capabilities?.add ?? []) if (added !== 'NET_BIND_SERVICE') found.push(at(`capabilities.add ${added}`));
    const seccomp = context.seccompProfile?.type ?? pod.seccompProfile?.type;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') found.push(at('seccompProfile.type must be RuntimeDefault or Localhost'));
    for (const port of container.ports ?? []) if (port.hostPort) found.push(`${container.name}: hostPort ${port.hostPort}`);
  }
  return found;
}

/** The pod spec of a workload object (Deployment, StatefulSet, DaemonSet, Job, CronJob, Pod), if any. */
export function podSpecOf(object: { kind: string; spec?: unknown }): PodSpec | undefined {
  const spec = object.spec as { template?: { spec?: PodSpec }; jobTemplate?: { spec?: { template?: { spec?: PodSpec } } } } | undefined;
  if (object.kind === 'Pod') return object.spec as PodSpec;
  return spec?.template?.spec ?? spec?.jobTemplate?.spec?.template?.spec;
}
