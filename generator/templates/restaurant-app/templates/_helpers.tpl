{{/*
Deep-merges .source into .target in place: maps merge key by key, anything else (false, 0 and
empty strings included) replaces. Sprig's mergeOverwrite skips "empty" values, so a service could
not turn off what serviceDefaults turns on; this helper can.
Usage:
{{- $settings := deepCopy .Values.serviceDefaults }}
{{- include "restaurant-app.values.mergeInto" (dict "target" $settings "source" $entry) }}
*/}}
{{- define "restaurant-app.values.mergeInto" -}}
{{- range $key, $value := .source }}
{{- $current := get $.target $key }}
{{- if and (kindIs "map" $value) (kindIs "map" $current) }}
{{- include "restaurant-app.values.mergeInto" (dict "target" $current "source" $value) }}
{{- else }}
{{- $_ := set $.target $key (deepCopy $value) }}
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

{{/*
Chart name and version as the helm.sh/chart label value.
Usage:
{{ include "restaurant-app.names.chart" . }}
*/}}
{{- define "restaurant-app.names.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end -}}

{{/*
The image tag a service runs: its own tag, else global.image.tag, else the chart appVersion.
Usage:
{{ include "restaurant-app.images.tag" (dict "context" $ "settings" $settings) }}
*/}}
{{- define "restaurant-app.images.tag" -}}
{{- .settings.image.tag | default .context.Values.global.image.tag | default .context.Chart.AppVersion }}
{{- end -}}

{{/*
The full image reference of a service: registry/repository, pinned by digest when one is set.
Usage:
{{ include "restaurant-app.images.reference" (dict "context" $ "name" $name "settings" $settings) }}
*/}}
{{- define "restaurant-app.images.reference" -}}
{{- $repository := printf "%s/%s" .context.Values.global.image.registry (.settings.image.repository | default .name) }}
{{- if .settings.image.digest }}
{{- printf "%s@%s" $repository .settings.image.digest }}
{{- else }}
{{- printf "%s:%s" $repository (include "restaurant-app.images.tag" .) }}
{{- end }}
{{- end -}}

{{/*
Labels that select a service's pods (Service and PodDisruptionBudget selectors).
Usage:
{{ include "restaurant-app.labels.selector" (dict "context" $ "name" $name) }}
*/}}
{{- define "restaurant-app.labels.selector" -}}
app: {{ .name }}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .context.Release.Name }}
{{- end -}}

{{/*
Labels of every object of a service: selector labels, the Istio `version` label, the
app.kubernetes.io set, helm.sh/chart and commonLabels.
Usage:
{{ include "restaurant-app.labels.standard" (dict "context" $ "name" $name "settings" $settings) }}
*/}}
{{- define "restaurant-app.labels.standard" -}}
{{ include "restaurant-app.labels.selector" . }}
version: {{ .settings.version }}
app.kubernetes.io/version: {{ include "restaurant-app.images.tag" . | trunc 63 | quote }}
app.kubernetes.io/component: {{ .name }}
app.kubernetes.io/part-of: restaurant-platform
app.kubernetes.io/managed-by: {{ .context.Release.Service }}
helm.sh/chart: {{ include "restaurant-app.names.chart" .context }}
{{- with .context.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/*
The Istio protocol of a port, from its name prefix (http, http2, https, grpc, grpc-web, tcp, tls).
Usage:
{{ include "restaurant-app.ports.appProtocol" "grpc-api" }}
*/}}
{{- define "restaurant-app.ports.appProtocol" -}}
{{- regexFind "^(grpc-web|http2|https|http|grpc|tcp|tls)" . }}
{{- end -}}

{{/*
The name of a service's first port (alphabetically), which probes target.
Usage:
{{ include "restaurant-app.ports.primary" $settings }}
*/}}
{{- define "restaurant-app.ports.primary" -}}
{{- keys .ports | sortAlpha | first }}
{{- end -}}

{{/*
Whether a service renders a Secret of its own: secret.data is set and no existingSecret is named.
Usage:
{{ if include "restaurant-app.secrets.owned" $settings }}…{{ end }}
*/}}
{{- define "restaurant-app.secrets.owned" -}}
{{- if and (not .secret.existingSecret) .secret.data }}true{{ end }}
{{- end -}}

{{/*
Fails with the values path when a service's settings are valid for the schema but not together:
HPA bounds, and disruption budgets that would block every node drain.
Usage:
{{ include "restaurant-app.validate.service" (dict "name" $name "entry" $entry "settings" $settings) }}
*/}}
{{- define "restaurant-app.validate.service" -}}
{{- $s := .settings }}
{{- if and $s.autoscaling.enabled (gt (int $s.autoscaling.minReplicas) (int $s.autoscaling.maxReplicas)) }}
{{- fail (printf "%s (%d) must not exceed %s (%d)" (include "restaurant-app.values.origin" (dict "name" .name "entry" .entry "path" "autoscaling.minReplicas")) (int $s.autoscaling.minReplicas) (include "restaurant-app.values.origin" (dict "name" .name "entry" .entry "path" "autoscaling.maxReplicas")) (int $s.autoscaling.maxReplicas)) }}
{{- end }}
{{- if $s.podDisruptionBudget.enabled }}
{{- $budget := toString $s.podDisruptionBudget.maxUnavailable }}
{{- if or (eq $budget "0") (eq $budget "0%") }}
{{- fail (printf "%s is %s: the PodDisruptionBudget would block every node drain; allow at least 1 pod" (include "restaurant-app.values.origin" (dict "name" .name "entry" .entry "path" "podDisruptionBudget.maxUnavailable")) $budget) }}
{{- end }}
{{- $minimum := ternary $s.autoscaling.minReplicas $s.replicas $s.autoscaling.enabled | int }}
{{- if lt $minimum 1 }}
{{- fail (printf "%s: a PodDisruptionBudget over 0 replicas protects nothing; disable it or scale up (%s)" (include "restaurant-app.values.origin" (dict "name" .name "entry" .entry "path" "podDisruptionBudget.enabled")) (include "restaurant-app.values.origin" (dict "name" .name "entry" .entry "path" "replicas"))) }}
{{- end }}
{{- end }}
{{- end -}}
