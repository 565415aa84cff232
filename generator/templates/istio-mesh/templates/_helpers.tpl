{{/* Quoting convention: a string helper returns bare text (pipe it to `| quote` where it lands as a scalar), a YAML-block helper quotes each string in it, and integers are printed with `| int64`. */}}

{{/*
Chart name and version as the helm.sh/chart label value.
Usage:
{{ include "istio-mesh.names.chart" . | quote }}
*/}}
{{- define "istio-mesh.names.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end -}}

{{/*
Labels of every object of the chart; `name` is the object's own name.
Usage:
{{ include "istio-mesh.labels.standard" (dict "context" $ "name" "default") }}
*/}}
{{- define "istio-mesh.labels.standard" -}}
app.kubernetes.io/name: {{ .name | quote }}
app.kubernetes.io/instance: {{ .context.Release.Name | quote }}
app.kubernetes.io/component: mesh
app.kubernetes.io/part-of: restaurant-platform
app.kubernetes.io/managed-by: {{ .context.Release.Service | quote }}
helm.sh/chart: {{ include "istio-mesh.names.chart" .context | quote }}
{{- with .context.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/*
Whether the chart renders the Sail Operator resources ("true" or nothing).
Usage:
{{ if include "istio-mesh.sail.enabled" . }}…{{ end }}
*/}}
{{- define "istio-mesh.sail.enabled" -}}
{{- if eq .Values.controlPlane.installer "sail" }}true{{ end }}
{{- end -}}

{{/*
Whether the Istio CNI node agent is used: always in ambient mode, in sidecar mode when
cni.sidecarMode asks for it (restricted Pod Security then holds for injected pods).
Usage:
{{ if include "istio-mesh.cni.enabled" . }}…{{ end }}
*/}}
{{- define "istio-mesh.cni.enabled" -}}
{{- if or (eq .Values.mesh.mode "ambient") .Values.cni.sidecarMode }}true{{ end }}
{{- end -}}

{{/*
The tracing backend's OTLP host: a short service name is qualified with the observability namespace.
Usage:
{{ include "istio-mesh.tracing.host" . | quote }}
*/}}
{{- define "istio-mesh.tracing.host" -}}
{{- if contains "." .Values.tracing.service }}{{ .Values.tracing.service }}{{ else }}{{ printf "%s.%s.svc.cluster.local" .Values.tracing.service .Values.global.namespaces.observability }}{{ end }}
{{- end -}}

{{/*
The label that enrols a namespace's pods in the mesh: the revision tag (istio.io/rev) when one is
rendered, else the default injector (istio-injection), or the ambient data plane.
Usage:
{{- include "istio-mesh.namespaces.meshLabel" (dict "context" $ "ambient" true) | nindent 4 }}
*/}}
{{- define "istio-mesh.namespaces.meshLabel" -}}
{{- $values := .context.Values }}
{{- if .ambient }}
istio.io/dataplane-mode: ambient
{{- else if and (include "istio-mesh.sail.enabled" .context) (eq $values.controlPlane.updateStrategy.type "RevisionBased") $values.controlPlane.revisionTag }}
istio.io/rev: {{ $values.controlPlane.revisionTag | quote }}
{{- else }}
istio-injection: enabled
{{- end }}
{{- end -}}

{{/*
Fails when the cluster cannot accept the chart's resources: the Istio v1 APIs always, the Sail
Operator's API when it installs the control plane. Override: skipCapabilityCheck.
Usage:
{{- include "istio-mesh.validate.apis" $ }}
*/}}
{{- define "istio-mesh.validate.apis" -}}
{{- if not .Values.skipCapabilityCheck }}
{{- $required := list "networking.istio.io/v1" "security.istio.io/v1" "telemetry.istio.io/v1" }}
{{- if include "istio-mesh.sail.enabled" . }}{{ $required = append $required "sailoperator.io/v1" }}{{ end }}
{{- $missing := list }}
{{- range $required }}{{ if not ($.Capabilities.APIVersions.Has .) }}{{ $missing = append $missing . }}{{ end }}{{ end }}
{{- if $missing }}
{{- fail (printf "the cluster does not serve %s: install the Sail Operator first (it brings the Istio CRDs: helm install sail-operator from https://istio-ecosystem.github.io/sail-operator), or set controlPlane.installer=none when Istio is installed by other means, or pass --api-versions to helm template, or set skipCapabilityCheck=true" (join ", " $missing)) }}
{{- end }}
{{- end }}
{{- end -}}

{{/*
Bytes of a Kubernetes memory quantity (binary Ki Mi Gi Ti Pi Ei, decimal k M G T P E, or plain
bytes), as an integer string; fails naming `path` when the quantity cannot be read. The schema
already restricts the form; this turns it into a number templates can compare.
Usage:
{{ include "istio-mesh.quantity.bytes" (dict "quantity" "512Mi" "path" "controlPlane.proxy.resources.limits.memory") }}
*/}}
{{- define "istio-mesh.quantity.bytes" -}}
{{- $quantity := toString .quantity }}
{{- $number := regexFind "^[0-9]+(\\.[0-9]+)?" $quantity }}
{{- $suffix := trimPrefix $number $quantity }}
{{- $factors := dict "" 1.0 "Ki" 1024.0 "Mi" 1048576.0 "Gi" 1073741824.0 "Ti" 1099511627776.0 "Pi" 1125899906842624.0 "Ei" 1152921504606846976.0 "k" 1000.0 "M" 1000000.0 "G" 1000000000.0 "T" 1000000000000.0 "P" 1000000000000000.0 "E" 1000000000000000000.0 }}
{{- if or (not $number) (not (hasKey $factors $suffix)) }}
{{- fail (printf "%s: %q is not a memory quantity (e.g. 512Mi, 1Gi, 500M)" .path $quantity) }}
{{- end }}
{{- printf "%.0f" (mulf (float64 $number) (get $factors $suffix)) }}
{{- end -}}

{{/*
Fails on settings valid one by one but not for the environment. prod requires what the
production checklist asks of the mesh (the mesh-check module judges the same from a render):
STRICT mTLS, istiod autoscaled with at least 3 replicas, a proxy memory limit of at least 512Mi
and revision-based upgrades. Every message names the values path to change.
Usage:
{{- include "istio-mesh.validate.values" $ }}
*/}}
{{- define "istio-mesh.validate.values" -}}
{{- $values := .Values }}
{{- $prod := eq $values.global.environment "prod" }}
{{- if and $prod (ne $values.peerAuthentication.mode "STRICT") }}
{{- fail (printf "peerAuthentication.mode is %s: prod requires STRICT mTLS" $values.peerAuthentication.mode) }}
{{- end }}
{{- $pilot := $values.controlPlane.pilot }}
{{- /* Checked with autoscaling off too: both bounds reach the Istio resource, and turning autoscaling on later must not be what reveals them. */}}
{{- if gt (int $pilot.autoscaleMin) (int $pilot.autoscaleMax) }}
{{- fail (printf "controlPlane.pilot.autoscaleMin (%d) must not exceed controlPlane.pilot.autoscaleMax (%d)" (int $pilot.autoscaleMin) (int $pilot.autoscaleMax)) }}
{{- end }}
{{- if and $prod (include "istio-mesh.sail.enabled" .) }}
{{- /* Only the Sail-rendered control plane carries these settings; with installer=none they are not ours to enforce. */}}
{{- if not $pilot.autoscaleEnabled }}
{{- fail "controlPlane.pilot.autoscaleEnabled is false: prod requires istiod autoscaled with at least 3 replicas" }}
{{- end }}
{{- if lt (int $pilot.autoscaleMin) 3 }}
{{- fail (printf "controlPlane.pilot.autoscaleMin is %d: prod requires at least 3 istiod replicas" (int $pilot.autoscaleMin)) }}
{{- end }}
{{- $memory := $values.controlPlane.proxy.resources.limits.memory }}
{{- $bytes := include "istio-mesh.quantity.bytes" (dict "quantity" $memory "path" "controlPlane.proxy.resources.limits.memory") }}
{{- if lt (float64 $bytes) 536870912.0 }}
{{- fail (printf "controlPlane.proxy.resources.limits.memory is %s: prod requires a proxy memory limit of at least 512Mi" (toString $memory)) }}
{{- end }}
{{- if ne $values.controlPlane.updateStrategy.type "RevisionBased" }}
{{- fail (printf "controlPlane.updateStrategy.type is %s: prod requires RevisionBased upgrades" $values.controlPlane.updateStrategy.type) }}
{{- end }}
{{- end }}
{{- end -}}
