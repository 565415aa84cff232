{{/*
A duration (`500ms`, `10s`, `1m30s`) in milliseconds, printed as a number, for budget arithmetic.
Usage:
{{ include "chartkit.durations.ms" "1m30s" | float64 }}
*/}}
{{- define "chartkit.durations.ms" -}}
{{- $total := 0.0 }}
{{- $factors := dict "ms" 1.0 "s" 1000.0 "m" 60000.0 "h" 3600000.0 }}
{{- range regexFindAll "[0-9]+(\\.[0-9]+)?(ms|s|m|h)" . -1 }}
{{- $unit := regexFind "(ms|s|m|h)$" . }}
{{- $total = addf $total (mulf (float64 (trimSuffix $unit .)) (get $factors $unit)) }}
{{- end }}
{{- $total }}
{{- end -}}
