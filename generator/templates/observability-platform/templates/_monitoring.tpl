{{/*
The effective monitoring mode, "operator" or "files": monitoring.mode, with "auto" resolved by
whether the cluster serves monitoring.coreos.com/v1. Fails when "operator" is asked for and the
API is missing, naming the value and what to install.
Usage:
{{ if eq (include "observability-platform.monitoring.mode" .) "operator" }}…{{ end }}
*/}}
{{- define "observability-platform.monitoring.mode" -}}
{{- $mode := .Values.monitoring.mode }}
{{- $api := and (.Capabilities.APIVersions.Has "monitoring.coreos.com/v1/PrometheusRule") (.Capabilities.APIVersions.Has "monitoring.coreos.com/v1/ServiceMonitor") (.Capabilities.APIVersions.Has "monitoring.coreos.com/v1/PodMonitor") }}
{{- if eq $mode "auto" }}
{{- ternary "operator" "files" $api }}
{{- else if and (eq $mode "operator") (not $api) }}
{{- include "chartkit.values.fail" (dict "context" . "message" "monitoring.mode is operator, but the cluster does not serve monitoring.coreos.com/v1 PrometheusRule, ServiceMonitor and PodMonitor: install the Prometheus Operator CRDs (kube-prometheus-stack or prometheus-operator-crds), or set monitoring.mode to files") }}
{{- else }}
{{- $mode }}
{{- end }}
{{- end -}}
