{{/*
The mesh mode as the values set it: global.mesh.mode when the restaurant-platform umbrella sets it
for every chart, else istio.mesh.mode; empty when neither does ("restaurant-app.validate.mode"
refuses that while Istio is on). The model holds it; templates read $model.mode.
Usage:
{{ include "restaurant-app.istio.mode" $ }}
*/}}
{{- define "restaurant-app.istio.mode" -}}
{{- dig "mesh" "mode" (dig "mesh" "mode" "" .Values.istio) .Values.global | default "" }}
{{- end -}}

{{/*
The fully qualified host of a service in the app namespace (global.namespaces.app, global.clusterDomain); VirtualServices and
DestinationRules name hosts this way so they mean the same thing from any namespace.
Usage:
{{ include "restaurant-app.istio.host" (dict "context" $ "name" $name) | quote }}
*/}}
{{- define "restaurant-app.istio.host" -}}
{{- printf "%s.%s.svc.%s" .name .context.Values.global.namespaces.app .context.Values.global.clusterDomain }}
{{- end -}}

{{/*
The SPIFFE principal of a service account in the mesh's trust domain (global.trustDomain), as
AuthorizationPolicy `principals` match it.
Usage:
{{ include "restaurant-app.istio.principal" (dict "context" $ "namespace" "restaurant" "account" "frontend") | quote }}
*/}}
{{- define "restaurant-app.istio.principal" -}}
{{- printf "%s/ns/%s/sa/%s" .context.Values.global.trustDomain .namespace .account }}
{{- end -}}

{{/*
Pod labels that enrol a service's pods in the mesh: sidecar injection (or a revision) in sidecar
mode, the ambient data plane in ambient mode; nothing when Istio is off. `mode` is the model's.
Usage:
{{ include "restaurant-app.istio.podLabels" (dict "context" $ "mode" $mode) | fromYaml }}
*/}}
{{- define "restaurant-app.istio.podLabels" -}}
{{- $istio := .context.Values.istio }}
{{- if $istio.enabled }}
{{- if eq .mode "ambient" }}
istio.io/dataplane-mode: ambient
{{- else if $istio.mesh.revision }}
istio.io/rev: {{ $istio.mesh.revision | quote }}
{{- else }}
sidecar.istio.io/inject: "true"
{{- end }}
{{- end }}
{{- end -}}

{{/*
Pod annotations that size the injected proxy (sidecar mode only; ambient pods have no proxy).
`mode` is the model's.
Usage:
{{ include "restaurant-app.istio.podAnnotations" (dict "context" $ "mode" $mode) }}
*/}}
{{- define "restaurant-app.istio.podAnnotations" -}}
{{- $istio := .context.Values.istio }}
{{- if and $istio.enabled (eq .mode "sidecar") }}
{{- $resources := $istio.sidecar.resources -}}
sidecar.istio.io/proxyCPU: {{ include "chartkit.quantities.text" $resources.requests.cpu | quote }}
sidecar.istio.io/proxyMemory: {{ include "chartkit.quantities.text" $resources.requests.memory | quote }}
sidecar.istio.io/proxyCPULimit: {{ include "chartkit.quantities.text" $resources.limits.cpu | quote }}
sidecar.istio.io/proxyMemoryLimit: {{ include "chartkit.quantities.text" $resources.limits.memory | quote }}
{{- end }}
{{- end -}}

{{/*
Route destinations of a service at `host`: the host alone without a canary, else one weighted
destination per canary subset. `port` is optional (edge routes pin the service's first port).
Usage:
{{ include "restaurant-app.istio.destinations" (dict "host" $service.host "settings" $settings "port" 8000) | nindent 8 }}
*/}}
{{- define "restaurant-app.istio.destinations" -}}
{{- $host := .host }}
{{- if .settings.canary }}
{{- range $index, $version := keys .settings.canary | sortAlpha }}
{{- if $index }}{{ "\n" }}{{ end -}}
- destination:
    host: {{ $host | quote }}
    subset: {{ $version | quote }}
    {{- if $.port }}
    port:
      number: {{ $.port | int64 }}
    {{- end }}
  weight: {{ (get $.settings.canary $version).weight | int64 }}
{{- end }}
{{- else -}}
- destination:
    host: {{ $host | quote }}
    {{- if .port }}
    port:
      number: {{ .port | int64 }}
    {{- end }}
{{- end }}
{{- end -}}
