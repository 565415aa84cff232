{{/*
The data of a service's ConfigMap, as YAML: SERVICE_NAME, APP_ENV, the host and port of each
backing store it uses (a short host is qualified with global.namespaces.data), then its own
`config`, which may override any of them. The pod template's checksum hashes the same text. A
store that backingStores does not declare is left out here; validate.yaml refuses it.
Usage:
{{ include "restaurant-app.config.data" (dict "context" $ "name" $name "entry" $entry "settings" $settings) }}
*/}}
{{- define "restaurant-app.config.data" -}}
{{- $data := dict "SERVICE_NAME" .name "APP_ENV" .context.Values.global.environment }}
{{- range $store, $used := (.entry.stores | default dict) }}
{{- $config := get $.context.Values.backingStores $store }}
{{- if and $used $config }}
{{- $host := ternary $config.host (printf "%s.%s.svc.%s" $config.host $.context.Values.global.namespaces.data $.context.Values.global.clusterDomain) (contains "." $config.host) }}
{{- $_ := set $data (printf "%s_HOST" $config.envPrefix) $host }}
{{- $_ := set $data (printf "%s_PORT" $config.envPrefix) (toString (int $config.port)) }}
{{- end }}
{{- end }}
{{- range $key, $value := .settings.config }}
{{- $_ := set $data $key $value }}
{{- end }}
{{- toYaml $data }}
{{- end -}}

{{/*
Whether a service renders a Secret of its own ("true" or nothing): secret.data is set and no
existingSecret is named.
Usage:
{{ if include "restaurant-app.config.ownSecret" $settings }}…{{ end }}
*/}}
{{- define "restaurant-app.config.ownSecret" -}}
{{- if and (not .secret.existingSecret) .secret.data }}true{{ end }}
{{- end -}}
