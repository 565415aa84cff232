{{/*
A container's requests/limits block with every quantity quoted as text ("chartkit.quantities.text").
Usage:
{{- include "chartkit.resources.block" $resources | nindent 12 }}
*/}}
{{- define "chartkit.resources.block" -}}
{{- $lines := list }}
{{- range $section, $quantities := . }}
{{- $lines = append $lines (printf "%s:" $section) }}
{{- range $resource, $quantity := $quantities }}
{{- $lines = append $lines (printf "  %s: %s" $resource (include "chartkit.quantities.text" $quantity | quote)) }}
{{- end }}
{{- end }}
{{- join "\n" $lines }}
{{- end -}}
