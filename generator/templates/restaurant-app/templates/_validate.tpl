{{/*
Fails when Istio is on and no mesh mode is set.
Usage:
{{- include "restaurant-app.validate.mode" (dict "context" $ "model" $model) }}
*/}}
{{- define "restaurant-app.validate.mode" -}}
{{- if not .model.mode }}
{{- include "chartkit.values.fail" (dict "context" .context "message" "istio.mesh.mode: no mesh mode; set it (sidecar or ambient), or global.mesh.mode") }}
{{- end }}
{{- end -}}

{{/*
Fails when the chart is asked for Istio objects the cluster cannot accept: the Istio v1 APIs
(and, in ambient mode, the Gateway API for the waypoint) must be served, unless
global.skipCapabilityCheck says the render is not aimed at a live cluster.
Usage:
{{- include "restaurant-app.validate.apis" (dict "context" $ "model" $model) }}
*/}}
{{- define "restaurant-app.validate.apis" -}}
{{- $required := list "networking.istio.io/v1" "security.istio.io/v1" }}
{{- if .model.ambient }}{{ $required = append $required "gateway.networking.k8s.io/v1" }}{{ end }}
{{- include "chartkit.validate.apis" (dict "context" .context "required" $required "reason" "istio.enabled is true but " "install" "install Istio 1.22 or later first (the istio-mesh chart with the Sail Operator; ambient mode also needs the Kubernetes Gateway API CRDs)") }}
{{- end -}}

{{/*
Fails when no service would be rendered: an install with nothing in it is a mistake in the values,
not a deployment.
Usage:
{{- include "restaurant-app.validate.anyService" (dict "context" $ "model" $model) }}
*/}}
{{- define "restaurant-app.validate.anyService" -}}
{{- $values := .context.Values }}
{{- $enabled := false }}
{{- range $service := .model.services }}{{ if $service.enabled }}{{ $enabled = true }}{{ end }}{{ end }}
{{- if not $enabled }}
{{- include "chartkit.values.fail" (dict "context" .context "message" (printf "services: no service is enabled (serviceDefaults.enabled is %t and no services.<name>.enabled is true among %s); enable one, or leave the chart out (the umbrella's components.restaurant-app.enabled)" $values.serviceDefaults.enabled (keys $values.services | sortAlpha | join ", "))) }}
{{- end }}
{{- end -}}

