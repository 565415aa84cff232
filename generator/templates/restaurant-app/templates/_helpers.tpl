{{/* Quoting convention: a string helper returns bare text (pipe it to `| quote` where it lands as a scalar), a YAML-block helper quotes each string in it, and integers are printed with `| int64`. */}}

{{/*
Fills .target (an empty dict) with .base overlaid by .source: maps merge key by key, anything else
(false, 0 and empty strings included) replaces. Sprig's merge functions treat false/0/"" as unset,
so a service could not turn off what serviceDefaults turns on; this helper can. Only the maps
.source touches are copied, the rest is shared with .base (a deep copy per service per template
is what a 200-service values file would pay for), so treat the result as read-only: deepCopy it
before changing it.
Usage:
{{- $settings := dict }}
{{- include "restaurant-app.values.overlay" (dict "target" $settings "base" .Values.serviceDefaults "source" $entry) }}
*/}}
{{- define "restaurant-app.values.overlay" -}}
{{- range $key, $value := .base }}
{{- $_ := set $.target $key $value }}
{{- end }}
{{- range $key, $value := .source }}
{{- $current := get $.base $key }}
{{- if and (kindIs "map" $value) (kindIs "map" $current) }}
{{- $child := dict }}
{{- include "restaurant-app.values.overlay" (dict "target" $child "base" $current "source" $value) }}
{{- $_ := set $.target $key $child }}
{{- else }}
{{- $_ := set $.target $key $value }}
{{- end }}
{{- end }}
{{- end -}}

{{/*
The values path a service setting comes from: services.<name>.<path> when the service sets it,
else serviceDefaults.<path>. Error messages name it, so the user edits the right place.
Usage:
{{ include "restaurant-app.values.origin" (dict "name" $name "entry" $entry "path" "autoscaling.minReplicas") }}
*/}}
{{- define "restaurant-app.values.origin" -}}
{{- $node := .entry }}
{{- $found := true }}
{{- range (splitList "." .path) }}
{{- if and $found (kindIs "map" $node) (hasKey $node .) }}
{{- $node = index $node . }}
{{- else }}
{{- $found = false }}
{{- end }}
{{- end }}
{{- if $found }}services.{{ .name }}.{{ .path }}{{ else }}serviceDefaults.{{ .path }}{{ end }}
{{- end -}}

