/**
 * Generated Helm helpers: `define`s whose bodies come from TypeScript constants, so a fact the
 * generator and the checks use lives in one place and the templates read it by name.
 */

/** One generated `define`. */
export interface GeneratedDefine {
  /** The name after the chart prefix, `<area>.<name>`. */
  readonly name: string;
  /** What it holds, for the purpose comment. */
  readonly purpose: string;
  /** The text it prints. */
  readonly body: string;
  /** How a template uses it; `{{ include "<chart>.<name>" . }}` unless given. */
  readonly usage?: string;
}

/** The text of a helper file of generated `define`s, each with its purpose comment (bitnami `common` style). */
export function renderDefines(chart: string, defines: readonly GeneratedDefine[]): string {
  return defines
    .map(({ name, purpose, body, usage }) =>
      ['{{/*', purpose, 'Usage:', usage ?? `{{ include "${chart}.${name}" . }}`, '*/}}', `{{- define "${chart}.${name}" -}}`, body, '{{- end -}}', ''].join(
        '\n',
      ),
    )
    .join('\n');
}
