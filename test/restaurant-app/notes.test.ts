// What `helm install` tells the user: NOTES name a `replicas` that an HPA overrides, and disabled
// services. Helm 4 only: `helm install --dry-run=client` (which renders NOTES) runs offline on
// Helm 4 alone; `helm template` does not render NOTES on either version.
import { describe, it, expect } from 'vitest';
import { execa } from 'execa';
import path from 'node:path';
import { repoRoot } from '../../scripts/tools/paths.mjs';
import { resolveHelm } from '../helpers/tools.js';

async function notes(set: readonly string[]): Promise<string> {
  const chart = path.join(repoRoot, 'charts', 'restaurant-app');
  const args = ['install', 'demo', chart, '--dry-run=client', '--namespace', 'restaurant', '--values', path.join(chart, 'values-prod.yaml'), '--set', 'istio.skipCapabilityCheck=true', ...set.flatMap((pair) => ['--set', pair]), '--output', 'json'];
  const result = await execa(resolveHelm(4), args);
  return (JSON.parse(result.stdout) as { info: { notes: string } }).info.notes;
}

describe('restaurant-app NOTES', () => {
  it('should say that a replicas value is ignored while an HPA manages the Deployment', async () => {
    // GIVEN prod (autoscaling on) and an explicit replicas for one service
    const text = await notes(['services.frontend.replicas=5']);
    // THEN the notes name the path, the HPA's range and what to set instead
    expect(text).toContain('note: services.frontend.replicas (5) is ignored: its HorizontalPodAutoscaler keeps 2 to 10 replicas (set services.frontend.autoscaling.minReplicas instead)');
    expect(text.match(/is ignored/g)).toHaveLength(1);
  });

  it('should say nothing of replicas when none is set, and mark a disabled service', async () => {
    const text = await notes(['services.notification-service.enabled=false']);
    expect(text).not.toContain('is ignored');
    expect(text).toContain('  - notification-service (disabled)');
  });
});
