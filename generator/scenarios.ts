/**
 * The renders CI makes of each chart: one per scenario of its values source, with the release name
 * and namespace the chart is installed with, the committed golden it must reproduce, and the
 * cluster APIs it renders against. `chartkit lint`, `chartkit goldens`, the golden tests and the
 * benchmark all read these.
 */
import path from 'node:path';
import { chartModules } from './index.js';
import { scenarioValuesPath } from './emit/chart.js';
import { mergeValues } from '../values-schemas/common/merge.js';
import type { GlobalValues } from '../values-schemas/common/global.js';
import { UPSTREAM_LOCK } from '../values-schemas/platform/locked.js';

/** The namespace of `global.namespaces` each chart is installed into. */
const HOME_NAMESPACE: Readonly<Record<string, keyof GlobalValues['namespaces']>> = {
  'restaurant-app': 'app',
  'istio-mesh': 'istio',
  'observability-platform': 'observability',
  observability: 'observability',
  'restaurant-platform': 'app',
};

/** One CI render of one chart. */
export interface ScenarioRender {
  readonly chart: string;
  readonly scenario: string;
  readonly description: string;
  /** The scenario's values file, relative to the repository root. */
  readonly valuesFile: string;
  /** The committed render, relative to the repository root. */
  readonly goldenFile: string;
  /** Release name: the chart's name, as the READMEs install it. */
  readonly release: string;
  /** Release namespace: the chart's home namespace in the scenario's values. */
  readonly namespace: string;
}

/** Every chart's CI renders (or the given charts'), in chart then scenario order. */
export function scenarioRenders(charts?: readonly string[]): ScenarioRender[] {
  return chartModules
    .filter((module) => !charts?.length || charts.includes(module.name))
    .flatMap((module) => {
      const home = HOME_NAMESPACE[module.name];
      if (!home) throw new Error(`generator/scenarios.ts: no home namespace for chart ${module.name}`);
      const { defaults, overlays, scenarios } = module.values;
      return Object.entries(scenarios).map(([scenario, { description, environment, values }]) => {
        const merged = mergeValues(defaults, overlays[environment], values ?? {}) as { global: GlobalValues };
        return {
          chart: module.name,
          scenario,
          description,
          valuesFile: path.posix.join('charts', module.name, scenarioValuesPath(scenario)),
          goldenFile: path.posix.join('test', 'goldens', module.name, `${scenario}.yaml`),
          release: module.name,
          namespace: merged.global.namespaces[home],
        };
      });
    });
}

/**
 * The `--api-versions` of a cluster with every CRD the charts expect (from the upstream lock), so the
 * charts' capability guards see the APIs they need; `group/version` and `group/version/Kind` are
 * separate entries.
 */
export function clusterApiVersions(): string[] {
  const kinds = Object.values(UPSTREAM_LOCK.crds).flatMap((set) => set.kinds);
  return [...new Set([...kinds, ...kinds.map((kind) => kind.split('/').slice(0, 2).join('/'))])].sort();
}

/** What one `helm template` run renders: a chart folder (or package) as a release, with values, into a cluster serving `apiVersions`. */
export interface TemplateRun {
  readonly release: string;
  readonly chart: string;
  readonly namespace: string;
  readonly values?: readonly string[];
  readonly set?: readonly string[];
  readonly apiVersions: readonly string[];
}

/** The `helm template` arguments of a {@link TemplateRun}: the one place they are spelled out. */
export function templateArgs(run: TemplateRun): string[] {
  return [
    'template',
    run.release,
    run.chart,
    '--namespace',
    run.namespace,
    ...(run.values ?? []).flatMap((file) => ['--values', file]),
    ...(run.set ?? []).flatMap((pair) => ['--set', pair]),
    ...run.apiVersions.flatMap((api) => ['--api-versions', api]),
  ];
}

/**
 * The `helm template` arguments of one CI render: the chart folder (for the observability umbrella,
 * its assembly with the pinned dependencies), the scenario's values file, and a cluster with every
 * API the charts expect.
 */
export function scenarioTemplateArgs(root: string, render: ScenarioRender, chartDir: string, apiVersions: readonly string[]): string[] {
  return templateArgs({ release: render.release, chart: chartDir, namespace: render.namespace, values: [path.join(root, render.valuesFile)], apiVersions });
}
