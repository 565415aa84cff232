// The ingress gateway's pods: istio-mesh runs them (gateway injection) so the Gateway binds
// something; restricted Pod Security, autoscaled in prod, least-privilege credentials, on Helm 3 and 4.
import { describe, it, expect, beforeAll } from 'vitest';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Gateway } from '@kubernetes-models/istio/networking.istio.io/v1/Gateway';
import '../helpers/sail.js';
import { render } from '../helpers/helm.js';
import { describeRejectedValues } from '../helpers/rejected.js';
import { all, mustGet, type KubeObject } from '../helpers/models.js';
import { assertStrict } from '../helpers/strict.js';
import { podSpecOf, restrictedViolations } from '../helpers/pod-security.js';
import { HELM_MAJORS } from '../helpers/tools.js';
import { mergeValues } from '../../values-schemas/common/merge.js';
import { ENVIRONMENTS, meshRender, source, type Environment } from './fixtures.js';

/** The ingress gateway values an environment renders with (defaults merged with its overlay). */
const gatewayValues = (environment: Environment) => mergeValues(source.defaults, source.overlays[environment]).ingressGateway;

describe.each(HELM_MAJORS)('istio-mesh ingress gateway pods on Helm %i', (helm) => {
  describe.each(ENVIRONMENTS)('in %s', (environment) => {
    const values = gatewayValues(environment);
    let objects: KubeObject[];
    beforeAll(async () => {
      objects = await render(meshRender(helm, environment, { set: ['namespaces.create=true'] }));
    });

    it('should run pods the Gateway selects, filled in by the injector from its gateway template', () => {
      // GIVEN the Gateway's selector, WHEN the pods are rendered, THEN their labels carry it and ask for injection
      const gateway = mustGet(objects, Gateway, values.name);
      const deployment = mustGet(objects, Deployment, values.name);
      const pod = deployment.spec!.template;
      expect(deployment.metadata?.namespace).toBe(source.defaults.global.namespaces.ingress);
      expect(pod.metadata?.labels).toMatchObject(gateway.spec!.selector!);
      expect(deployment.spec!.selector.matchLabels).toEqual(gateway.spec!.selector);
      expect(pod.metadata?.annotations?.['inject.istio.io/templates']).toBe('gateway');
      const injection = environment === 'prod' ? { 'istio.io/rev': source.defaults.controlPlane.revisionTag } : { 'sidecar.istio.io/inject': 'true' };
      expect(pod.metadata?.labels).toMatchObject(injection);
      expect(pod.spec?.serviceAccountName).toBe(values.serviceAccount);
      expect(pod.spec?.containers.map((container) => [container.name, container.image])).toEqual([['istio-proxy', 'auto']]);
      expect(pod.spec?.containers[0]?.resources).toEqual(values.pods.resources);
    });

    it('should pass restricted Pod Security, binding 80 and 443 through the safe unprivileged-port sysctl', () => {
      const deployment = mustGet(objects, Deployment, values.name);
      expect(restrictedViolations(podSpecOf(deployment)! as never)).toEqual([]);
      expect(deployment.spec!.template.spec!.securityContext?.sysctls).toEqual([{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }]);
      expect(mustGet(objects, Namespace, source.defaults.global.namespaces.ingress).metadata?.labels?.['pod-security.kubernetes.io/enforce']).toBe(
        'restricted',
      );
    });

    it('should expose HTTP, HTTPS and the status port on the Service the edge traffic arrives at', () => {
      const service = mustGet(objects, Service, values.name);
      expect(service.spec?.type).toBe(values.pods.service.type);
      expect(service.spec?.selector).toEqual(values.selector);
      expect(service.spec?.ports?.map((port) => [port.name, port.port, port.targetPort])).toEqual([
        ['status-port', values.healthPort, values.healthPort],
        ['http2', 80, 80],
        ['https', 443, 443],
      ]);
    });

    it('should let only the gateway read the Secrets of its namespace, for credentialName', () => {
      expect(mustGet(objects, ServiceAccount, values.serviceAccount).metadata?.namespace).toBe(source.defaults.global.namespaces.ingress);
      expect(mustGet(objects, Role, values.name).rules).toEqual([{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch'] }]);
      const binding = mustGet(objects, RoleBinding, values.name);
      expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: values.name });
      expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: values.serviceAccount, namespace: source.defaults.global.namespaces.ingress }]);
    });

    it('should autoscale where the environment says so, with a disruption budget from two pods on', () => {
      const hpas = all(objects, HorizontalPodAutoscaler);
      const budgets = all(objects, PodDisruptionBudget);
      const deployment = mustGet(objects, Deployment, values.name);
      if (values.pods.autoscaling.enabled) {
        expect(hpas.map((hpa) => [hpa.spec?.scaleTargetRef.name, hpa.spec?.minReplicas, hpa.spec?.maxReplicas])).toEqual([
          [values.name, values.pods.autoscaling.minReplicas, values.pods.autoscaling.maxReplicas],
        ]);
        expect(deployment.spec?.replicas).toBeUndefined();
      } else {
        expect(hpas).toEqual([]);
        expect(deployment.spec?.replicas).toBe(values.pods.replicas);
      }
      const minimum = values.pods.autoscaling.enabled ? values.pods.autoscaling.minReplicas : values.pods.replicas;
      expect(budgets.map((budget) => [budget.spec?.maxUnavailable, budget.spec?.selector?.matchLabels])).toEqual(minimum >= 2 ? [[1, values.selector]] : []);
      if (environment === 'prod') expect(values.pods.autoscaling.minReplicas).toBeGreaterThanOrEqual(2);
    });

    it('should pass the models, the strict check and the API server rules', () => {
      assertStrict(objects);
    });
  });

  describe('switched off', () => {
    it('should render no gateway pod when something else runs them', async () => {
      const objects = await render(meshRender(helm, 'prod', { set: ['ingressGateway.pods.enabled=false'] }));
      expect(all(objects, Deployment)).toEqual([]);
      expect(all(objects, Role)).toEqual([]);
      // AND the Gateway still selects the pods something else runs
      expect(mustGet(objects, Gateway, gatewayValues('prod').name).spec?.selector).toEqual(gatewayValues('prod').selector);
    });
  });
});

