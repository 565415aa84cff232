{{/*
Labels that select a service's pods (Service, PodDisruptionBudget and topology-spread selectors).
Usage:
{{ include "restaurant-app.labels.selector" (dict "context" $ "name" $name) }}
*/}}
{{- define "restaurant-app.labels.selector" -}}
app: {{ .name | quote }}
app.kubernetes.io/name: {{ .name | quote }}
app.kubernetes.io/instance: {{ .context.Release.Name | quote }}
{{- end -}}

{{/*
Labels of every object of a service ("chartkit.labels.standard"): the selector labels, the Istio
`version` label, the app.kubernetes.io set (the version a label-safe image tag), helm.sh/chart,
then commonLabels. `into`, when given, is a dict that gets the same labels as a map.
Usage:
{{ include "restaurant-app.labels.standard" (dict "context" $ "name" $name "settings" $settings) }}
*/}}
{{- define "restaurant-app.labels.standard" -}}
{{- /* A label value ends alphanumeric; an image tag may end in `.`, `-` or `_`. */}}
{{- $labels := dict "context" .context "app" .name "name" .name "version" .settings.version "appVersion" (include "restaurant-app.images.tag" . | trunc 63 | trimAll "-._") "component" .name "partOf" "restaurant-platform" "plain" (list "app.kubernetes.io/part-of") }}
{{- if hasKey . "into" }}{{ $_ := set $labels "into" .into }}{{ end }}
{{- include "chartkit.labels.standard" $labels }}
{{- end -}}

{{/*
Labels of a service's pods: its standard labels (`labels`, a map "restaurant-app.labels.standard"
has filled, which this helper extends), then its podLabels (which may override a commonLabels
entry, never a label the chart sets: validate.yaml refuses that), then the mesh enrolment labels
(`meshLabels`, a map); each key once, as a strict YAML parser requires.
Usage:
{{- $labels := dict }}
{{- $_ := include "restaurant-app.labels.standard" (dict "context" $ "name" $name "settings" $settings "into" $labels) }}
{{- include "restaurant-app.labels.pod" (dict "labels" $labels "settings" $settings "meshLabels" $model.podMeshLabels) | nindent 8 }}
*/}}
{{- define "restaurant-app.labels.pod" -}}
{{- $labels := .labels }}
{{- range $key, $value := .settings.podLabels }}{{ $_ := set $labels $key $value }}{{ end }}
{{- range $key, $value := .meshLabels }}{{ $_ := set $labels $key $value }}{{ end }}
{{- toYaml $labels }}
{{- end -}}

{{/*
The label keys the chart writes itself, as a JSON list: selector, version and app.kubernetes.io
labels, helm.sh/chart, and every mesh label it may add (enrolment, waypoint). commonLabels and
podLabels must not set them ("chartkit.validate.labels" reads this list by its name): the key
would be written twice in one map, and the Service selector and pod labels could disagree.
Usage:
{{- $reserved := include "restaurant-app.labels.reserved" $ | fromJsonArray }}
*/}}
{{- define "restaurant-app.labels.reserved" -}}
{{- $own := include "chartkit.labels.own" (dict "context" . "app" "x" "name" "x" "version" "v1" "appVersion" "x" "component" "x" "partOf" "restaurant-platform") | fromYaml }}
{{- concat (keys $own) (list "istio.io/dataplane-mode" "istio.io/rev" "sidecar.istio.io/inject" "istio.io/use-waypoint" "istio.io/ingress-use-waypoint" "istio.io/waypoint-for") | uniq | sortAlpha | toJson }}
{{- end -}}

{{/*
Labels that say who owns an object: part-of, managed-by, helm.sh/chart and commonLabels. Objects
that belong to no single service (namespace-wide policy, the waypoint, the edge routes) carry these
after their own app.kubernetes.io/name and instance.
Usage:
{{ include "restaurant-app.labels.ownership" $ }}
*/}}
{{- define "restaurant-app.labels.ownership" -}}
{{- include "chartkit.labels.standard" (dict "context" . "partOf" "restaurant-platform" "plain" (list "app.kubernetes.io/part-of")) }}
{{- end -}}
