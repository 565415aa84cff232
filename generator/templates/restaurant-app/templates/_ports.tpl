{{/*
The Istio protocol of a port, from its name prefix (grpc-web, http2, https, http, grpc, tcp, tls:
the first that matches, in this order). Prefix tests, not a regular expression: sprig compiles a
pattern anew on every call, once per port of every service.
Usage:
{{ include "restaurant-app.ports.appProtocol" "grpc-api" }}
*/}}
{{- define "restaurant-app.ports.appProtocol" -}}
{{- $name := . }}
{{- $protocol := "" }}
{{- range list "grpc-web" "http2" "https" "http" "grpc" "tcp" "tls" }}{{ if and (not $protocol) (hasPrefix . $name) }}{{ $protocol = . }}{{ end }}{{ end }}
{{- $protocol }}
{{- end -}}

{{/*
The name of a service's first port (alphabetically), which probes target.
Usage:
{{ include "restaurant-app.ports.primary" $settings }}
*/}}
{{- define "restaurant-app.ports.primary" -}}
{{- keys .ports | sortAlpha | first }}
{{- end -}}
