/**
 * The generator's I/O: reading chart assets, writing charts, and comparing them for drift.
 * The chart modules never touch the file system; this module is the only one that does.
 */
import { readdirSync, readFileSync, rmSync, mkdirSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import type { ChartAssets, OutputFile, Releases } from './types.js';

function listFiles(root: string, relative = ''): string[] {
  const directory = path.join(root, relative);
  if (!existsSync(directory)) return [];
  return readdirSync(directory, { withFileTypes: true })
    .flatMap((entry) => {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      return entry.isDirectory() ? listFiles(root, child) : [child];
    })
    .sort();
}

/** Reads every file below `generator/templates/<chart>/` as the chart's assets. */
export function readChartAssets(generatorDir: string, chart: string): ChartAssets {
  const root = path.join(generatorDir, 'templates', chart);
  return new Map(listFiles(root).map((file) => [file, readFileSync(path.join(root, file), 'utf8')]));
}

/** Reads `generator/charts/releases.json`: every chart's version, appVersion, description and changelog. */
export function readReleases(generatorDir: string): Releases {
  return JSON.parse(readFileSync(path.join(generatorDir, 'charts', 'releases.json'), 'utf8')) as Releases;
}

/** Replaces each chart's folder below `chartsDir` whole with the emitted files. */
export function writeCharts(chartsDir: string, charts: readonly string[], files: readonly OutputFile[]): void {
  for (const chart of charts) rmSync(path.join(chartsDir, chart), { recursive: true, force: true });
  for (const file of files) {
    const target = path.join(chartsDir, file.path);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, file.content);
  }
}

/** What differs between the emitted files and `charts/`. */
export interface Drift {
  readonly missing: string[];
  readonly extra: string[];
  readonly changed: string[];
}

/** Compares the emitted files with the charts on disk; an empty drift means they are identical. */
export function findDrift(chartsDir: string, charts: readonly string[], files: readonly OutputFile[]): Drift {
  const expected = new Map(files.map((file) => [file.path, file.content]));
  const actual = new Set(charts.flatMap((chart) => listFiles(path.join(chartsDir, chart)).map((file) => `${chart}/${file}`)));
  const drift: Drift = { missing: [], extra: [], changed: [] };
  for (const [file, content] of expected) {
    if (!actual.has(file)) drift.missing.push(file);
    else if (readFileSync(path.join(chartsDir, file), 'utf8') !== content) drift.changed.push(file);
  }
  for (const file of actual) if (!expected.has(file)) drift.extra.push(file);
  return drift;
}
