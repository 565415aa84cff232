/** How an upgrade pairs the objects of two renders: the identity Helm and the API server know an object by. */
import type { KubeObject } from '../checks/object.js';

/** The API group of an object (`''` for the core group). */
const groupOf = (object: KubeObject) => (object.apiVersion.includes('/') ? object.apiVersion.split('/')[0]! : '');

/** Group, kind, namespace and name: the identity of an object, the version of its API aside (`apps/Deployment/shop/menu`). */
export const identityOf = (object: KubeObject): string =>
  `${groupOf(object)}/${object.kind}/${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;
