{{/* The fixed object names other charts refer to are generated: _names.gen.tpl. */}}

{{/*
The namespace every object of the chart lives in: global.namespaces.observability, not the
release namespace, so an umbrella installed elsewhere still puts them beside Prometheus and Grafana.
Usage:
{{ include "observability-platform.names.namespace" . }}
*/}}
{{- define "observability-platform.names.namespace" -}}
{{- .Values.global.namespaces.observability }}
{{- end -}}
