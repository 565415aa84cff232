// Each mesh check catches a broken object set: the clean prod render of the platform, with one
// object broken the way a real mistake would break it, yields a finding of exactly that check.
import { describe, it, expect, beforeAll } from 'vitest';
import { checkMesh, MESH_CHECKS, type MeshCheckId, type MeshFinding, type MeshObject } from '../../generator/checks/mesh/index.js';
import { parseIstioDuration as parseDuration } from '../../values-schemas/common/duration.js';
import { parseQuantity as parseMemory } from '../../values-schemas/common/quantity.js';
import { renderPlatform, checkOptions, ORDER_CANARY, type Variant } from './fixtures.js';
import { SERVICE_NAMES, source as appSource } from '../restaurant-app/fixtures.js';

type Mutable = { kind: string; metadata: { name: string; namespace?: string }; spec: any };

/** A deep copy of the objects with `edit` applied to the one of `kind` and `name` (and namespace). */
function breakOne(objects: readonly MeshObject[], kind: string, name: string, edit: (object: Mutable) => void, namespace?: string): MeshObject[] {
  const copy = JSON.parse(JSON.stringify(objects)) as Mutable[];
  const target = copy.find(
    (object) => object.kind === kind && object.metadata.name === name && (namespace === undefined || object.metadata.namespace === namespace),
  );
  if (!target) throw new Error(`fixture has no ${kind} ${name}`);
  edit(target);
  return copy as unknown as MeshObject[];
}

/** The findings must all be of `check`, and at least one must match `message`. */
function expectOnly(findings: readonly MeshFinding[], check: MeshCheckId, message: RegExp): void {
  expect(findings.length, JSON.stringify(findings, null, 2)).toBeGreaterThan(0);
  expect(new Set(findings.map((finding) => finding.check))).toEqual(new Set([check]));
  expect(
    findings.some((finding) => message.test(finding.message)),
    JSON.stringify(findings, null, 2),
  ).toBe(true);
}

const platforms: Record<string, Variant> = {
  sidecar: {},
  canary: { app: ORDER_CANARY },
  ambient: { mode: 'ambient' },
};
const objects: Record<string, MeshObject[]> = {};

beforeAll(async () => {
  // GIVEN the clean prod renders (Helm 4) that pass every check; these tests break objects in
  // memory, and renders.test.ts runs the checks on Helm 3 and 4 renders alike
  for (const [name, variant] of Object.entries(platforms)) {
    objects[name] = await renderPlatform(4, 'prod', variant);
    expect(checkMesh(objects[name]!, checkOptions('prod', variant))).toEqual([]);
  }
});

const run = (platform: keyof typeof platforms, broken: MeshObject[]) => checkMesh(broken, checkOptions('prod', platforms[platform]));

describe('destination-host', () => {
  it('should catch a route to a Service that is not rendered', () => {
    const broken = breakOne(objects.sidecar!, 'VirtualService', 'order-service', (vs) => {
      vs.spec.http[0].route[0].destination.host = 'orders.restaurant.svc.cluster.local';
    });
    expectOnly(run('sidecar', broken), 'destination-host', /orders\.restaurant\.svc\.cluster\.local, which is no rendered Service/);
  });
});

describe('subset', () => {
  it('should catch a subset no DestinationRule defines', () => {
    const broken = breakOne(objects.canary!, 'DestinationRule', 'order-service', (rule) => {
      rule.spec.subsets = rule.spec.subsets.filter((subset: { name: string }) => subset.name !== 'v2');
    });
    expectOnly(run('canary', broken), 'subset', /subset v2: no DestinationRule for the host defines that subset/);
  });

  it("should catch a subset whose labels select no Deployment's pods", () => {
    const broken = breakOne(objects.canary!, 'DestinationRule', 'order-service', (rule) => {
      rule.spec.subsets[1].labels = { version: 'v3' };
    });
    expectOnly(run('canary', broken), 'subset', /select the pods of no rendered Deployment/);
  });
});