{{/*
Fails on mesh settings that are valid one by one but not for the environment or the service
set: the sidecar proxy's requests within its limits; prod requires what
"restaurant-app.production.requirements" says (STRICT mTLS, default-deny, the proxy memory floor);
every called service and every edge route must name a service of `services`, and an edge route's
retries must fit in its timeout.
Usage:
{{- include "restaurant-app.validate.istio" (dict "context" $ "model" $model) }}
*/}}
{{- define "restaurant-app.validate.istio" -}}
{{- $context := .context }}
{{- $values := $context.Values }}
{{- $istio := $values.istio }}
{{- if eq .model.mode "sidecar" }}
{{- $paths := dict }}
{{- range $field := list "requests.cpu" "requests.memory" "limits.cpu" "limits.memory" }}{{ $_ := set $paths $field (printf "istio.sidecar.resources.%s" $field) }}{{ end }}
{{- include "chartkit.validate.resources" (dict "context" $context "resources" $istio.sidecar.resources "paths" $paths) }}
{{- end }}
{{- if eq $values.global.environment "prod" }}
{{- $production := include "restaurant-app.production.requirements" $context | fromJson }}
{{- if ne $istio.peerAuthentication.mode $production.mtlsMode }}
{{- include "chartkit.values.fail" (dict "context" $context "message" (printf "istio.peerAuthentication.mode is %s: prod requires %s mTLS" $istio.peerAuthentication.mode $production.mtlsMode)) }}
{{- end }}
{{- if and $production.authorizationDefaultDeny (not $istio.authorization.defaultDeny) }}
{{- include "chartkit.values.fail" (dict "context" $context "message" "istio.authorization.defaultDeny is false: prod requires a namespace default-deny") }}
{{- end }}
{{- if and (eq .model.mode "sidecar") (lt (include "chartkit.quantities.amount" $istio.sidecar.resources.limits.memory | float64) (float64 $production.proxyMemoryLimitMinBytes)) }}
{{- include "chartkit.values.fail" (dict "context" $context "message" (printf "istio.sidecar.resources.limits.memory is %s: prod requires a proxy memory limit of at least %s" (include "chartkit.quantities.text" $istio.sidecar.resources.limits.memory) $production.proxyMemoryLimitMin)) }}
{{- end }}
{{- end }}
{{- range $caller, $entry := $values.services }}
{{- range $callee, $on := ($entry.calls | default dict) }}
{{- if and $on (not (hasKey $values.services $callee)) }}
{{- include "chartkit.values.fail" (dict "context" $context "message" (printf "services.%s.calls.%s: %s is not a service of this chart (services: %s)" $caller $callee $callee (keys $values.services | sortAlpha | join ", "))) }}
{{- end }}
{{- end }}
{{- end }}
{{- if $istio.edge.enabled }}
{{- range $route, $config := $istio.edge.routes }}
{{- if not (dig $config.service "enabled" false $.model.services) }}
{{- include "chartkit.values.fail" (dict "context" $context "message" (printf "istio.edge.routes.%s.service: %s is not an enabled service of this chart" $route $config.service)) }}
{{- end }}
{{- $at := printf "istio.edge.routes.%s" $route }}
{{- include "restaurant-app.validate.retries" (dict "context" $context "retries" $config.retries "timeout" $config.timeout "paths" (dict "attempts" (printf "%s.retries.attempts" $at) "perTryTimeout" (printf "%s.retries.perTryTimeout" $at) "timeout" (printf "%s.timeout" $at))) }}
{{- end }}
{{- end }}
{{- end -}}

