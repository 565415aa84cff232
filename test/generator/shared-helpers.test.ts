// The helpers every platform chart shares are written once (generator/templates/_shared) and emitted
// into each chart under its own name; no chart keeps a copy of its own.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it, expect } from 'vitest';
import { repoRoot } from '../../scripts/tools/paths.mjs';
import { SHARED_CHART_TOKEN } from '../../generator/emit/chart.js';

const source = readFileSync(path.join(repoRoot, 'generator', 'templates', '_shared', 'templates', '_chartkit.tpl'), 'utf8');
const sharedNames = [...source.matchAll(/define "__CHART__\.([^"]+)"/g)].map((match) => match[1]!);
const defines = (text: string) => [...text.matchAll(/define "([^"]+)"/g)].map((match) => match[1]!);

describe.each(['restaurant-app', 'istio-mesh', 'observability-platform'])('the shared helpers in %s', (chart) => {
  const templates = path.join(repoRoot, 'charts', chart, 'templates');
  const emitted = readFileSync(path.join(templates, '_chartkit.tpl'), 'utf8');

  it('should be emitted under the chart\'s own name, with no placeholder left', () => {
    expect(sharedNames.length).toBeGreaterThan(0);
    expect(emitted).not.toContain(SHARED_CHART_TOKEN);
    expect(defines(emitted)).toEqual(sharedNames.map((name) => `${chart}.${name}`));
  });

  it('should not be defined again in the chart\'s own helpers', () => {
    const own = defines(readFileSync(path.join(templates, '_helpers.tpl'), 'utf8'));
    expect(own.filter((name) => sharedNames.includes(name.slice(chart.length + 1)))).toEqual([]);
  });
});
