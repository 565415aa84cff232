/**
 * Emits the observability umbrella: Chart.yaml dependencies on the pinned upstream charts (from
 * values-schemas/platform/upstream.ts) plus the local observability-platform chart, and values
 * in current keys per environment with every cross-reference computed by the topology.
 */
import { releaseOf, type ChartModule, type Releases } from '../types.js';
import { renderChart } from '../emit/chart.js';
import type { ValuesSource } from '../../values-schemas/common/source.js';
import {
  observabilityValues,
  GRAFANA_ADMIN_SECRET,
  KIALI_SIGNING_SECRET,
  NODE_EXPORTER_NAMESPACE,
  defaultTopology,
} from '../../values-schemas/observability/index.js';
import { UPSTREAM_PURPOSE, unknownUpstreamKeys } from '../../values-schemas/platform/upstream.js';
import { ENVIRONMENTS } from '../../values-schemas/common/global.js';
import { mergeValues } from '../../values-schemas/common/merge.js';
import { OBSERVABILITY_PINS } from '../../values-schemas/platform/pins.js';
import { lockedChart } from '../../values-schemas/platform/locked.js';
import { DEFAULT_RELEASE } from '../../values-schemas/platform/topology.js';
import { ALERT_ROUTING } from '../../values-schemas/observability/alerting.js';
import type { SecretFileRef } from '../../values-schemas/observability/alertmanager.js';

const SOURCE = 'generator/charts/observability.ts';

/** One entry of the umbrella's `dependencies`. */
export interface Dependency {
  readonly name: string;
  readonly version: string;
  readonly repository: string;
  readonly purpose: string;
}

/** The umbrella's dependencies: the pinned upstream charts, then the local platform chart. */
export function umbrellaDependencies(releases: Releases): Dependency[] {
  return [
    ...OBSERVABILITY_PINS.map((pin) => ({
      name: pin.name,
      version: pin.version,
      repository: pin.repository,
      purpose: `${UPSTREAM_PURPOSE[pin.name]} (app ${lockedChart(pin.name).appVersion})`,
    })),
    {
      name: 'observability-platform',
      version: releaseOf(releases, 'observability-platform').version,
      repository: 'file://../observability-platform',
      purpose: "The platform's alert rules, dashboards and Istio scrape objects (the platform's own chart).",
    },
  ];
}

/** One Secret the Alertmanager receivers read, with its keys, for the README's install steps. */
export interface ReceiverSecret {
  readonly name: string;
  readonly keys: ReadonlyArray<{ readonly key: string; readonly hint: string }>;
}

/** The Secrets the alert routing's receivers read their credentials from, by name. */
export function receiverSecrets(): ReceiverSecret[] {
  const isRef = (value: unknown): value is SecretFileRef => typeof value === 'object' && value !== null && 'secret' in value && 'key' in value;
  const secrets = new Map<string, Map<string, string>>();
  for (const receiver of Object.values(ALERT_ROUTING.receivers)) {
    for (const ref of Object.values(receiver).filter(isRef)) {
      const keys = secrets.get(ref.secret) ?? new Map<string, string>();
      keys.set(ref.key, `${receiver.type} ${ref.key}`);
      secrets.set(ref.secret, keys);
    }
  }
  return [...secrets].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, keys]) => ({ name, keys: [...keys].map(([key, hint]) => ({ key, hint })) }));
}

/** A dependency as the README names its origin: a `file://` one is the platform's own chart, bundled. */
function readmeDependency(dependency: Dependency): Dependency & { origin: string } {
  return {
    ...dependency,
    origin: dependency.repository.startsWith('file://') ? `the \`${dependency.name}\` chart, published beside this one` : dependency.repository,
  };
}

/**
 * Refuses values that set a key the pinned upstream chart does not have (a typo, or a key of
 * another chart version), naming the values file and path: Helm would pass it to the subchart,
 * which would silently ignore it.
 */
export function checkUpstreamKeys(): void {
  const { defaults, overlays } = observabilityValues;
  const files: Array<[string, Record<string, unknown>]> = [
    ['values.yaml', defaults as Record<string, unknown>],
    ...ENVIRONMENTS.map(
      (environment) =>
        [`values-${environment}.yaml`, mergeValues(defaults as Record<string, unknown>, overlays[environment] as Record<string, unknown>)] as [
          string,
          Record<string, unknown>,
        ],
    ),
  ];
  const problems = files.flatMap(([file, values]) =>
    OBSERVABILITY_PINS.flatMap((pin) =>
      unknownUpstreamKeys(pin.name, (values[pin.name] ?? {}) as Record<string, unknown>).map(
        (key) => `${file}: ${pin.name}.${key} is not a key of ${pin.name} ${pin.version}`,
      ),
    ),
  );
  if (problems.length > 0)
    throw new Error(
      `the observability umbrella's values set keys its pinned charts do not have (values-schemas/platform/upstream-lock.json):\n${problems.join('\n')}`,
    );
}

/** The observability umbrella module. */
export const observability: ChartModule = {
  name: 'observability',
  source: SOURCE,
  values: observabilityValues as ValuesSource<unknown>,
  render: ({ assets, releases }) => {
    checkUpstreamKeys();
    return renderChart(
      {
        name: 'observability',
        source: SOURCE,
        release: releaseOf(releases, 'observability'),
        values: observabilityValues,
        // The namespace must be global.namespaces.observability; the chart refuses others.
        installCommand: (environment) =>
          `helm install ${DEFAULT_RELEASE} <chart> --namespace ${observabilityValues.defaults.global.namespaces.observability} -f values-${environment}.yaml (the namespace must be global.namespaces.observability)`,
        context: {
          dependencies: umbrellaDependencies(releases),
          readmeDependencies: umbrellaDependencies(releases).map(readmeDependency),
          receiverSecrets: receiverSecrets(),
          namespaces: observabilityValues.defaults.global.namespaces,
          grafanaSecret: GRAFANA_ADMIN_SECRET,
          kialiSecret: KIALI_SIGNING_SECRET,
          nodeExporterNamespace: NODE_EXPORTER_NAMESPACE,
          release: DEFAULT_RELEASE,
          topology: defaultTopology(),
        },
      },
      assets,
    );
  },
};
