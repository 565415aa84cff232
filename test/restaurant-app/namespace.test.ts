// restaurant-app puts its objects in global.namespaces.app, whatever namespace the release is
// installed from, so the other charts (gateway hosts, scrape jobs, alert rules) that name that
// namespace always agree with where the services are.
import { describe, it, expect, beforeAll } from 'vitest';
import { AuthorizationPolicy } from '@kubernetes-models/istio/security.istio.io/v1/AuthorizationPolicy';
import { VirtualService } from '@kubernetes-models/istio/networking.istio.io/v1/VirtualService';
import { render } from '../helpers/helm.js';
import { all, mustGet, type KubeObject } from '../helpers/models.js';
import { HELM_MAJORS } from '../helpers/tools.js';
import { SERVICE_NAMES, appRender, valuesOf } from './fixtures.js';

describe.each(HELM_MAJORS)('restaurant-app namespace on Helm %i', (helm) => {
  let objects: KubeObject[];
  beforeAll(async () => {
    // GIVEN the app namespace "shop", WHEN rendered from a release in namespace "default"
    objects = await render({ ...appRender(helm, 'prod', { set: ['global.namespaces.app=shop'] }), namespace: 'default' });
  });

  it('should place every object in global.namespaces.app', () => {
    expect(new Set(objects.map((object) => object.metadata?.namespace))).toEqual(new Set(['shop']));
  });

  it.each(SERVICE_NAMES)("should let %s be called by its declared callers' identities in that namespace (and the edge gateway's)", (name) => {
    // GIVEN the call graph and the edge routes of the prod values
    const values = valuesOf('prod');
    const callers = SERVICE_NAMES.filter((caller) => values.services[caller]!.calls?.[name]).map((caller) => `cluster.local/ns/shop/sa/${caller}`);
    const edge = Object.values(values.istio.edge.routes).some((route) => route.service === name);
    const gateway = `cluster.local/ns/${values.istio.gateway.namespace || values.global.namespaces.ingress}/sa/${values.istio.gateway.serviceAccount}`;
    // THEN the service's policy admits exactly those principals
    const principals = (mustGet(objects, AuthorizationPolicy, name).spec?.rules ?? []).flatMap((rule) =>
      (rule.from ?? []).flatMap((from) => from.source?.principals ?? []),
    );
    expect(principals.sort()).toEqual([...callers, ...(edge ? [gateway] : [])].sort());
  });

  it('should name no principal in any other policy', () => {
    const others = all(objects, AuthorizationPolicy).filter((policy) => !SERVICE_NAMES.includes(policy.metadata!.name!));
    expect(
      others.flatMap((policy) => (policy.spec?.rules ?? []).flatMap((rule) => (rule.from ?? []).flatMap((from) => from.source?.principals ?? []))),
    ).toEqual([]);
  });

  it('should route to hosts in that namespace', () => {
    const hosts = mustGet(objects, VirtualService, 'order-service').spec?.hosts;
    expect(hosts).toEqual(['order-service.shop.svc.cluster.local']);
  });
});