{{/*
Chart name and version as the helm.sh/chart label value.
Usage:
{{ include "restaurant-app.names.chart" . | quote }}
*/}}
{{- define "restaurant-app.names.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end -}}

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

{{/*
Labels that select a service's pods (Service and PodDisruptionBudget selectors).
Usage:
{{ include "restaurant-app.labels.selector" (dict "context" $ "name" $name) }}
*/}}
{{- define "restaurant-app.labels.selector" -}}
app: {{ .name | quote }}
app.kubernetes.io/name: {{ .name | quote }}
app.kubernetes.io/instance: {{ .context.Release.Name | quote }}
{{- end -}}

{{/*
Labels of every object of a service: selector labels, the Istio `version` label, the
app.kubernetes.io set, helm.sh/chart and commonLabels.
Usage:
{{ include "restaurant-app.labels.standard" (dict "context" $ "name" $name "settings" $settings) }}
*/}}
{{- define "restaurant-app.labels.standard" -}}
{{ include "restaurant-app.labels.service" . }}
{{- with .context.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/*
The labels the chart itself gives every object of a service (the standard labels without commonLabels).
Usage:
{{ include "restaurant-app.labels.service" (dict "context" $ "name" $name "settings" $settings) }}
*/}}
{{- define "restaurant-app.labels.service" -}}
{{ include "restaurant-app.labels.selector" . }}
version: {{ .settings.version | quote }}
{{- /* A label value ends alphanumeric; an image tag may end in `.`, `-` or `_`. */}}
app.kubernetes.io/version: {{ include "restaurant-app.images.tag" . | trunc 63 | trimAll "-._" | quote }}
app.kubernetes.io/component: {{ .name | quote }}
{{ include "restaurant-app.labels.managed" .context }}
{{- end -}}

{{/*
Labels of a service's pods: its standard labels, then its podLabels (which may override a
commonLabels entry, never a label the chart sets: "restaurant-app.validate.labels" refuses that),
then the mesh enrolment labels; each key once, as a strict YAML parser requires.
Usage:
{{- include "restaurant-app.labels.pod" (dict "context" $ "name" $name "settings" $settings) | nindent 8 }}
*/}}
{{- define "restaurant-app.labels.pod" -}}
{{- $labels := include "restaurant-app.labels.standard" . | fromYaml }}
{{- range $key, $value := .settings.podLabels }}{{ $_ := set $labels $key $value }}{{ end }}
{{- range $key, $value := include "restaurant-app.istio.podLabels" .context | fromYaml }}{{ $_ := set $labels $key $value }}{{ end }}
{{- toYaml $labels }}
{{- end -}}

{{/*
The label keys the chart writes itself, as a JSON list: selector, version and app.kubernetes.io
labels, helm.sh/chart, and every mesh label it may add (enrolment, waypoint). commonLabels and
podLabels must not set them: the key would be written twice in one map, and the Service selector
and pod labels could disagree.
Usage:
{{- $reserved := include "restaurant-app.labels.reserved" $ | fromJsonArray }}
*/}}
{{- define "restaurant-app.labels.reserved" -}}
{{- $own := include "restaurant-app.labels.service" (dict "context" . "name" "x" "settings" (dict "version" "v1" "image" dict)) | fromYaml }}
{{- concat (keys $own) (list "istio.io/dataplane-mode" "istio.io/rev" "sidecar.istio.io/inject" "istio.io/use-waypoint" "istio.io/ingress-use-waypoint" "istio.io/waypoint-for") | uniq | sortAlpha | toJson }}
{{- end -}}

{{/*
Labels that say who owns an object: part-of, managed-by, helm.sh/chart and commonLabels. Objects
that belong to no single service (namespace-wide policy, the waypoint, the edge routes) carry these
with their own app.kubernetes.io/name and instance.
Usage:
{{ include "restaurant-app.labels.ownership" $ }}
*/}}
{{- define "restaurant-app.labels.ownership" -}}
{{ include "restaurant-app.labels.managed" . }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/*
The ownership labels the chart itself sets (without commonLabels).
Usage:
{{ include "restaurant-app.labels.managed" $ }}
*/}}
{{- define "restaurant-app.labels.managed" -}}
app.kubernetes.io/part-of: restaurant-platform
app.kubernetes.io/managed-by: {{ .Release.Service | quote }}
helm.sh/chart: {{ include "restaurant-app.names.chart" . | quote }}
{{- end -}}

{{/*
The Istio protocol of a port, from its name prefix (http, http2, https, grpc, grpc-web, tcp, tls).
Usage:
{{ include "restaurant-app.ports.appProtocol" "grpc-api" }}
*/}}
{{- define "restaurant-app.ports.appProtocol" -}}
{{- regexFind "^(grpc-web|http2|https|http|grpc|tcp|tls)" . }}
{{- end -}}

{{/*
The name of a service's first port (alphabetically), which probes target.
Usage:
{{ include "restaurant-app.ports.primary" $settings }}
*/}}
{{- define "restaurant-app.ports.primary" -}}
{{- keys .ports | sortAlpha | first }}
{{- end -}}

{{/*
Whether a service renders a Secret of its own: secret.data is set and no existingSecret is named.
Usage:
{{ if include "restaurant-app.secrets.owned" $settings }}…{{ end }}
*/}}
{{- define "restaurant-app.secrets.owned" -}}
{{- if and (not .secret.existingSecret) .secret.data }}true{{ end }}
{{- end -}}

{{/*
The data of a service's ConfigMap, as YAML: SERVICE_NAME, APP_ENV, the host and port of each
backing store it uses (a short host is qualified with global.namespaces.data), then its own
`config`, which may override any of them. The pod template's checksum hashes the same text.
Usage:
{{ include "restaurant-app.config.data" (dict "context" $ "name" $name "entry" $entry "settings" $settings) }}
*/}}
{{- define "restaurant-app.config.data" -}}
{{- $data := dict "SERVICE_NAME" .name "APP_ENV" .context.Values.global.environment }}
{{- range $store, $used := (.entry.stores | default dict) }}
{{- if $used }}
{{- $config := get $.context.Values.backingStores $store }}
{{- if not $config }}
{{- include "restaurant-app.values.fail" (dict "context" $.context "message" (printf "services.%s.stores.%s: no such backing store; declare it under backingStores (there are: %s)" $.name $store (keys $.context.Values.backingStores | sortAlpha | join ", "))) }}
{{- end }}
{{- $host := ternary $config.host (printf "%s.%s.svc.cluster.local" $config.host $.context.Values.global.namespaces.data) (contains "." $config.host) }}
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
Fails when no service would be rendered: an install with nothing in it is a mistake in the values,
not a deployment.
Usage:
{{- include "restaurant-app.validate.anyService" $ }}
*/}}
{{- define "restaurant-app.validate.anyService" -}}
{{- $enabled := list }}
{{- range $name, $_ := .Values.services }}{{ if include "restaurant-app.services.enabled" (dict "context" $ "name" $name) }}{{ $enabled = append $enabled $name }}{{ end }}{{ end }}
{{- if not $enabled }}
{{- include "restaurant-app.values.fail" (dict "context" . "message" (printf "services: no service is enabled (serviceDefaults.enabled is %t and no services.<name>.enabled is true among %s); enable one, or leave the chart out (the umbrella's components.restaurant-app.enabled)" .Values.serviceDefaults.enabled (keys .Values.services | sortAlpha | join ", "))) }}
{{- end }}
{{- end -}}

