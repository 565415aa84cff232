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
{{ include "restaurant-app.images.reference" (dict "context" $ "name" $name "settings" $settings) | quote }}
*/}}
{{- define "restaurant-app.images.reference" -}}
{{- $repository := printf "%s/%s" .context.Values.global.image.registry (.settings.image.repository | default .name) }}
{{- if .settings.image.digest }}
{{- printf "%s@%s" $repository .settings.image.digest }}
{{- else }}
{{- printf "%s:%s" $repository (include "restaurant-app.images.tag" .) }}
{{- end }}
{{- end -}}
