{{/*
Chart name and version as the helm.sh/chart label value.
Usage:
{{ include "observability-platform.names.chart" . }}
*/}}
{{- define "observability-platform.names.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end -}}

{{/*
The namespace every object of the chart lives in: global.namespaces.observability, not the
release namespace, so an umbrella installed elsewhere still puts them beside Prometheus and Grafana.
Usage:
{{ include "observability-platform.names.namespace" . }}
*/}}
{{- define "observability-platform.names.namespace" -}}
{{- .Values.global.namespaces.observability }}
{{- end -}}

{{/*
Labels of every object: the chart's own ("observability-platform.labels.own"), then commonLabels,
which must not set any of those (the key would be written twice in one map).
Usage:
{{ include "observability-platform.labels.standard" (dict "context" $ "component" "alerts") }}
*/}}
{{- define "observability-platform.labels.standard" -}}
{{- include "observability-platform.validate.labels" (dict "context" .context "labels" .context.Values.commonLabels "path" "commonLabels") -}}
{{ include "observability-platform.labels.own" . }}
{{- with .context.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/*
The label keys the chart writes itself, as a JSON list (commonLabels must not set them).
Usage:
{{- $reserved := include "observability-platform.labels.reserved" $ | fromJsonArray }}
*/}}
{{- define "observability-platform.labels.reserved" -}}
{{- keys (include "observability-platform.labels.own" (dict "context" . "component" "x") | fromYaml) | sortAlpha | toJson }}
{{- end -}}

{{/*
The labels the chart itself gives every object: the app.kubernetes.io set and helm.sh/chart.
Usage:
{{ include "observability-platform.labels.own" (dict "context" $ "component" "alerts") }}
*/}}
{{- define "observability-platform.labels.own" -}}
app.kubernetes.io/name: {{ .context.Chart.Name }}
app.kubernetes.io/instance: {{ .context.Release.Name | quote }}
app.kubernetes.io/version: {{ .context.Chart.AppVersion | quote }}
app.kubernetes.io/component: {{ .component }}
app.kubernetes.io/part-of: restaurant-platform
app.kubernetes.io/managed-by: {{ .context.Release.Service }}
helm.sh/chart: {{ include "observability-platform.names.chart" .context }}
{{- end -}}

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
{{- include "observability-platform.values.fail" (dict "context" . "message" "monitoring.mode is operator, but the cluster does not serve monitoring.coreos.com/v1 PrometheusRule, ServiceMonitor and PodMonitor: install the Prometheus Operator CRDs (kube-prometheus-stack or prometheus-operator-crds), or set monitoring.mode to files") }}
{{- else }}
{{- $mode }}
{{- end }}
{{- end -}}