{{/*
Fails with the values path when a service's settings are valid for the schema but not together,
or not for the API server: requests above limits, podLabels that would replace the chart's own
labels, port names and numbers used twice, HPA bounds, and disruption budgets that would block
every node drain.
Usage:
{{ include "restaurant-app.validate.service" (dict "context" $ "name" $name "entry" $entry "settings" $settings) }}
*/}}
{{- define "restaurant-app.validate.service" -}}
{{- $s := .settings }}
{{- $origin := dict "name" .name "entry" .entry }}
{{- $paths := dict }}
{{- range $field := list "requests.cpu" "requests.memory" "limits.cpu" "limits.memory" }}
{{- $_ := set $paths $field (include "restaurant-app.values.origin" (merge (dict "path" (printf "resources.%s" $field)) $origin)) }}
{{- end }}
{{- include "restaurant-app.validate.resources" (dict "context" .context "resources" $s.resources "paths" $paths) }}
{{- if $s.podLabels }}
{{- $labelPaths := dict }}
{{- range $key, $_ := $s.podLabels }}{{ $_ := set $labelPaths $key (ternary (printf "services.%s.podLabels" $.name) "serviceDefaults.podLabels" (hasKey ($.entry.podLabels | default dict) $key)) }}{{ end }}
{{- include "restaurant-app.validate.labels" (dict "context" .context "labels" $s.podLabels "paths" $labelPaths) }}
{{- end }}
{{- /* Each port name and number once: the Service and the container refuse duplicates. */}}
{{- $byPort := dict }}
{{- $byTarget := dict }}
{{- range $portName, $port := $s.ports }}
{{- $at := printf "services.%s.ports.%s" $.name $portName }}
{{- if contains "--" $portName }}
{{- include "restaurant-app.values.fail" (dict "context" $.context "message" (printf "%s: a port name must not contain \"--\" (Kubernetes requires an IANA service name)" $at)) }}
{{- end }}
{{- with get $byPort (toString (int $port.port)) }}
{{- include "restaurant-app.values.fail" (dict "context" $.context "message" (printf "%s.port: %d is also the port of %s; each port of a Service needs its own number" $at (int $port.port) .)) }}
{{- end }}
{{- with get $byTarget (toString (int $port.targetPort)) }}
{{- include "restaurant-app.values.fail" (dict "context" $.context "message" (printf "%s.targetPort: %d is also the targetPort of %s; each container port needs its own number" $at (int $port.targetPort) .)) }}
{{- end }}
{{- $_ := set $byPort (toString (int $port.port)) $at }}
{{- $_ := set $byTarget (toString (int $port.targetPort)) $at }}
{{- end }}
{{- $istio := .context.Values.istio }}
{{- if and $istio.enabled (eq (include "restaurant-app.istio.meshMode" .context) "ambient") $s.metrics.enabled (hasKey $byTarget (toString (int $s.metrics.port))) }}
{{- include "restaurant-app.values.fail" (dict "context" .context "message" (printf "%s (%d) is also the targetPort of %s: in ambient mode the metrics port accepts Prometheus's plaintext scrapes, so it must not carry service traffic; give metrics a port of its own" (include "restaurant-app.values.origin" (merge (dict "path" "metrics.port") $origin)) (int $s.metrics.port) (get $byTarget (toString (int $s.metrics.port))))) }}
{{- end }}
{{- if and $s.metrics.enabled (hasKey $s.ports "http-metrics") (not (hasKey $byTarget (toString (int $s.metrics.port)))) }}
{{- include "restaurant-app.values.fail" (dict "context" .context "message" (printf "services.%s.ports.http-metrics: the name is taken by the metrics container port (%s is %d); rename the port, or set metrics.port to its targetPort" .name (include "restaurant-app.values.origin" (merge (dict "path" "metrics.port") $origin)) (int $s.metrics.port))) }}
{{- end }}
{{- if and $s.autoscaling.enabled (gt (int $s.autoscaling.minReplicas) (int $s.autoscaling.maxReplicas)) }}
{{- include "restaurant-app.values.fail" (dict "context" .context "message" (printf "%s (%d) must not exceed %s (%d)" (include "restaurant-app.values.origin" (dict "name" .name "entry" .entry "path" "autoscaling.minReplicas")) (int $s.autoscaling.minReplicas) (include "restaurant-app.values.origin" (dict "name" .name "entry" .entry "path" "autoscaling.maxReplicas")) (int $s.autoscaling.maxReplicas))) }}
{{- end }}
{{- if $s.podDisruptionBudget.enabled }}
{{- $budget := toString $s.podDisruptionBudget.maxUnavailable }}
{{- if or (eq $budget "0") (eq $budget "0%") }}
{{- include "restaurant-app.values.fail" (dict "context" .context "message" (printf "%s is %s: the PodDisruptionBudget would block every node drain; allow at least 1 pod" (include "restaurant-app.values.origin" (dict "name" .name "entry" .entry "path" "podDisruptionBudget.maxUnavailable")) $budget)) }}
{{- end }}
{{- $minimum := ternary $s.autoscaling.minReplicas $s.replicas $s.autoscaling.enabled | int }}
{{- if lt $minimum 1 }}
{{- include "restaurant-app.values.fail" (dict "context" .context "message" (printf "%s: a PodDisruptionBudget over 0 replicas protects nothing; disable it or scale up (%s)" (include "restaurant-app.values.origin" (dict "name" .name "entry" .entry "path" "podDisruptionBudget.enabled")) (include "restaurant-app.values.origin" (dict "name" .name "entry" .entry "path" "replicas")))) }}
{{- end }}
{{- end }}
{{- end -}}

