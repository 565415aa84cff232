{{/*
Labels of every object: the chart's own ("chartkit.labels.standard": the app.kubernetes.io set and
helm.sh/chart, printed as this chart always has, most values bare), then commonLabels, which must
not set any of those (validate.yaml refuses that).
Usage:
{{- include "observability-platform.labels.standard" (dict "context" $ "component" "alerts") | nindent 4 }}
*/}}
{{- define "observability-platform.labels.standard" -}}
{{- include "chartkit.labels.standard" (dict "context" .context "name" .context.Chart.Name "appVersion" .context.Chart.AppVersion "component" .component "partOf" "restaurant-platform" "plain" (list "app.kubernetes.io/name" "app.kubernetes.io/component" "app.kubernetes.io/part-of" "app.kubernetes.io/managed-by" "helm.sh/chart")) }}
{{- end -}}

{{/*
The label keys the chart writes itself, as a JSON list (commonLabels must not set them;
"chartkit.validate.labels" reads this list by its name).
Usage:
{{- $reserved := include "observability-platform.labels.reserved" $ | fromJsonArray }}
*/}}
{{- define "observability-platform.labels.reserved" -}}
{{- keys (include "chartkit.labels.own" (dict "context" . "name" .Chart.Name "appVersion" .Chart.AppVersion "component" "x" "partOf" "restaurant-platform") | fromYaml) | sortAlpha | toJson }}
{{- end -}}
