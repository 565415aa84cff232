{{/*
The effective monitoring mode, "operator" or "files": monitoring.mode, with "auto" resolved by
whether the cluster serves the Prometheus Operator's kinds. "operator" requires them (the one API
guard, chartkit.validate.apis: override global.skipCapabilityCheck); "auto" is a choice of output,
not a guard, and picks "files" when they are missing.
Usage:
{{ if eq (include "observability-platform.monitoring.mode" .) "operator" }}…{{ end }}
*/}}
{{- define "observability-platform.monitoring.mode" -}}
{{- $mode := .Values.monitoring.mode }}
{{- $kinds := list "monitoring.coreos.com/v1/PrometheusRule" "monitoring.coreos.com/v1/ServiceMonitor" "monitoring.coreos.com/v1/PodMonitor" }}
{{- if eq $mode "auto" }}
{{- $served := true }}
{{- range $kinds }}{{ if not ($.Capabilities.APIVersions.Has .) }}{{ $served = false }}{{ end }}{{ end }}
{{- ternary "operator" "files" $served }}
{{- else }}
{{- if eq $mode "operator" }}
{{- include "chartkit.validate.apis" (dict "context" . "required" $kinds "reason" "monitoring.mode is operator but " "install" "install the Prometheus Operator CRDs (kube-prometheus-stack or prometheus-operator-crds), or set monitoring.mode to files") }}
{{- end }}
{{- $mode }}
{{- end }}
{{- end -}}