{{/*
Fails with the values path when a service's settings are valid for the schema but not together,
or not for the API server: requests above limits, podLabels that would replace the chart's own
labels (`reserved`: "restaurant-app.labels.reserved"), port names and numbers used twice, HPA
bounds, and disruption budgets that would block every node drain. `passed` (a dict, shared by
every service of the render) remembers the resource blocks already found within their limits:
most services share serviceDefaults' block, and comparing quantities is the costly part.
Usage:
{{- include "restaurant-app.validate.service" (dict "context" $ "model" $model "name" $name "entry" $entry "settings" $settings "reserved" $reserved "passed" $passed) }}
*/}}
{{- define "restaurant-app.validate.service" -}}
{{- $s := .settings }}
{{- $resources := printf "resources %v" $s.resources }}
{{- if not (hasKey .passed $resources) }}
{{- $paths := dict }}
{{- range $field := list "requests.cpu" "requests.memory" "limits.cpu" "limits.memory" }}
{{- $_ := set $paths $field (include "restaurant-app.values.origin" (dict "name" $.name "entry" $.entry "path" (printf "resources.%s" $field))) }}
{{- end }}
{{- include "chartkit.validate.resources" (dict "context" .context "resources" $s.resources "paths" $paths) }}
{{- $_ := set .passed $resources true }}
{{- end }}
{{- if $s.podLabels }}
{{- $labelPaths := dict }}
{{- range $key, $_ := $s.podLabels }}{{ $_ := set $labelPaths $key (ternary (printf "services.%s.podLabels" $.name) "serviceDefaults.podLabels" (hasKey ($.entry.podLabels | default dict) $key)) }}{{ end }}
{{- include "chartkit.validate.labels" (dict "context" .context "labels" $s.podLabels "paths" $labelPaths "reserved" .reserved) }}
{{- end }}
{{- /* Each port name and number once: the Service and the container refuse duplicates. */}}
{{- $byPort := dict }}
{{- $byTarget := dict }}
{{- range $portName, $port := $s.ports }}
{{- $at := printf "services.%s.ports.%s" $.name $portName }}
{{- if contains "--" $portName }}
{{- include "chartkit.values.fail" (dict "context" $.context "message" (printf "%s: a port name must not contain \"--\" (Kubernetes requires an IANA service name)" $at)) }}
{{- end }}
{{- $number := toString (int $port.port) }}
{{- $target := toString (int $port.targetPort) }}
{{- with get $byPort $number }}
{{- include "chartkit.values.fail" (dict "context" $.context "message" (printf "%s.port: %d is also the port of %s; each port of a Service needs its own number" $at (int $port.port) .)) }}
{{- end }}
{{- with get $byTarget $target }}
{{- include "chartkit.values.fail" (dict "context" $.context "message" (printf "%s.targetPort: %d is also the targetPort of %s; each container port needs its own number" $at (int $port.targetPort) .)) }}
{{- end }}
{{- $_ := set $byPort $number $at }}
{{- $_ := set $byTarget $target $at }}
{{- end }}
{{- if and .context.Values.istio.enabled .model.ambient $s.metrics.enabled (hasKey $byTarget (toString (int $s.metrics.port))) }}
{{- include "chartkit.values.fail" (dict "context" .context "message" (printf "%s (%d) is also the targetPort of %s: in ambient mode the metrics port accepts Prometheus's plaintext scrapes, so it must not carry service traffic; give metrics a port of its own" (include "restaurant-app.values.origin" (dict "name" .name "entry" .entry "path" "metrics.port")) (int $s.metrics.port) (get $byTarget (toString (int $s.metrics.port))))) }}
{{- end }}
{{- if and $s.metrics.enabled (hasKey $s.ports "http-metrics") (not (hasKey $byTarget (toString (int $s.metrics.port)))) }}
{{- include "chartkit.values.fail" (dict "context" .context "message" (printf "services.%s.ports.http-metrics: the name is taken by the metrics container port (%s is %d); rename the port, or set metrics.port to its targetPort" .name (include "restaurant-app.values.origin" (dict "name" .name "entry" .entry "path" "metrics.port")) (int $s.metrics.port))) }}
{{- end }}
{{- if and $s.autoscaling.enabled (gt (int $s.autoscaling.minReplicas) (int $s.autoscaling.maxReplicas)) }}
{{- include "chartkit.values.fail" (dict "context" .context "message" (printf "%s (%d) must not exceed %s (%d)" (include "restaurant-app.values.origin" (dict "name" .name "entry" .entry "path" "autoscaling.minReplicas")) (int $s.autoscaling.minReplicas) (include "restaurant-app.values.origin" (dict "name" .name "entry" .entry "path" "autoscaling.maxReplicas")) (int $s.autoscaling.maxReplicas))) }}
{{- end }}
{{- if $s.podDisruptionBudget.enabled }}
{{- $budget := toString $s.podDisruptionBudget.maxUnavailable }}
{{- if or (eq $budget "0") (eq $budget "0%") }}
{{- include "chartkit.values.fail" (dict "context" .context "message" (printf "%s is %s: the PodDisruptionBudget would block every node drain; allow at least 1 pod" (include "restaurant-app.values.origin" (dict "name" .name "entry" .entry "path" "podDisruptionBudget.maxUnavailable")) $budget)) }}
{{- end }}
{{- $minimum := ternary $s.autoscaling.minReplicas $s.replicas $s.autoscaling.enabled | int }}
{{- if lt $minimum 1 }}
{{- include "chartkit.values.fail" (dict "context" .context "message" (printf "%s: a PodDisruptionBudget over 0 replicas protects nothing; disable it or scale up (%s)" (include "restaurant-app.values.origin" (dict "name" .name "entry" .entry "path" "podDisruptionBudget.enabled")) (include "restaurant-app.values.origin" (dict "name" .name "entry" .entry "path" "replicas")))) }}
{{- end }}
{{- end }}
{{- end -}}