// GIVEN the prod overlay with one mistake in the gateway's values each
describeRejectedValues('istio-mesh refuses bad ingress gateway values', (helm) => meshRender(helm, 'prod'), [
  { name: 'removing the selector the pods and the Gateway share (schema)', set: ['ingressGateway.selector=null'], path: 'ingressGateway', message: 'selector' },
  {
    name: 'an autoscaling minimum above the maximum',
    set: ['ingressGateway.pods.autoscaling.minReplicas=9', 'ingressGateway.pods.autoscaling.maxReplicas=4'],
    path: 'ingressGateway.pods.autoscaling.minReplicas',
    message: 'ingressGateway.pods.autoscaling.minReplicas (9) must not exceed',
  },
  {
    name: 'a gateway request above its limit',
    set: ['ingressGateway.pods.resources.requests.cpu=4'],
    path: 'ingressGateway.pods.resources.requests.cpu',
    message: 'ingressGateway.pods.resources.requests.cpu (4) exceeds ingressGateway.pods.resources.limits.cpu',
  },
  {
    name: 'a gateway without autoscaling in prod',
    set: ['ingressGateway.pods.autoscaling.enabled=false'],
    path: 'ingressGateway.pods.autoscaling.enabled',
    message: 'ingressGateway.pods.autoscaling.enabled is false: prod requires',
  },
  {
    name: 'one gateway pod in prod',
    set: ['ingressGateway.pods.autoscaling.minReplicas=1'],
    path: 'ingressGateway.pods.autoscaling.minReplicas',
    message: 'ingressGateway.pods.autoscaling.minReplicas is 1: prod requires at least 2',
  },
]);
