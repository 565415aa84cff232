{{/*
Stops the render with `message`, which names values paths. Installed as a subchart, the chart's
values sit below its key in the umbrella's values, so every path into them (a top-level key of the
chart's values followed by `.` or `:`; `global` is shared and stays) is prefixed with that key:
`<chart>.…`, the place to edit in the file the user wrote. The umbrella path comes from
.Template.BasePath (`umbrella/charts/<chart>/templates`).
Usage:
{{- include "chartkit.values.fail" (dict "context" $ "message" (printf "%s: …" $path)) }}
*/}}
{{- define "chartkit.values.fail" -}}
{{- $parents := splitList "/charts/" (trimSuffix "/templates" .context.Template.BasePath) | rest }}
{{- $message := .message }}
{{- if $parents }}
{{- $keys := list }}
{{- range without (keys .context.Values) "global" | sortAlpha }}{{ $keys = append $keys (regexQuoteMeta .) }}{{ end }}
{{- $message = regexReplaceAll (printf "(^|[\\s(])((%s)[.:])" (join "|" $keys)) $message (printf "${1}%s.${2}" (join "." $parents)) }}
{{- end }}
{{- fail $message }}
{{- end -}}
