{{/*
Fails when a container would request more of a resource than its limit allows (the API server
refuses such a pod), naming both values paths: below `at`, or, where requests and limits may come
from different places, from `paths` ("requests.cpu" and the like → the values path).
Usage:
{{- include "chartkit.validate.resources" (dict "context" $ "resources" $resources "at" "controlPlane.pilot.resources") }}
{{- include "chartkit.validate.resources" (dict "context" $ "resources" $resources "paths" (dict "requests.cpu" "…" "limits.cpu" "…")) }}
*/}}
{{- define "chartkit.validate.resources" -}}
{{- range $resource, $limit := .resources.limits }}
{{- $request := get $.resources.requests $resource }}
{{- if and (ne (toString $request) "") (gt (include "chartkit.quantities.amount" $request | float64) (include "chartkit.quantities.amount" $limit | float64)) }}
{{- $requestAt := printf "%s.requests.%s" $.at $resource }}
{{- $limitAt := printf "%s.limits.%s" $.at $resource }}
{{- with $.paths }}{{ $requestAt = get . (printf "requests.%s" $resource) }}{{ $limitAt = get . (printf "limits.%s" $resource) }}{{ end }}
{{- include "chartkit.values.fail" (dict "context" $.context "message" (printf "%s (%s) exceeds %s (%s): the API server refuses a container whose request is above its limit" $requestAt (include "chartkit.quantities.text" $request) $limitAt (include "chartkit.quantities.text" $limit))) }}
{{- end }}
{{- end }}
{{- end -}}

{{/*
Fails when a label map of the values sets a label the chart writes itself, naming the key's values
path: the key would be written twice in one map, or a selector or enrolment label silently
replaced. The reserved keys are `reserved` (a list) when the caller has them, else the JSON list
the chart's own "<chart>.labels.reserved" prints (a name every chart using this helper defines).
`path` names the map, or `paths` each key (key → the map's values path) where entries come from
different places.
Usage:
{{- include "chartkit.validate.labels" (dict "context" $ "labels" .Values.commonLabels "path" "commonLabels") }}
*/}}
{{- define "chartkit.validate.labels" -}}
{{- $reserved := .reserved }}
{{- if not (hasKey . "reserved") }}{{ $reserved = include (printf "%s.labels.reserved" .context.Chart.Name) .context | fromJsonArray }}{{ end }}
{{- range $key, $_ := .labels }}
{{- if has $key $reserved }}
{{- $at := $.path }}
{{- with $.paths }}{{ $at = get . $key }}{{ end }}
{{- include "chartkit.values.fail" (dict "context" $.context "message" (printf "%s.%s: the chart sets this label itself (%s); use another key" $at $key (join ", " $reserved))) }}
{{- end }}
{{- end }}
{{- end -}}

{{/*
Fails when the cluster does not serve every API of `required` (group/version, or
group/version/Kind), naming what is missing, `install` (what to install first) and the two ways to
render without a cluster. `reason` (optional) starts the message: why the chart needs the APIs.
global.skipCapabilityCheck=true turns the guard off, for renders not aimed at a live cluster.
Usage:
{{- include "chartkit.validate.apis" (dict "context" $ "required" (list "networking.istio.io/v1") "install" "install Istio first" "reason" "istio.enabled is true but ") }}
*/}}
{{- define "chartkit.validate.apis" -}}
{{- if not .context.Values.global.skipCapabilityCheck }}
{{- $missing := list }}
{{- range .required }}{{ if not ($.context.Capabilities.APIVersions.Has .) }}{{ $missing = append $missing . }}{{ end }}{{ end }}
{{- if $missing }}
{{- include "chartkit.values.fail" (dict "context" .context "message" (printf "%sthe cluster does not serve %s: %s; or pass --api-versions to helm template, or set global.skipCapabilityCheck=true" (.reason | default "") (join ", " $missing) .install)) }}
{{- end }}
{{- end }}
{{- end -}}
