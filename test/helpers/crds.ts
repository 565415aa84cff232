// The real pinned CRD sets (Istio, Sail Operator, Gateway API, Prometheus Operator) from the
// verified upstream cache, indexed once per process, and the assertion that rendered custom
// resources are valid against them (generator/checks/crd.ts). When the cache could not be filled,
// every use fails with the global setup's reason.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../generator/paths.mjs';
import { cachedCrds } from '../../generator/upstream/cache.js';
import { CRD_PINS } from '../../values-schemas/platform/pins.js';
import { loadCrdSchemas, validateAgainstCrds, type CrdIndex, type CrdReport } from '../../generator/checks/crd.js';
import type { KubeObject as KubeObjectLike } from '../../generator/checks/object.js';
import { realUmbrella } from './upstream.js';

let index: CrdIndex | undefined;

/** Every served version of every pinned CRD. @throws when the upstream artifacts are unavailable. */
export function crdIndex(): CrdIndex {
  if (!index) {
    realUmbrella();
    index = loadCrdSchemas(CRD_PINS.flatMap((pin) => pin.files.map((file) => readFileSync(path.join(cachedCrds(repoRoot, pin), file), 'utf8'))));
  }
  return index;
}

/** Validates objects against the pinned CRDs (built-in kinds are skipped). */
export function checkCrds(objects: readonly KubeObjectLike[]): CrdReport {
  return validateAgainstCrds(objects, crdIndex());
}

/** One line per finding: `VirtualService restaurant/frontend: spec.http[0].wieght: unknown field`. */
export function formatFindings(report: Pick<CrdReport, 'findings'>): string {
  return report.findings.map((finding) => `${finding.object}: ${finding.path}: ${finding.message}`).join('\n');
}

/**
 * Throws, listing every finding, unless each custom resource among `objects` is valid against its CRD.
 * @returns the report (CEL rules evaluated and not evaluated).
 */
export function assertCrdValid(objects: readonly KubeObjectLike[]): CrdReport {
  const report = checkCrds(objects);
  if (report.findings.length > 0)
    throw new Error(`${report.findings.length} custom resource finding(s) against the pinned CRDs:\n  ${formatFindings(report).replaceAll('\n', '\n  ')}`);
  return report;
}
