// escapeGoTemplate: the one function every `{{ … }}` meant for Prometheus or Grafana passes
// through on its way into a Helm template; proven here by a real Helm render of its output.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { escapeGoTemplate } from '../../generator/observability/escape.js';
import { HELM_MAJORS } from '../helpers/tools.js';
import { render } from '../helpers/helm.js';
import { mustGet } from '../helpers/models.js';

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

  describe('through Helm', () => {
    let chart: string;
    beforeAll(() => {
      // GIVEN a chart whose ConfigMap holds the escaped samples
      chart = mkdtempSync(path.join(os.tmpdir(), 'chartkit-escape-'));
      mkdirSync(path.join(chart, 'templates'));
      writeFileSync(path.join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: escape\nversion: 0.1.0\n');
      const data = samples.map((sample, index) => `  s${index}: ${escapeGoTemplate(JSON.stringify(sample))}`).join('\n');
      writeFileSync(path.join(chart, 'templates', 'configmap.yaml'), `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: escape\ndata:\n${data}\n`);
    });
    afterAll(() => rmSync(chart, { recursive: true, force: true }));

    it.each(HELM_MAJORS)('should render every sample back to itself on Helm %i', async (helm) => {
      // WHEN Helm renders it
      const objects = await render({ chart, helm, release: 'e' });
      // THEN each value is the original text
      expect(Object.values(mustGet(objects, ConfigMap, 'escape').data ?? {})).toEqual(samples);
    });
  });
});