{{/*
Whether a service is rendered: its own `enabled`, else serviceDefaults.enabled. Prints "true" or
nothing. Used where one service's objects depend on another's (callers, edge routes).
Usage:
{{ if include "restaurant-app.services.enabled" (dict "context" $ "name" "order-service") }}…{{ end }}
*/}}
{{- define "restaurant-app.services.enabled" -}}
{{- $entry := get .context.Values.services .name | default dict }}
{{- if hasKey .context.Values.services .name }}
{{- if hasKey $entry "enabled" }}{{ if $entry.enabled }}true{{ end }}{{ else if .context.Values.serviceDefaults.enabled }}true{{ end }}
{{- end }}
{{- end -}}

{{/*
The fully qualified host of a service in the app namespace (global.namespaces.app); VirtualServices and
DestinationRules name hosts this way so they mean the same thing from any namespace.
Usage:
{{ include "restaurant-app.istio.host" (dict "context" $ "name" $name) | quote }}
*/}}
{{- define "restaurant-app.istio.host" -}}
{{- printf "%s.%s.svc.cluster.local" .name .context.Values.global.namespaces.app }}
{{- end -}}

{{/*
The SPIFFE principal of a service account (trust domain cluster.local), as AuthorizationPolicy
`principals` match it.
Usage:
{{ include "restaurant-app.istio.principal" (dict "namespace" "restaurant" "account" "frontend") | quote }}
*/}}
{{- define "restaurant-app.istio.principal" -}}
{{- printf "cluster.local/ns/%s/sa/%s" .namespace .account }}
{{- end -}}

