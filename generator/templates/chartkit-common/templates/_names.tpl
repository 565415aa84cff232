{{/*
Chart name and version as the helm.sh/chart label value: `+` (build metadata), which a label value
cannot hold, becomes `_`; cut at 63 characters, a label value's limit.
Usage:
{{ include "chartkit.names.chart" $ }}
*/}}
{{- define "chartkit.names.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end -}}