describe('canary-weights', () => {
  it('should catch weights 90/20', () => {
    const broken = breakOne(objects.canary!, 'VirtualService', 'order-service', (vs) => {
      vs.spec.http[0].route[1].weight = 20;
    });
    expectOnly(run('canary', broken), 'canary-weights', /weights 90\/20 sum to 110, not 100/);
  });
});

describe('retry-budget', () => {
  it('should catch perTryTimeout × attempts above the timeout', () => {
    const broken = breakOne(objects.sidecar!, 'VirtualService', 'edge', (vs) => {
      vs.spec.http[0].retries.attempts = 4;
    });
    expectOnly(run('sidecar', broken), 'retry-budget', /route api: 4 attempts × perTryTimeout 10s exceed the timeout 30s/);
  });
});

describe('call-graph', () => {
  it('should catch a missing edge (frontend can no longer call api-gateway)', () => {
    const broken = breakOne(objects.sidecar!, 'AuthorizationPolicy', 'api-gateway', (policy) => {
      policy.spec.rules[0].from[0].source.principals = ['cluster.local/ns/istio-ingress/sa/istio-ingressgateway'];
    });
    expectOnly(run('sidecar', broken), 'call-graph', /missing edge: the declared caller frontend is not allowed/);
  });

  it('should catch an extra edge (notification-service may call menu-service)', () => {
    const broken = breakOne(objects.sidecar!, 'AuthorizationPolicy', 'menu-service', (policy) => {
      policy.spec.rules[0].from[0].source.principals.push('cluster.local/ns/restaurant/sa/notification-service');
    });
    expectOnly(run('sidecar', broken), 'call-graph', /extra edge: notification-service is allowed but not a declared caller/);
  });

  it('should catch a rule that admits a whole namespace to the serving port', () => {
    const broken = breakOne(objects.sidecar!, 'AuthorizationPolicy', 'auth-service', (policy) => {
      policy.spec.rules[0].from = [{ source: { namespaces: ['restaurant'] } }];
    });
    const findings = run('sidecar', broken);
    expectOnly(findings, 'call-graph', /admits callers of auth-service by something other than their principal on serving port\(s\) 8004/);
  });

  it('should catch an extra edge in ambient mode, where the policy is attached to the Service', () => {
    const broken = breakOne(objects.ambient!, 'AuthorizationPolicy', 'notification-service', (policy) => {
      policy.spec.rules[0].from[0].source.principals.push('cluster.local/ns/restaurant/sa/frontend');
    });
    expectOnly(run('ambient', broken), 'call-graph', /extra edge: frontend is allowed/);
  });

  it('should catch a service no ALLOW policy governs', () => {
    const broken = (JSON.parse(JSON.stringify(objects.sidecar!)) as Mutable[]).filter(
      (object) => !(object.kind === 'AuthorizationPolicy' && ['restaurant-service', 'default-deny'].includes(object.metadata.name)),
    ) as unknown as MeshObject[];
    expectOnly(run('sidecar', broken), 'call-graph', /no ALLOW AuthorizationPolicy applies/);
  });

  it('should treat the ingress gateway as the public edge only while an Istio Gateway selects its pods', () => {
    // GIVEN the clean render, whose gateway Service has no call-graph policy by design (it is called from outside)
    expect(run('sidecar', objects.sidecar!)).toEqual([]);
    // WHEN the Gateway no longer selects the gateway pods, THEN the gateway is judged as a workload and its open door found
    const broken = breakOne(objects.sidecar!, 'Gateway', 'ingress-gateway', (gateway) => {
      gateway.spec.selector = { istio: 'nothing' };
    });
    const findings = checkMesh(broken, checkOptions('prod', platforms.sidecar));
    expect(
      findings.some((finding) => finding.object === 'Service istio-ingress/ingress-gateway' && /no ALLOW AuthorizationPolicy applies/.test(finding.message)),
      JSON.stringify(findings, null, 2),
    ).toBe(true);
  });
});

