// The documented installation is two releases: the observability umbrella (release and namespace
// `observability`) and restaurant-platform (release `platform`). Helm refuses to install an object
// another release owns, so no object identity may be rendered by both.
import { describe, it, expect } from 'vitest';
import '../helpers/sail.js';
import { render } from '../helpers/helm.js';
import type { KubeObject } from '../helpers/models.js';
import { HELM_MAJORS } from '../helpers/tools.js';
import { ENVIRONMENTS, platformRender } from './fixtures.js';
import { umbrellaRender, expectedWorkloads, workloadIds, OBSERVABILITY_NAMESPACE } from '../observability/fixtures.js';
import { SERVICE_NAMES } from '../restaurant-app/fixtures.js';
import { globalDefaults } from '../../values-schemas/common/global.js';

const CLUSTER_SCOPED = new Set([
  'ClusterRole',
  'ClusterRoleBinding',
  'Namespace',
  'CustomResourceDefinition',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'PriorityClass',
  'StorageClass',
]);

/** `group/kind/namespace/name` as the API server keys it; namespaced objects without one land in the release namespace. */
const identity = (object: KubeObject, releaseNamespace: string) =>
  `${object.apiVersion.includes('/') ? object.apiVersion.split('/')[0] : ''}/${object.kind}/${CLUSTER_SCOPED.has(object.kind) ? '' : (object.metadata?.namespace ?? releaseNamespace)}/${object.metadata?.name}`;

describe.each(HELM_MAJORS)('the documented releases on Helm %i', (helm) => {
  it.each(ENVIRONMENTS)('should render no object identity twice across observability and restaurant-platform in %s', async (environment) => {
    // GIVEN both releases as the README installs them
    const [observability, platform] = await Promise.all([render(umbrellaRender(helm, environment)), render(platformRender(helm, environment))]);
    // WHEN their identities are collected
    const owned = new Map<string, string>();
    const duplicates: string[] = [];
    for (const [release, objects, namespace] of [
      ['observability', observability, OBSERVABILITY_NAMESPACE],
      ['platform', platform, 'restaurant'],
    ] as const) {
      for (const object of objects) {
        const id = identity(object, namespace);
        if (owned.has(id)) duplicates.push(`${id} (${owned.get(id)} and ${release})`);
        owned.set(id, release);
      }
    }
    // THEN each object has exactly one owner
    expect(duplicates).toEqual([]);
    // AND both renders hold what their values install (the check compared real releases, not empty ones)
    expect(workloadIds(observability)).toEqual(expectedWorkloads(environment));
    expect(
      platform
        .filter((object) => object.kind === 'Deployment' && object.metadata?.namespace === globalDefaults.namespaces.app)
        .map((object) => object.metadata?.name)
        .sort(),
    ).toEqual(SERVICE_NAMES);
  });
});