{{/*
Who calls whom, inverted: a JSON map from each callee to the sorted list of enabled services whose
`calls.<callee>` is true. The call graph is declared on the caller; each callee's policy admits
exactly these. Built in one pass over the services (asking every service about every other would
cost n² includes, which a 200-service values file notices).
Usage:
{{- $callerIndex := include "restaurant-app.istio.callerIndex" $ | fromJson }}
{{- range $caller := get $callerIndex $name | default list }}…{{ end }}
*/}}
{{- define "restaurant-app.istio.callerIndex" -}}
{{- $index := dict }}
{{- range $caller, $entry := .Values.services }}
{{- if include "restaurant-app.services.enabled" (dict "context" $ "name" $caller) }}
{{- range $callee, $wanted := ($entry.calls | default dict) }}
{{- if $wanted }}
{{- $_ := set $index $callee (append (get $index $callee | default list) $caller) }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
{{- toJson $index }}
{{- end -}}

{{/*
Whether an edge route of the ingress Gateway points at a service ("true" or nothing): such a
service admits the ingress gateway's identity.
Usage:
{{ if include "restaurant-app.istio.isEdge" (dict "context" $ "name" $name) }}…{{ end }}
*/}}
{{- define "restaurant-app.istio.isEdge" -}}
{{- $istio := .context.Values.istio }}
{{- if and $istio.enabled $istio.edge.enabled }}
{{- range $route := $istio.edge.routes }}{{ if eq $route.service $.name }}true{{ end }}{{ end }}
{{- end }}
{{- end -}}

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

{{/*
Route destinations of a service: the host alone without a canary, else one weighted destination
per canary subset. `port` is optional (edge routes pin the service's first port).
Usage:
{{ include "restaurant-app.istio.destinations" (dict "context" $ "name" $name "settings" $settings "port" 8000) | nindent 8 }}
*/}}
{{- define "restaurant-app.istio.destinations" -}}
{{- $host := include "restaurant-app.istio.host" . }}
{{- if .settings.canary }}
{{- range $index, $version := keys .settings.canary | sortAlpha }}
{{- if $index }}{{ "\n" }}{{ end -}}
- destination:
    host: {{ $host | quote }}
    subset: {{ $version | quote }}
    {{- if $.port }}
    port:
      number: {{ $.port | int64 }}
    {{- end }}
  weight: {{ (get $.settings.canary $version).weight | int64 }}
{{- end }}
{{- else -}}
- destination:
    host: {{ $host | quote }}
    {{- if .port }}
    port:
      number: {{ .port | int64 }}
    {{- end }}
{{- end }}
{{- end -}}

{{/*
A duration (`500ms`, `10s`, `1m30s`) in milliseconds, printed as a number, for budget arithmetic.
Usage:
{{ include "restaurant-app.durations.ms" "1m30s" | float64 }}
*/}}
{{- define "restaurant-app.durations.ms" -}}
{{- $total := 0.0 }}
{{- $factors := dict "ms" 1.0 "s" 1000.0 "m" 60000.0 "h" 3600000.0 }}
{{- range regexFindAll "[0-9]+(\\.[0-9]+)?(ms|s|m|h)" . -1 }}
{{- $unit := regexFind "(ms|s|m|h)$" . }}
{{- $total = addf $total (mulf (float64 (trimSuffix $unit .)) (get $factors $unit)) }}
{{- end }}
{{- $total }}
{{- end -}}

{{/*
Fails when a route's retries cannot finish inside its timeout: attempts × perTryTimeout must not
exceed timeout, else the last tries are cut off and the budget is a lie. The message names the
values path of each of the three numbers.
Usage:
{{ include "restaurant-app.validate.retries" (dict "context" $ "retries" $r "timeout" "10s" "paths" (dict "attempts" "…" "perTryTimeout" "…" "timeout" "…")) }}
*/}}
{{- define "restaurant-app.validate.retries" -}}
{{- $budget := mulf (float64 .retries.attempts) (include "restaurant-app.durations.ms" .retries.perTryTimeout | float64) }}
{{- $timeout := include "restaurant-app.durations.ms" .timeout | float64 }}
{{- if gt $budget $timeout }}
{{- include "restaurant-app.values.fail" (dict "context" .context "message" (printf "%s (%d) × %s (%s) exceeds %s (%s): the retries cannot finish inside the timeout; lower the attempts or the per-try timeout, or raise the timeout" .paths.attempts (int .retries.attempts) .paths.perTryTimeout .retries.perTryTimeout .paths.timeout .timeout)) }}
{{- end }}
{{- end -}}

{{/*
Fails when the chart is asked for Istio objects the cluster cannot accept: the Istio v1 APIs
(and, in ambient mode, the Gateway API for the waypoint) must be served, unless
istio.skipCapabilityCheck says the render is not aimed at a live cluster.
Usage:
{{- include "restaurant-app.istio.requireApis" $ }}
*/}}
{{- define "restaurant-app.istio.requireApis" -}}
{{- if and .Values.istio.enabled (not .Values.istio.skipCapabilityCheck) }}
{{- $required := list "networking.istio.io/v1" "security.istio.io/v1" }}
{{- if eq (include "restaurant-app.istio.meshMode" .) "ambient" }}{{ $required = append $required "gateway.networking.k8s.io/v1" }}{{ end }}
{{- $missing := list }}
{{- range $required }}{{ if not ($.Capabilities.APIVersions.Has .) }}{{ $missing = append $missing . }}{{ end }}{{ end }}
{{- if $missing }}
{{- include "restaurant-app.values.fail" (dict "context" $ "message" (printf "istio.enabled is true but the cluster does not serve %s: install Istio 1.22 or later first (the istio-mesh chart with the Sail Operator; ambient mode also needs the Kubernetes Gateway API CRDs), or pass --api-versions to helm template, or set istio.skipCapabilityCheck=true" (join ", " $missing))) }}
{{- end }}
{{- end }}
{{- end -}}

{{/*
Fails on mesh settings that are valid one by one but not for the environment or the service
set: prod requires STRICT mTLS and default-deny; every called service and every edge route
must name a service of `services`.
Usage:
{{- include "restaurant-app.validate.istio" $ }}
*/}}
{{- define "restaurant-app.validate.istio" -}}
{{- $istio := .Values.istio }}
{{- include "restaurant-app.validate.anyService" . }}
{{- if eq (include "restaurant-app.istio.meshMode" $) "sidecar" }}
{{- $paths := dict }}
{{- range $field := list "requests.cpu" "requests.memory" "limits.cpu" "limits.memory" }}{{ $_ := set $paths $field (printf "istio.sidecar.resources.%s" $field) }}{{ end }}
{{- include "restaurant-app.validate.resources" (dict "context" $ "resources" $istio.sidecar.resources "paths" $paths) }}
{{- end }}
{{- if eq .Values.global.environment "prod" }}
{{- if ne $istio.peerAuthentication.mode "STRICT" }}
{{- include "restaurant-app.values.fail" (dict "context" $ "message" (printf "istio.peerAuthentication.mode is %s: prod requires STRICT mTLS" $istio.peerAuthentication.mode)) }}
{{- end }}
{{- if not $istio.authorization.defaultDeny }}
{{- include "restaurant-app.values.fail" (dict "context" $ "message" "istio.authorization.defaultDeny is false: prod requires a namespace default-deny") }}
{{- end }}
{{- end }}
{{- range $caller, $entry := .Values.services }}
{{- range $callee, $on := ($entry.calls | default dict) }}
{{- if and $on (not (hasKey $.Values.services $callee)) }}
{{- include "restaurant-app.values.fail" (dict "context" $ "message" (printf "services.%s.calls.%s: %s is not a service of this chart (services: %s)" $caller $callee $callee (keys $.Values.services | sortAlpha | join ", "))) }}
{{- end }}
{{- end }}
{{- end }}
{{- if $istio.edge.enabled }}
{{- range $route, $config := $istio.edge.routes }}
{{- if not (include "restaurant-app.services.enabled" (dict "context" $ "name" $config.service)) }}
{{- include "restaurant-app.values.fail" (dict "context" $ "message" (printf "istio.edge.routes.%s.service: %s is not an enabled service of this chart" $route $config.service)) }}
{{- end }}
{{- $at := printf "istio.edge.routes.%s" $route }}
{{- include "restaurant-app.validate.retries" (dict "context" $ "retries" $config.retries "timeout" $config.timeout "paths" (dict "attempts" (printf "%s.retries.attempts" $at) "perTryTimeout" (printf "%s.retries.perTryTimeout" $at) "timeout" (printf "%s.timeout" $at))) }}
{{- end }}
{{- end }}
{{- end -}}

{{/*
Fails on a service's canary and traffic settings that the schema cannot judge: canary weights
must sum to 100; retries must fit in the timeout; fault injection never runs in prod.
Usage:
{{ include "restaurant-app.validate.traffic" (dict "context" $ "name" $name "entry" $entry "settings" $settings) }}
*/}}
{{- define "restaurant-app.validate.traffic" -}}
{{- $s := .settings }}
{{- if $s.canary }}
{{- $sum := 0 }}
{{- $parts := list }}
{{- range $version := keys $s.canary | sortAlpha }}
{{- $weight := int (get $s.canary $version).weight }}
{{- $sum = add $sum $weight }}
{{- $parts = append $parts (printf "%s=%d" $version $weight) }}
{{- end }}
{{- if ne (int $sum) 100 }}
{{- include "restaurant-app.values.fail" (dict "context" .context "message" (printf "services.%s.canary: weights must sum to 100, got %d (%s)" .name (int $sum) (join ", " $parts))) }}
{{- end }}
{{- /* The stable version keeps the service's Deployment; a canary without it would replace every stable pod. */}}
{{- if not (hasKey $s.canary $s.version) }}
{{- include "restaurant-app.values.fail" (dict "context" .context "message" (printf "services.%s.canary: must include the stable version %s (services.%s.version), whose Deployment %s keeps running" .name $s.version .name .name)) }}
{{- end }}
{{- end }}
{{- if .context.Values.istio.enabled }}
{{- $origin := dict "name" .name "entry" .entry }}
{{- $paths := dict }}
{{- range $field := list "retries.attempts" "retries.perTryTimeout" "timeout" }}
{{- $_ := set $paths (base (replace "." "/" $field)) (include "restaurant-app.values.origin" (merge (dict "path" (printf "traffic.%s" $field)) $origin)) }}
{{- end }}
{{- include "restaurant-app.validate.retries" (dict "context" .context "retries" $s.traffic.retries "timeout" $s.traffic.timeout "paths" $paths) }}
{{- if and $s.traffic.fault.enabled (eq .context.Values.global.environment "prod") }}
{{- include "restaurant-app.values.fail" (dict "context" .context "message" (printf "%s is true: fault injection is for staging resilience tests, never prod" (include "restaurant-app.values.origin" (merge (dict "path" "traffic.fault.enabled") $origin)))) }}
{{- end }}
{{- end }}
{{- end -}}

{{/*
The mesh mode: global.mesh.mode when the restaurant-platform umbrella sets it for every chart,
else istio.mesh.mode.
Usage:
{{ if eq (include "restaurant-app.istio.meshMode" $) "ambient" }}…{{ end }}
*/}}
{{- define "restaurant-app.istio.meshMode" -}}
{{- $mode := dig "mesh" "mode" (dig "mesh" "mode" "" .Values.istio) .Values.global }}
{{- if not $mode }}
{{- include "restaurant-app.values.fail" (dict "context" . "message" "istio.mesh.mode: no mesh mode; set it (sidecar or ambient), or global.mesh.mode") }}
{{- end }}
{{- $mode }}
{{- end -}}

{{/*
Pod labels that enrol a service's pods in the mesh: sidecar injection (or a revision) in sidecar
mode, the ambient data plane in ambient mode; nothing when Istio is off.
Usage:
{{- include "restaurant-app.istio.podLabels" $ | nindent 8 }}
*/}}
{{- define "restaurant-app.istio.podLabels" -}}
{{- $istio := .Values.istio }}
{{- if $istio.enabled }}
{{- if eq (include "restaurant-app.istio.meshMode" $) "ambient" }}
istio.io/dataplane-mode: ambient
{{- else if $istio.mesh.revision }}
istio.io/rev: {{ $istio.mesh.revision | quote }}
{{- else }}
sidecar.istio.io/inject: "true"
{{- end }}
{{- end }}
{{- end -}}

{{/*
Pod annotations that size the injected proxy (sidecar mode only; ambient pods have no proxy).
Usage:
{{- include "restaurant-app.istio.podAnnotations" $ | nindent 8 }}
*/}}
{{- define "restaurant-app.istio.podAnnotations" -}}
{{- $istio := .Values.istio }}
{{- if and $istio.enabled (eq (include "restaurant-app.istio.meshMode" $) "sidecar") }}
{{- $resources := $istio.sidecar.resources -}}
sidecar.istio.io/proxyCPU: {{ include "restaurant-app.resources.text" $resources.requests.cpu | quote }}
sidecar.istio.io/proxyMemory: {{ include "restaurant-app.resources.text" $resources.requests.memory | quote }}
sidecar.istio.io/proxyCPULimit: {{ include "restaurant-app.resources.text" $resources.limits.cpu | quote }}
sidecar.istio.io/proxyMemoryLimit: {{ include "restaurant-app.resources.text" $resources.limits.memory | quote }}
{{- end }}
{{- end -}}
