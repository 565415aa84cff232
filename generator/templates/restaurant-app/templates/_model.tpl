{{/*
The chart's model: what its templates derive from the values, computed once per render. A dozen
templates each emit one object per service; without the model each would overlay the service's
settings and build its label block, selector and ConfigMap text again. Helm hands every template
of a chart the same root context, so the model is kept there (under `restaurantAppModel`) and each
later template reuses it; a template that finds none computes it, so no output depends on that.
Nothing here fails: the guards in validate.yaml judge the values, and virtualservice.yaml, which
Helm renders before validate.yaml, must not stop first with a less helpful error. Read-only:
deepCopy a part before changing it.
Fields of .into:
  services       name → service (below), every service of `services`
  mode           the mesh mode ("restaurant-app.istio.mode"); "" when Istio is off
  ambient        whether that mode is ambient
  edge           the services an edge route points at, name → true (Istio and edge routes on)
  callers        callee → the enabled services whose calls.<callee> is true, in name order
  ownership      the text of "restaurant-app.labels.ownership"
  podMeshLabels  the mesh enrolment labels of every pod (a map)
  podAnnotations the proxy-sizing pod annotations (text)
A service: name, entry (its services.<name>), settings (serviceDefaults overlaid with the entry),
enabled; an enabled one also labels (its standard labels), podLabels (its pods' labels, the text
of "restaurant-app.labels.pod"), selector, host, config (the text of "restaurant-app.config.data"),
ownSecret (whether it renders a Secret of its own), secret (the Secret its pods read, or "") and
deployments (its Deployments' names: "restaurant-app.canary.deployments").
Usage:
{{- $model := dict }}
{{- include "restaurant-app.model.load" (dict "context" $ "into" $model) }}
*/}}
{{- define "restaurant-app.model.load" -}}
{{- $model := get .context "restaurantAppModel" }}
{{- if not $model }}
{{- $model = dict }}
{{- $context := .context }}
{{- $values := $context.Values }}
{{- $istio := $values.istio }}
{{- $mode := "" }}
{{- if $istio.enabled }}{{ $mode = include "restaurant-app.istio.mode" $context }}{{ end }}
{{- $podMeshLabels := include "restaurant-app.istio.podLabels" (dict "context" $context "mode" $mode) | fromYaml }}
{{- $services := dict }}
{{- range $name, $entry := $values.services }}
{{- $settings := dict }}
{{- include "restaurant-app.values.overlay" (dict "target" $settings "base" $values.serviceDefaults "source" $entry) }}
{{- $service := dict "name" $name "entry" $entry "settings" $settings "enabled" $settings.enabled }}
{{- if $settings.enabled }}
{{- $scope := dict "context" $context "name" $name "entry" $entry "settings" $settings }}
{{- $podLabels := dict }}
{{- $_ := set $service "labels" (include "restaurant-app.labels.standard" (dict "context" $context "name" $name "settings" $settings "into" $podLabels)) }}
{{- $_ := set $service "podLabels" (include "restaurant-app.labels.pod" (dict "labels" $podLabels "settings" $settings "meshLabels" $podMeshLabels)) }}
{{- $_ := set $service "selector" (include "restaurant-app.labels.selector" $scope) }}
{{- $_ := set $service "host" (include "restaurant-app.istio.host" $scope) }}
{{- $_ := set $service "config" (include "restaurant-app.config.data" $scope) }}
{{- $ownSecret := eq (include "restaurant-app.config.ownSecret" $settings) "true" }}
{{- $_ := set $service "ownSecret" $ownSecret }}
{{- $_ := set $service "secret" ($settings.secret.existingSecret | default (ternary $name "" $ownSecret)) }}
{{- $deployments := list $name }}
{{- if $settings.canary }}{{ $deployments = include "restaurant-app.canary.deployments" $scope | splitList " " }}{{ end }}
{{- $_ := set $service "deployments" $deployments }}
{{- end }}
{{- $_ := set $services $name $service }}
{{- end }}
{{- $edge := dict }}
{{- $callers := dict }}
{{- if $istio.enabled }}
{{- if $istio.edge.enabled }}
{{- range $route := $istio.edge.routes }}{{ $_ := set $edge $route.service true }}{{ end }}
{{- end }}
{{- /* Built in one pass over the callers: asking every service about every other would cost n² steps, which a 200-service values file notices. */}}
{{- range $caller, $service := $services }}
{{- if $service.enabled }}
{{- range $callee, $wanted := ($service.entry.calls | default dict) }}
{{- if $wanted }}{{ $_ := set $callers $callee (append (get $callers $callee | default list) $caller) }}{{ end }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
{{- $_ := set $model "services" $services }}
{{- $_ := set $model "mode" $mode }}
{{- $_ := set $model "ambient" (eq $mode "ambient") }}
{{- $_ := set $model "edge" $edge }}
{{- $_ := set $model "callers" $callers }}
{{- $_ := set $model "ownership" (include "restaurant-app.labels.ownership" $context) }}
{{- $_ := set $model "podMeshLabels" $podMeshLabels }}
{{- $_ := set $model "podAnnotations" (include "restaurant-app.istio.podAnnotations" (dict "context" $context "mode" $mode)) }}
{{- $_ := set .context "restaurantAppModel" $model }}
{{- end }}
{{- range $key, $value := $model }}{{ $_ := set $.into $key $value }}{{ end }}
{{- end -}}
