{{/*
A resource quantity as Kubernetes text: a string as given, a number (`cpu: 2`, which Kubernetes
accepts too) without float notation.
Usage:
{{ include "chartkit.quantities.text" $resources.limits.cpu | quote }}
*/}}
{{- define "chartkit.quantities.text" -}}
{{- if kindIs "string" . }}{{ . }}{{ else if eq (float64 .) (floor .) }}{{ int64 . }}{{ else }}{{ . }}{{ end }}
{{- end -}}

{{/*
The amount a resource quantity stands for, as a number (CPU in cores, memory in bytes), for
comparisons. The schema already restricts the form.
Usage:
{{ include "chartkit.quantities.amount" "250m" | float64 }}
*/}}
{{- define "chartkit.quantities.amount" -}}
{{- $text := include "chartkit.quantities.text" . }}
{{- $number := regexFind "^[0-9]+(\\.[0-9]+)?" $text }}
{{- $factors := dict "" 1.0 "m" 0.001 "k" 1e3 "M" 1e6 "G" 1e9 "T" 1e12 "P" 1e15 "E" 1e18 "Ki" 1024.0 "Mi" 1048576.0 "Gi" 1073741824.0 "Ti" 1099511627776.0 "Pi" 1125899906842624.0 "Ei" 1152921504606846976.0 }}
{{- mulf (float64 $number) (get $factors (trimPrefix $number $text) | default 1.0) }}
{{- end -}}
