/**
 * Emits a whole chart from its definition: the Helm templates copied byte for byte, `*.hbs`
 * sources rendered, and the values files and schema derived from the chart's values source.
 * Pure: no I/O; the assets arrive as data.
 */
import type { TSchema } from '@sinclair/typebox';
import type { ChartAssets, ChartReleaseEntry, OutputFile } from '../types.js';
import type { ValuesSource } from '../../values-schemas/common/source.js';
import { ENVIRONMENTS } from '../../values-schemas/common/global.js';
import { mergeValues } from '../../values-schemas/common/merge.js';
import { renderHandlebars } from './handlebars.js';
import { withBanner, bannerLines } from './header.js';
import { renderValuesYaml } from './values-yaml.js';
import { assertValuesSatisfySchema } from './values-check.js';
import { valuesRows, renderValuesTable, type ValuesCollapse } from './values-table.js';
import type { SchemaNode } from './schema-walk.js';
import { renderLibrary } from './library.js';
import yaml from 'js-yaml';
import { annotateChartYaml, contentHash, imagesFromValues, type ChartImage } from './chart-metadata.js';

/** Options for {@link renderChart}. */
export interface ChartDefinition<T> {
  /** Chart name (folder below `charts/`). */
  readonly name: string;
  /** Generator module named in the do-not-edit banner. */
  readonly source: string;
  /** Version, appVersion and description. */
  readonly release: ChartReleaseEntry;
  /** The values' single source of truth. */
  readonly values: ValuesSource<T>;
  /** Blocks that get fewer README rows: one for the whole block, or one for the part that repeats another block. */
  readonly readmeCollapse?: readonly ValuesCollapse[];
  /** Extra data for the chart's `.hbs` files. */
  readonly context?: Readonly<Record<string, unknown>>;
  /** Files the chart module derives itself (dashboards, rule files), paths inside the chart. */
  readonly extraFiles?: readonly OutputFile[];
  /** Images for `artifacthub.io/images`. @default derived from the default values ({@link imagesFromValues}) */
  readonly images?: readonly ChartImage[];
  /** The install command an overlay's header shows. @default `helm install <name> <chart> -f <overlay>` */
  readonly installCommand?: (environment: string) => string;
  /**
   * The assets of the library chart this chart's templates use (`generator/templates/chartkit-common/`):
   * vendored below `charts/<library>/`, byte for byte the same in every chart, so the chart installs
   * with nothing but helm. Its Chart.yaml must list the library as a dependency (without a
   * repository: Helm then takes it from `charts/`); the `.hbs` context has it as `library`
   * (`name`, `version`).
   */
  readonly library?: ChartAssets;
}

/**
 * Every chart's `.helmignore`: editor and VCS litter, and the CI scenarios (`ci/`), which are for
 * this repository's lint and goldens, not for the packaged chart or an umbrella's vendored copy.
 */
export const HELMIGNORE = ['.DS_Store', '.git/', '*.swp', '*.tmp', '*.orig', 'ci/'].join('\n');

/** The path inside a chart of a scenario's values file, where chart-testing looks for it. */
export function scenarioValuesPath(scenario: string): string {
  return `ci/${scenario}-values.yaml`;
}

