{{/* Quoting convention: a string helper returns bare text (pipe it to `| quote` where it lands as a scalar), a YAML-block helper quotes each string in it, and integers are printed with `| int64`. */}}

{{/*
The mesh mode: global.mesh.mode when the restaurant-platform umbrella sets it for every chart,
else mesh.mode. Fails when neither is set (validate.yaml asks first, so the message comes before
any other guard's).
Usage:
{{ if eq (include "istio-mesh.mesh.mode" .) "ambient" }}…{{ end }}
*/}}
{{- define "istio-mesh.mesh.mode" -}}
{{- $mode := dig "mesh" "mode" (dig "mode" "" .Values.mesh) .Values.global }}
{{- if not $mode }}
{{- include "chartkit.values.fail" (dict "context" . "message" "mesh.mode: no mesh mode; set it (sidecar or ambient), or global.mesh.mode") }}
{{- end }}
{{- $mode }}
{{- end -}}

{{/*
Whether the chart renders the Sail Operator resources ("true" or nothing).
Usage:
{{ if include "istio-mesh.mesh.sail" . }}…{{ end }}
*/}}
{{- define "istio-mesh.mesh.sail" -}}
{{- if eq .Values.controlPlane.installer "sail" }}true{{ end }}
{{- end -}}

{{/*
Whether the Istio CNI node agent is used ("true" or nothing): always in ambient mode, in sidecar
mode when cni.sidecarMode asks for it (restricted Pod Security then holds for injected pods).
Usage:
{{ if include "istio-mesh.mesh.cni" . }}…{{ end }}
*/}}
{{- define "istio-mesh.mesh.cni" -}}
{{- if or (eq (include "istio-mesh.mesh.mode" .) "ambient") .Values.cni.sidecarMode }}true{{ end }}
{{- end -}}

{{/*
The tracing backend's OTLP host: a short service name is qualified with the observability namespace.
Usage:
{{ include "istio-mesh.mesh.tracingHost" . | quote }}
*/}}
{{- define "istio-mesh.mesh.tracingHost" -}}
{{- if contains "." .Values.tracing.service }}{{ .Values.tracing.service }}{{ else }}{{ printf "%s.%s.svc.%s" .Values.tracing.service .Values.global.namespaces.observability .Values.global.clusterDomain }}{{ end }}
{{- end -}}