describe('principal', () => {
  it('should catch a principal that names no rendered ServiceAccount', () => {
    const broken = breakOne(objects.sidecar!, 'AuthorizationPolicy', 'order-service', (policy) => {
      policy.spec.rules[0].from[0].source.principals.push('cluster.local/ns/restaurant/sa/payment-service');
    });
    expectOnly(run('sidecar', broken), 'principal', /payment-service names no rendered ServiceAccount/);
  });
});

describe('strict-mtls', () => {
  it('should catch a namespace that is not STRICT in prod', () => {
    const broken = breakOne(
      objects.sidecar!,
      'PeerAuthentication',
      'default',
      (policy) => {
        policy.spec.mtls.mode = 'PERMISSIVE';
      },
      'restaurant',
    );
    expectOnly(run('sidecar', broken), 'strict-mtls', /Namespace restaurant|mTLS is PERMISSIVE/);
  });

  it('should catch a port exception on the port that carries service traffic', () => {
    const copy = JSON.parse(JSON.stringify(objects.sidecar!)) as Mutable[];
    copy.push({
      apiVersion: 'security.istio.io/v1',
      kind: 'PeerAuthentication',
      metadata: { name: 'order-service', namespace: 'restaurant' },
      spec: { selector: { matchLabels: { app: 'order-service' } }, portLevelMtls: { 8001: { mode: 'PERMISSIVE' } } },
    } as unknown as Mutable);
    expectOnly(run('sidecar', copy as unknown as MeshObject[]), 'strict-mtls', /port 8001 is PERMISSIVE but carries service traffic/);
  });
});

describe('sidecar-egress', () => {
  it('should catch a Sidecar that cannot reach a declared callee', () => {
    const broken = breakOne(objects.sidecar!, 'Sidecar', 'default', (sidecar) => {
      sidecar.spec.egress[0].hosts = sidecar.spec.egress[0].hosts.filter((host: string) => host !== './*');
    });
    expectOnly(run('sidecar', broken), 'sidecar-egress', /calls api-gateway\.restaurant\.svc\.cluster\.local, which the egress hosts .* do not cover/);
  });

  it("should catch a Sidecar that cannot reach the backing stores' namespace", () => {
    const broken = breakOne(objects.sidecar!, 'Sidecar', 'default', (sidecar) => {
      sidecar.spec.egress[0].hosts = sidecar.spec.egress[0].hosts.filter((host: string) => host !== 'restaurant-data/*');
    });
    expectOnly(run('sidecar', broken), 'sidecar-egress', /cannot reach namespace restaurant-data/);
  });
});

describe('gateway-host', () => {
  it('should catch a Gateway host no VirtualService binds', () => {
    const broken = breakOne(objects.sidecar!, 'VirtualService', 'edge', (vs) => {
      vs.spec.hosts = ['www.restaurant.example.com'];
    });
    expectOnly(run('sidecar', broken), 'gateway-host', /host restaurant\/restaurant\.example\.com on port 443 is bound by no VirtualService/);
  });
});

