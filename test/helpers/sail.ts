// The Sail Operator's kinds (sailoperator.io/v1 Istio, IstioRevision, IstioRevisionTag, IstioCNI,
// ZTunnel) have no model package, so they are validated against the real pinned Sail Operator CRDs
// (test/helpers/crds.ts): structural schema with unknown fields as errors, and the CEL rules.
// Importing this module registers the validators with the render harness.
import { registerCustomKind, type KubeObject } from './models.js';
import { describeObject } from '../../generator/checks/object.js';
import { checkCrds } from './crds.js';

/** The Sail Operator's API version. */
export const SAIL_API_VERSION = 'sailoperator.io/v1';

/** The kinds the Sail Operator serves at {@link SAIL_API_VERSION}. */
export const SAIL_KINDS = ['Istio', 'IstioRevision', 'IstioRevisionTag', 'IstioCNI', 'ZTunnel'] as const;

/** What the Sail CRD finds wrong with one object, one line each (`spec.version: …`); empty when valid. */
export function sailFindings(document: KubeObject): string[] {
  return checkCrds([document]).findings.map((finding) => `${finding.path}: ${finding.message}`);
}

for (const kind of SAIL_KINDS) {
  registerCustomKind(SAIL_API_VERSION, kind, (document: KubeObject) => {
    const errors = sailFindings(document);
    if (errors.length > 0) throw new Error(`${describeObject(document)} is invalid against the Sail ${kind} CRD:\n  ${errors.join('\n  ')}`);
  });
}
