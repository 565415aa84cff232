/** The generated `_production.gen.tpl` of the charts whose Helm guards hold prod to the production requirements. */
import { PRODUCTION, productionRequirementsJson } from '../../values-schemas/platform/production.js';
import type { OutputFile } from '../types.js';
import { renderDefines } from './helper.js';

/** `templates/_production.gen.tpl` of `chart`: `<chart>.production.requirements`, {@link PRODUCTION} as JSON. */
export function productionHelperFile(chart: string): OutputFile {
  return {
    path: 'templates/_production.gen.tpl',
    content: renderDefines(chart, [
      {
        name: 'production.requirements',
        purpose: [
          'The production requirements (values-schemas/platform/production.ts, which the mesh checks also read)',
          'as a JSON object: the guards refuse prod values that miss one. proxyMemoryLimitMinBytes is',
          `proxyMemoryLimitMin (${PRODUCTION.proxyMemoryLimitMin}) in bytes.`,
        ].join('\n'),
        usage: `{{- $production := include "${chart}.production.requirements" . | fromJson }}`,
        body: productionRequirementsJson(),
      },
    ]),
  };
}
