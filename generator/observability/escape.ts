/**
 * The one escaping function for text that must survive Helm's template engine verbatim: Prometheus
 * alert annotations (`{{ $labels.pod }}`, `{{ $value }}`) and Grafana legends placed inside a Helm
 * template file. Each `{{` and `}}` becomes a Go-template action that prints it back.
 */

/**
 * Escapes every `{{` and `}}` in `text` so that Helm renders `text` unchanged.
 *
 * `{{` becomes ``{{`{{`}}`` and `}}` becomes ``{{`}}`}}`` (Go raw strings; the action bodies contain
 * no other delimiter, so one pass from left to right cannot re-escape what it produced).
 * Text holding a backtick inside a delimiter pair cannot occur: a raw string cannot contain one,
 * and this function never puts user text inside the raw strings.
 *
 * @example escapeGoTemplate('{{ $labels.pod }} is down') === '{{`{{`}} $labels.pod {{`}}`}} is down'
 */
export function escapeGoTemplate(text: string): string {
  return text.replace(/\{\{|\}\}/g, (delimiter) => (delimiter === '{{' ? '{{`{{`}}' : '{{`}}`}}'));
}
