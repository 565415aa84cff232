// escapeGoTemplate: the one function every `{{ … }}` meant for Prometheus or Grafana passes
// through on its way into a Helm template; proven here by a real Helm render of its output.
import { describe, it, expect } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { escapeGoTemplate } from '../../generator/observability/escape.js';
import { resolveHelm, HELM_MAJORS } from '../helpers/tools.js';

const samples = [
  '{{ $labels.pod }} is down',
  '{{ $value | humanizePercentage }} of {{ $labels.destination_service_name }}',
  'no delimiters at all',
  '{{{ triple }}}',
  '}} closing first {{',
  '{{- trimmed -}} and `backticks` and "quotes"',
];

describe('escapeGoTemplate', () => {
  it('should replace each delimiter with an action that prints it', () => {
    // GIVEN a Prometheus annotation WHEN escaped THEN no bare delimiter is left
    expect(escapeGoTemplate('{{ $labels.pod }} is down')).toBe('{{`{{`}} $labels.pod {{`}}`}} is down');
    expect(escapeGoTemplate('plain')).toBe('plain');
  });

  describe.each(HELM_MAJORS)('through Helm %i', (helm) => {
    it('should render every sample back to itself', async () => {
      // GIVEN a chart whose ConfigMap holds the escaped samples
      const dir = mkdtempSync(path.join(os.tmpdir(), 'chartkit-escape-'));
      try {
        mkdirSync(path.join(dir, 'templates'));
        writeFileSync(path.join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: escape\nversion: 0.1.0\n');
        const data = samples.map((sample, index) => `  s${index}: ${escapeGoTemplate(JSON.stringify(sample))}`).join('\n');
        writeFileSync(path.join(dir, 'templates', 'configmap.yaml'), `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: escape\ndata:\n${data}\n`);
        // WHEN Helm renders it
        const { stdout } = await execa(resolveHelm(helm), ['template', 'e', dir]);
        // THEN each value is the original text
        const yaml = await import('js-yaml');
        const document = yaml.load(stdout.replace(/^---\n# Source.*\n/m, '')) as { data: Record<string, string> };
        expect(Object.values(document.data)).toEqual(samples);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