/** The JSON written as `values.schema.json`: draft-07, with the banner as `$comment`. */
export function renderSchemaJson(schema: TSchema, source: string, title: string): string {
  const document = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $comment: bannerLines(source).join(' '),
    title,
    ...schema,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** Emits the chart's files, sorted by path, each under `<name>/`. */
export function renderChart<T>(definition: ChartDefinition<T>, assets: ChartAssets): OutputFile[] {
  const { name, source, release, values } = definition;
  assertValuesSatisfySchema(name, values);
  const schema = values.schema as unknown as SchemaNode;
  const files = new Map<string, string>();
  const add = (path: string, content: string) => {
    if (files.has(path)) throw new Error(`${name}: two sources emit ${path}`);
    files.set(path, content);
  };

  add('.helmignore', HELMIGNORE);
  add('values.schema.json', renderSchemaJson(values.schema, source, `Values of the ${name} chart`));
  add(
    'values.yaml',
    renderValuesYaml(values.defaults as object, schema, [
      `Default values of the ${name} chart.`,
      'Environment overlays: values-dev.yaml, values-staging.yaml, values-prod.yaml.',
    ]),
  );
  for (const environment of ENVIRONMENTS) {
    add(
      `values-${environment}.yaml`,
      renderValuesYaml(values.overlays[environment] as object, schema, [
        `${environment} overlay of the ${name} chart: only what differs from values.yaml.`,
        definition.installCommand?.(environment) ??
          `helm install ${name} <chart> -f values-${environment}.yaml (<chart>: the oci:// reference or the pulled folder; see README.md)`,
      ]),
    );
  }

  for (const [scenario, { description, environment, values: changes }] of Object.entries(values.scenarios)) {
    add(
      scenarioValuesPath(scenario),
      renderValuesYaml(mergeValues(values.overlays[environment], changes ?? {}) as object, schema, [
        `CI scenario ${scenario} of the ${name} chart: ${description}`,
        `The ${environment} overlay with this scenario's changes; linted by \`chartkit lint\` and rendered to test/goldens/${name}/${scenario}.yaml (\`npm run goldens\` refreshes it).`,
      ]).replace('$schema=values.schema.json', '$schema=../values.schema.json'),
    );
  }

  const library = definition.library === undefined ? undefined : renderLibrary(definition.library);
  const context = {
    name,
    ...release,
    ...(library ? { library: { name: library.name, version: library.version } } : {}),
    environments: ENVIRONMENTS,
    valuesTable: renderValuesTable(valuesRows(schema, values.defaults, definition.readmeCollapse)),
    ...definition.context,
  };
  for (const [path, content] of assets) {
    if (path.endsWith('.hbs')) add(path.slice(0, -'.hbs'.length), renderHandlebars(content, context, `${name}/${path}`));
    else add(path, content);
  }
  for (const file of definition.extraFiles ?? []) add(file.path, file.content);
  // The library's files keep the library's own banner (see renderLibrary), not this chart's.
  const vendored = new Set<string>();
  if (library) {
    assertListsLibrary(name, files.get('Chart.yaml'), library.name, library.version);
    for (const file of library.files) {
      add(`charts/${library.name}/${file.path}`, file.content);
      vendored.add(`charts/${library.name}/${file.path}`);
    }
  }

  // Every chart gets its content hash and Artifact Hub metadata here, not in its Chart.yaml.hbs.
  const chartYaml = files.get('Chart.yaml');
  if (chartYaml !== undefined) {
    files.set(
      'Chart.yaml',
      annotateChartYaml(chartYaml, {
        name,
        source,
        version: release.version,
        contentHash: contentHash(files),
        images: definition.images ?? imagesFromValues(values.defaults, release.appVersion),
        changes: release.changes?.[release.version] ?? [],
      }),
    );
  }

  return [...files]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([path, content]) => ({
      path: `${name}/${path}`,
      content: vendored.has(path) ? content : normalise(withBanner(path, content, source)),
    }));
}

/**
 * Fails unless the chart's Chart.yaml lists the vendored library at its version with no
 * repository: `helm dependency list` would report it missing otherwise, and `helm dependency
 * build` would fetch a second copy beside the vendored one.
 */
function assertListsLibrary(chart: string, chartYaml: string | undefined, library: string, version: string): void {
  const dependencies = ((chartYaml === undefined ? {} : yaml.load(chartYaml)) ?? {}) as {
    dependencies?: Array<{ name?: string; version?: string; repository?: string }>;
  };
  const entry = dependencies.dependencies?.find((dependency) => dependency.name === library);
  if (!entry || String(entry.version) !== version || entry.repository) {
    throw new Error(
      `${chart}: its Chart.yaml must list the dependency ${library} version "${version}" with no repository (the generator vendors it below charts/${library}/)`,
    );
  }
}

function normalise(content: string): string {
  const lf = content.replace(/\r\n/g, '\n');
  return lf.endsWith('\n') ? lf : `${lf}\n`;
}
