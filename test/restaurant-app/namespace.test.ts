// restaurant-app puts its objects in global.namespaces.app, whatever namespace the release is
// installed from, so the other charts (gateway hosts, scrape jobs, alert rules) that name that
// namespace always agree with where the services are.
import { describe, it, expect, beforeAll } from 'vitest';
import { AuthorizationPolicy } from '@kubernetes-models/istio/security.istio.io/v1/AuthorizationPolicy';
import { VirtualService } from '@kubernetes-models/istio/networking.istio.io/v1/VirtualService';
import { render } from '../helpers/helm.js';
import { all, mustGet, type KubeObject } from '../helpers/models.js';
import { HELM_MAJORS } from '../helpers/tools.js';
import { appRender } from './fixtures.js';

describe.each(HELM_MAJORS)('restaurant-app namespace on Helm %i', (helm) => {
  let objects: KubeObject[];
  beforeAll(async () => {
    // GIVEN the app namespace "shop", WHEN rendered from a release in namespace "default"
    objects = await render({ ...appRender(helm, 'prod', { set: ['global.namespaces.app=shop'] }), namespace: 'default' });
  });

  it('should place every object in global.namespaces.app', () => {
    expect(new Set(objects.map((object) => object.metadata?.namespace))).toEqual(new Set(['shop']));
  });

  it('should name callers by their identity in that namespace', () => {
    const principals = all(objects, AuthorizationPolicy).flatMap((policy) =>
      (policy.spec?.rules ?? []).flatMap((rule) => (rule.from ?? []).flatMap((from) => from.source?.principals ?? [])),
    );
    expect(principals.length).toBeGreaterThan(0);
    for (const principal of principals) expect(principal).toMatch(/^cluster\.local\/ns\/(shop|istio-ingress)\/sa\//);
  });

  it('should route to hosts in that namespace', () => {
    const hosts = mustGet(objects, VirtualService, 'order-service').spec?.hosts;
    expect(hosts).toEqual(['order-service.shop.svc.cluster.local']);
  });
});
