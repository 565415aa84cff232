{{/* Quoting convention: a string helper returns bare text (pipe it to `| quote` where it lands as a scalar), a YAML-block helper quotes each string in it, and integers are printed with `| int64`. */}}

{{/*
Fills .target (an empty dict) with .base overlaid by .source: maps merge key by key, anything else
(false, 0 and empty strings included) replaces. Sprig's merge functions treat false/0/"" as unset,
so a service could not turn off what serviceDefaults turns on; this helper can. Only the maps
.source touches are copied, the rest is shared with .base (a deep copy per service is what a
200-service values file would pay for), so treat the result as read-only: deepCopy it before
changing it.
Usage:
{{- $settings := dict }}
{{- include "restaurant-app.values.overlay" (dict "target" $settings "base" .Values.serviceDefaults "source" $entry) }}
*/}}
{{- define "restaurant-app.values.overlay" -}}
{{- range $key, $value := .base }}
{{- $_ := set $.target $key $value }}
{{- end }}
{{- range $key, $value := .source }}
{{- $current := get $.base $key }}
{{- if and (kindIs "map" $value) (kindIs "map" $current) }}
{{- $child := dict }}
{{- include "restaurant-app.values.overlay" (dict "target" $child "base" $current "source" $value) }}
{{- $_ := set $.target $key $child }}
{{- else }}
{{- $_ := set $.target $key $value }}
{{- end }}
{{- end }}
{{- end -}}

{{/*
The values path a service setting comes from: services.<name>.<path> when the service sets it,
else serviceDefaults.<path>. Error messages name it, so the user edits the right place.
Usage:
{{ include "restaurant-app.values.origin" (dict "name" $name "entry" $entry "path" "autoscaling.minReplicas") }}
*/}}
{{- define "restaurant-app.values.origin" -}}
{{- $node := .entry }}
{{- $found := true }}
{{- range (splitList "." .path) }}
{{- if and $found (kindIs "map" $node) (hasKey $node .) }}
{{- $node = index $node . }}
{{- else }}
{{- $found = false }}
{{- end }}
{{- end }}
{{- if $found }}services.{{ .name }}.{{ .path }}{{ else }}serviceDefaults.{{ .path }}{{ end }}
{{- end -}}
