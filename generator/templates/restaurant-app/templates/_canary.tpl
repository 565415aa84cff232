{{/*
The Deployment of one version of a service: the stable version (the service's own `version`) keeps
the plain name, so starting a canary adds `<name>-<version>` beside it instead of replacing every
stable pod (a Deployment's name and selector cannot change in place).
Usage:
{{ include "restaurant-app.canary.deploymentName" (dict "name" $name "settings" $settings "version" $version) }}
*/}}
{{- define "restaurant-app.canary.deploymentName" -}}
{{- if eq .version .settings.version }}{{ .name }}{{ else }}{{ printf "%s-%s" .name .version }}{{ end }}
{{- end -}}

{{/*
The Deployments of a service, space-separated: one per canary version (named by
"restaurant-app.canary.deploymentName"), else `<name>` alone.
Usage:
{{ range include "restaurant-app.canary.deployments" (dict "name" $name "settings" $settings) | splitList " " }}…{{ end }}
*/}}
{{- define "restaurant-app.canary.deployments" -}}
{{- if .settings.canary }}
{{- $names := list }}
{{- range $version := keys .settings.canary | sortAlpha }}{{ $names = append $names (include "restaurant-app.canary.deploymentName" (dict "name" $.name "settings" $.settings "version" $version)) }}{{ end }}
{{- join " " $names }}
{{- else }}
{{- .name }}
{{- end }}
{{- end -}}
