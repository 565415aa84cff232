{{/*
The labels a chart gives an object itself, one `key: value` line each, in this order: Istio's `app`,
app.kubernetes.io/name with app.kubernetes.io/instance (the release), Istio's `version`,
app.kubernetes.io/version, app.kubernetes.io/component, app.kubernetes.io/part-of,
app.kubernetes.io/managed-by and helm.sh/chart. Every key but the last three is printed only when
its parameter is given. Values are quoted, except the keys listed in `plain`, which each chart has
always printed bare (their values need no quotes; quoting them would change every rendered object).
Parameters: context (the chart's root context), app, name, version, appVersion, component, partOf,
plain (a list of keys), into (a dict the labels are also set into, for a caller that needs them as
a map: reading the printed text back with fromYaml costs a YAML parse per object).
Usage:
{{ include "chartkit.labels.own" (dict "context" $ "name" $name "component" "alerts" "partOf" "restaurant-platform") }}
*/}}
{{- define "chartkit.labels.own" -}}
{{- $labels := list }}
{{- if hasKey . "app" }}{{ $labels = append $labels (list "app" .app) }}{{ end }}
{{- if hasKey . "name" }}{{ $labels = append (append $labels (list "app.kubernetes.io/name" .name)) (list "app.kubernetes.io/instance" .context.Release.Name) }}{{ end }}
{{- if hasKey . "version" }}{{ $labels = append $labels (list "version" .version) }}{{ end }}
{{- if hasKey . "appVersion" }}{{ $labels = append $labels (list "app.kubernetes.io/version" .appVersion) }}{{ end }}
{{- if hasKey . "component" }}{{ $labels = append $labels (list "app.kubernetes.io/component" .component) }}{{ end }}
{{- $labels = append $labels (list "app.kubernetes.io/part-of" .partOf) }}
{{- $labels = append $labels (list "app.kubernetes.io/managed-by" .context.Release.Service) }}
{{- $labels = append $labels (list "helm.sh/chart" (include "chartkit.names.chart" .context)) }}
{{- $plain := .plain | default list }}
{{- range $index, $label := $labels }}
{{- if $index }}{{ "\n" }}{{ end }}
{{- $key := index $label 0 }}
{{- $key }}: {{ if has $key $plain }}{{ index $label 1 }}{{ else }}{{ index $label 1 | quote }}{{ end }}
{{- if hasKey $ "into" }}{{ $_ := set $.into $key (index $label 1) }}{{ end }}
{{- end }}
{{- end -}}

{{/*
The standard labels of an object: "chartkit.labels.own", then the chart's commonLabels, which
"chartkit.validate.labels" keeps from repeating a key of the chart's own. Takes the parameters of
"chartkit.labels.own"; `into` gets the commonLabels too.
Usage:
{{- include "chartkit.labels.standard" (dict "context" $ "name" $name "partOf" "restaurant-platform") | nindent 4 }}
*/}}
{{- define "chartkit.labels.standard" -}}
{{ include "chartkit.labels.own" . }}
{{- with .context.Values.commonLabels }}
{{ toYaml . }}
{{- if hasKey $ "into" }}{{ range $key, $value := . }}{{ $_ := set $.into $key $value }}{{ end }}{{ end }}
{{- end }}
{{- end -}}
