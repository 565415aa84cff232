// What `helm install` tells the user: NOTES name a `replicas` that an HPA overrides, and disabled
// services. Helm 4 only: `helm install --dry-run=client` (which renders NOTES) runs offline on
// Helm 4 alone; `helm template` does not render NOTES on either version.
import { describe, it, expect } from 'vitest';
import { installRelease } from '../helpers/helm.js';
import { serviceSettings } from './fixtures.js';

/** The NOTES `helm install` prints for the prod overlay plus `set`. */
async function notes(set: readonly string[]): Promise<string> {
  const release = await installRelease({
    chart: 'restaurant-app',
    helm: 4,
    release: 'demo',
    values: ['values-prod.yaml'],
    set: ['global.skipCapabilityCheck=true', ...set],
  });
  return release.notes;
}

describe('restaurant-app NOTES', () => {
  it('should say that a replicas value is ignored while an HPA manages the Deployment', async () => {
    // GIVEN prod (autoscaling on) and an explicit replicas for one service
    const text = await notes(['services.frontend.replicas=5']);
    // THEN the notes name the path, the HPA's range (prod's values) and what to set instead
    const { minReplicas, maxReplicas } = serviceSettings('prod', 'frontend').autoscaling;
    expect(text).toContain(
      `note: services.frontend.replicas (5) is ignored: its HorizontalPodAutoscaler keeps ${minReplicas} to ${maxReplicas} replicas (set services.frontend.autoscaling.minReplicas instead)`,
    );
    expect(text.match(/is ignored/g)).toHaveLength(1);
  });

  it('should say nothing of replicas when none is set, and mark a disabled service', async () => {
    const text = await notes(['services.notification-service.enabled=false']);
    expect(text).not.toContain('is ignored');
    expect(text).toContain('  - notification-service (disabled)');
  });
});