describe('production', () => {
  it.each([
    [
      'istiod without autoscaling to 3',
      'Istio',
      'default',
      (istio: Mutable) => {
        istio.spec.values.pilot.autoscaleMin = 1;
      },
      /at least 3 replicas/,
    ],
    [
      'in-place upgrades',
      'Istio',
      'default',
      (istio: Mutable) => {
        istio.spec.updateStrategy = { type: 'InPlace' };
      },
      /not RevisionBased/,
    ],
    [
      'a proxy memory limit of 256Mi',
      'Istio',
      'default',
      (istio: Mutable) => {
        istio.spec.values.global.proxy.resources.limits.memory = '256Mi';
      },
      /below 512Mi/,
    ],
    [
      '10% trace sampling',
      'Telemetry',
      'mesh-default',
      (telemetry: Mutable) => {
        telemetry.spec.tracing[0].randomSamplingPercentage = 10;
      },
      /at most 1% \(found 10\)/,
    ],
    [
      'a sidecar memory limit of 128Mi',
      'Deployment',
      'menu-service',
      (deployment: Mutable) => {
        deployment.spec.template.metadata.annotations['sidecar.istio.io/proxyMemoryLimit'] = '128Mi';
      },
      /sidecar proxy memory limit 128Mi is below 512Mi/,
    ],
  ] as const)('should catch %s', (_title, kind, name, edit, message) => {
    expectOnly(run('sidecar', breakOne(objects.sidecar!, kind, name, edit)), 'production', message);
  });

  it('should catch a PERMISSIVE mesh-wide mode (production checklist and STRICT coverage both)', () => {
    const broken = breakOne(
      objects.sidecar!,
      'PeerAuthentication',
      'default',
      (policy) => {
        policy.spec.mtls.mode = 'PERMISSIVE';
      },
      'istio-system',
    );
    const findings = run('sidecar', broken);
    expect(new Set(findings.map((finding) => finding.check))).toEqual(new Set(['production', 'strict-mtls']));
  });

  it('should ask for the control plane when judging restaurant-app alone for production', () => {
    const appOnly = objects.sidecar!.filter((object) => object.metadata?.namespace === 'restaurant');
    expectOnly(checkMesh(appOnly, { ...checkOptions('prod'), checks: ['production'] }), 'production', /no Sail Istio resource/);
  });
});

describe('the module', () => {
  it('should run only the checks asked for, and offer every check', () => {
    const broken = breakOne(objects.canary!, 'VirtualService', 'order-service', (vs) => {
      vs.spec.http[0].route[1].weight = 20;
    });
    expect(checkMesh(broken, { ...checkOptions('prod', platforms.canary), checks: ['retry-budget'] })).toEqual([]);
    expect(MESH_CHECKS).toHaveLength(11);
  });

  it('should parse durations and memory quantities as Istio and Kubernetes do', () => {
    expect([parseDuration('500ms'), parseDuration('10s'), parseDuration('1m30s'), parseDuration('1.5h'), parseDuration('10')]).toEqual([
      500,
      10_000,
      90_000,
      5_400_000,
      undefined,
    ]);
    expect([parseMemory('512Mi'), parseMemory('1Gi'), parseMemory('500M'), parseMemory('500mb')]).toEqual([536_870_912, 1_073_741_824, 500_000_000, undefined]);
  });
});

describe('mesh-mode', () => {
  it('should catch ambient pods rendered against a sidecar control plane', async () => {
    // GIVEN restaurant-app rendered for ambient and istio-mesh for sidecars, separately
    const [app, mesh] = await Promise.all([
      renderPlatform(4, 'prod', { mode: 'ambient' }).then((all) =>
        all.filter((object) => object.kind !== 'Istio' && !object.apiVersion.startsWith('sailoperator.io/')),
      ),
      renderPlatform(4, 'prod', { mode: 'sidecar' }).then((all) => all.filter((object) => object.apiVersion.startsWith('sailoperator.io/'))),
    ]);
    // THEN every enrolled workload is named
    const findings = checkMesh([...app, ...mesh], { checks: ['mesh-mode'] });
    // (one finding per restaurant service, each enrolled in ambient; nothing else is enrolled)
    expect(findings.map((finding) => finding.object).sort()).toEqual(
      SERVICE_NAMES.map((name) => `Deployment ${appSource.defaults.global.namespaces.app}/${name}`).sort(),
    );
    expect(new Set(findings.map((finding) => finding.check))).toEqual(new Set(['mesh-mode']));
    expect(findings.find((finding) => finding.object === 'Deployment restaurant/frontend')?.message).toMatch(/runs no ztunnel: its traffic bypasses the mesh/);
  });

  it('should find nothing when both sides are ambient', () => {
    expect(checkMesh(objects.ambient!, { checks: ['mesh-mode'] })).toEqual([]);
  });
});