{{/*
Fails when a route's retries cannot finish inside its timeout: attempts × perTryTimeout must not
exceed timeout, else the last tries are cut off and the budget is a lie. The message names the
values path of each of the three numbers.
Usage:
{{- include "restaurant-app.validate.retries" (dict "context" $ "retries" $r "timeout" "10s" "paths" (dict "attempts" "…" "perTryTimeout" "…" "timeout" "…")) }}
*/}}
{{- define "restaurant-app.validate.retries" -}}
{{- $budget := mulf (float64 .retries.attempts) (include "chartkit.durations.ms" .retries.perTryTimeout | float64) }}
{{- $timeout := include "chartkit.durations.ms" .timeout | float64 }}
{{- if gt $budget $timeout }}
{{- include "chartkit.values.fail" (dict "context" .context "message" (printf "%s (%d) × %s (%s) exceeds %s (%s): the retries cannot finish inside the timeout; lower the attempts or the per-try timeout, or raise the timeout" .paths.attempts (int .retries.attempts) .paths.perTryTimeout .retries.perTryTimeout .paths.timeout .timeout)) }}
{{- end }}
{{- end -}}

{{/*
Fails on a service's canary and traffic settings that the schema cannot judge: canary weights
must sum to 100; retries must fit in the timeout; fault injection never runs in prod. `passed`
(a dict shared by every service of the render) remembers the retry budgets already found to fit.
Usage:
{{- include "restaurant-app.validate.traffic" (dict "context" $ "name" $name "entry" $entry "settings" $settings "passed" $passed) }}
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
{{- include "chartkit.values.fail" (dict "context" .context "message" (printf "services.%s.canary: weights must sum to 100, got %d (%s)" .name (int $sum) (join ", " $parts))) }}
{{- end }}
{{- /* The stable version keeps the service's Deployment; a canary without it would replace every stable pod. */}}
{{- if not (hasKey $s.canary $s.version) }}
{{- include "chartkit.values.fail" (dict "context" .context "message" (printf "services.%s.canary: must include the stable version %s (services.%s.version), whose Deployment %s keeps running" .name $s.version .name .name)) }}
{{- end }}
{{- end }}
{{- if .context.Values.istio.enabled }}
{{- $retries := $s.traffic.retries }}
{{- $budget := printf "retries %v %v %v" $retries.attempts $retries.perTryTimeout $s.traffic.timeout }}
{{- if not (hasKey .passed $budget) }}
{{- $paths := dict }}
{{- range $field := list "retries.attempts" "retries.perTryTimeout" "timeout" }}
{{- $_ := set $paths (base (replace "." "/" $field)) (include "restaurant-app.values.origin" (dict "name" $.name "entry" $.entry "path" (printf "traffic.%s" $field))) }}
{{- end }}
{{- include "restaurant-app.validate.retries" (dict "context" .context "retries" $retries "timeout" $s.traffic.timeout "paths" $paths) }}
{{- $_ := set .passed $budget true }}
{{- end }}
{{- if and $s.traffic.fault.enabled (eq .context.Values.global.environment "prod") }}
{{- include "chartkit.values.fail" (dict "context" .context "message" (printf "%s is true: fault injection is for staging resilience tests, never prod" (include "restaurant-app.values.origin" (dict "name" .name "entry" .entry "path" "traffic.fault.enabled")))) }}
{{- end }}
{{- end }}
{{- end -}}

{{/*
Fails when a service uses a backing store that backingStores does not declare.
Usage:
{{- include "restaurant-app.validate.stores" (dict "context" $ "name" $name "entry" $entry) }}
*/}}
{{- define "restaurant-app.validate.stores" -}}
{{- $stores := .context.Values.backingStores }}
{{- range $store, $used := (.entry.stores | default dict) }}
{{- if and $used (not (get $stores $store)) }}
{{- include "chartkit.values.fail" (dict "context" $.context "message" (printf "services.%s.stores.%s: no such backing store; declare it under backingStores (there are: %s)" $.name $store (keys $stores | sortAlpha | join ", "))) }}
{{- end }}
{{- end }}
{{- end -}}
