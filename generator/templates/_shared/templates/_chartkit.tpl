{{/* Helpers every platform chart shares, written once in the generator (generator/templates/_shared) and emitted into each chart under its own name. */}}

{{/*
Stops the render with `message`, which names values paths. Installed as a subchart, the chart's
values sit below its key in the umbrella's values, so every path into them (a top-level key
of the chart's values followed by `.` or `:`; `global` is shared and stays) is prefixed with that
key: `__CHART__.…`, the place to edit in the file the user wrote.
Usage:
{{- include "__CHART__.values.fail" (dict "context" $ "message" (printf "%s: …" $path)) }}
*/}}
{{- define "__CHART__.values.fail" -}}
{{- $parents := splitList "/charts/" (trimSuffix "/templates" .context.Template.BasePath) | rest }}
{{- $message := .message }}
{{- if $parents }}
{{- $keys := list }}
{{- range without (keys .context.Values) "global" | sortAlpha }}{{ $keys = append $keys (regexQuoteMeta .) }}{{ end }}
{{- $message = regexReplaceAll (printf "(^|[\\s(])((%s)[.:])" (join "|" $keys)) $message (printf "${1}%s.${2}" (join "." $parents)) }}
{{- end }}
{{- fail $message }}
{{- end -}}

{{/*
A resource quantity as Kubernetes text: a string as given, a number (`cpu: 2`, which Kubernetes
accepts too) without float notation.
Usage:
{{ include "__CHART__.resources.text" $resources.limits.cpu | quote }}
*/}}
{{- define "__CHART__.resources.text" -}}
{{- if kindIs "string" . }}{{ . }}{{ else if eq (float64 .) (floor .) }}{{ int64 . }}{{ else }}{{ . }}{{ end }}
{{- end -}}

{{/*
A requests/limits block with every quantity quoted as text.
Usage:
{{- include "__CHART__.resources.block" $resources | nindent 12 }}
*/}}
{{- define "__CHART__.resources.block" -}}
{{- $lines := list }}
{{- range $section, $quantities := . }}
{{- $lines = append $lines (printf "%s:" $section) }}
{{- range $resource, $quantity := $quantities }}
{{- $lines = append $lines (printf "  %s: %s" $resource (include "__CHART__.resources.text" $quantity | quote)) }}
{{- end }}
{{- end }}
{{- join "\n" $lines }}
{{- end -}}

{{/*
The amount a resource quantity stands for, as a number (CPU in cores, memory in bytes), for
comparisons. The schema already restricts the form.
Usage:
{{ include "__CHART__.resources.amount" "250m" | float64 }}
*/}}
{{- define "__CHART__.resources.amount" -}}
{{- $text := include "__CHART__.resources.text" . }}
{{- $number := regexFind "^[0-9]+(\\.[0-9]+)?" $text }}
{{- $factors := dict "" 1.0 "m" 0.001 "k" 1e3 "M" 1e6 "G" 1e9 "T" 1e12 "P" 1e15 "E" 1e18 "Ki" 1024.0 "Mi" 1048576.0 "Gi" 1073741824.0 "Ti" 1099511627776.0 "Pi" 1125899906842624.0 "Ei" 1152921504606846976.0 }}
{{- mulf (float64 $number) (get $factors (trimPrefix $number $text) | default 1.0) }}
{{- end -}}

{{/*
Fails when a container would request more of a resource than its limit allows (the API server
refuses such a pod), naming both values paths: below `at`, or, where requests and limits may come
from different places, from `paths` ("requests.cpu" and the like → the values path).
Usage:
{{- include "__CHART__.validate.resources" (dict "context" $ "resources" $resources "at" "controlPlane.pilot.resources") }}
{{- include "__CHART__.validate.resources" (dict "context" $ "resources" $resources "paths" (dict "requests.cpu" "…" "limits.cpu" "…")) }}
*/}}
{{- define "__CHART__.validate.resources" -}}
{{- range $resource, $limit := .resources.limits }}
{{- $request := get $.resources.requests $resource }}
{{- if and (ne (toString $request) "") (gt (include "__CHART__.resources.amount" $request | float64) (include "__CHART__.resources.amount" $limit | float64)) }}
{{- $requestAt := printf "%s.requests.%s" $.at $resource }}
{{- $limitAt := printf "%s.limits.%s" $.at $resource }}
{{- with $.paths }}{{ $requestAt = get . (printf "requests.%s" $resource) }}{{ $limitAt = get . (printf "limits.%s" $resource) }}{{ end }}
{{- include "__CHART__.values.fail" (dict "context" $.context "message" (printf "%s (%s) exceeds %s (%s): the API server refuses a container whose request is above its limit" $requestAt (include "__CHART__.resources.text" $request) $limitAt (include "__CHART__.resources.text" $limit))) }}
{{- end }}
{{- end }}
{{- end -}}

{{/*
Fails when a label map of the values sets a label the chart writes itself (the chart's
"__CHART__.labels.reserved", a JSON list), naming the key's values path: the key would be written
twice in one map, or a selector or enrolment label silently replaced. `path` names the map, or
`paths` each key (key → the map's values path) where entries come from different places.
Usage:
{{- include "__CHART__.validate.labels" (dict "context" $ "labels" .Values.commonLabels "path" "commonLabels") }}
*/}}
{{- define "__CHART__.validate.labels" -}}
{{- $reserved := include "__CHART__.labels.reserved" .context | fromJsonArray }}
{{- range $key, $_ := .labels }}
{{- if has $key $reserved }}
{{- $at := $.path }}
{{- with $.paths }}{{ $at = get . $key }}{{ end }}
{{- include "__CHART__.values.fail" (dict "context" $.context "message" (printf "%s.%s: the chart sets this label itself (%s); use another key" $at $key (join ", " $reserved))) }}
{{- end }}
{{- end }}
{{- end -}}
