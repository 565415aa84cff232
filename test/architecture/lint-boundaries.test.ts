// The linter enforces the same layering the architecture test checks, while the code is written:
// GIVEN a probe file in each layer importing a file in each other layer, WHEN Biome lints them with
// the repository's biome.json, THEN exactly the upward imports are reported by noRestrictedImports.
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { repoRoot } from '../../generator/paths.mjs';
import { LAYERS, rankOf, type Layer } from './layers.js';

/** A file in one of a layer's folders (a chart's folder for the values layer). */
function fileIn(layer: Layer, name: string): string {
  const prefix = layer.paths.find((candidate) => candidate.endsWith('/'));
  if (!prefix) throw new Error(`layer ${layer.name} has no folder to probe`);
  return prefix === 'values-schemas/' ? `values-schemas/demo-${name}/${name}.ts` : `${prefix}${name}.ts`;
}

const checked = LAYERS.filter((layer) => layer.name !== 'test');
const probes = checked.flatMap((from) =>
  checked
    .filter((to) => to !== from)
    .map((to) => {
      const source = fileIn(from, 'probe');
      const target = fileIn(to, 'target');
      const relative = path.posix.relative(path.posix.dirname(source), target).replace(/\.ts$/, '.js');
      const specifier = relative.startsWith('.') ? relative : `./${relative}`;
      // Each pair in its own file beside the layer's probe, so a finding names its pair.
      const file = source.replace(/probe\.ts$/, `probe-${to.name}.ts`);
      return { from, to, file, specifier, upward: rankOf(to) > rankOf(from) };
    }),
);

let scratch = '';
let flagged = new Set<string>();

beforeAll(async () => {
  scratch = mkdtempSync(path.join(tmpdir(), 'chartkit-boundaries-'));
  const config = JSON.parse(readFileSync(path.join(repoRoot, 'biome.json'), 'utf8')) as Record<string, unknown>;
  delete config.$schema;
  writeFileSync(path.join(scratch, 'biome.json'), JSON.stringify(config));
  for (const probe of probes) {
    mkdirSync(path.dirname(path.join(scratch, probe.file)), { recursive: true });
    writeFileSync(path.join(scratch, probe.file), `import { value } from '${probe.specifier}';\n\nexport const probe = value;\n`);
  }
  const result = await execa(
    path.join(repoRoot, 'node_modules', '.bin', 'biome'),
    ['lint', '--max-diagnostics=none', '--colors=off', ...probes.map((probe) => probe.file)],
    { cwd: scratch, reject: false },
  );
  flagged = new Set([...`${result.stdout}\n${result.stderr}`.matchAll(/^(\S+):\d+:\d+ lint\/style\/noRestrictedImports/gm)].map((match) => match[1]!));
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("the linter's import boundaries (biome.json)", () => {
  it('should probe every pair of layers', () => {
    expect(probes).toHaveLength(checked.length * (checked.length - 1));
  });

  it.each(probes.map((probe) => [`${probe.from.name} → ${probe.to.name}`, probe] as const))('%s', (_pair, probe) => {
    // THEN an import upwards is an error, one sideways or downwards is not
    expect(flagged.has(probe.file), `${probe.file} imports '${probe.specifier}'`).toBe(probe.upward);
  });
});
