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
{{ include "istio-mesh.labels.own" . }}
{{- with .context.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/*
The labels the chart itself gives an object (the standard labels without commonLabels). A label
value is at most 63 characters, so a long object name is cut there.
Usage:
{{ include "istio-mesh.labels.own" (dict "context" $ "name" "default") }}
*/}}
{{- define "istio-mesh.labels.own" -}}
app.kubernetes.io/name: {{ .name | trunc 63 | trimSuffix "-" | quote }}
app.kubernetes.io/instance: {{ .context.Release.Name | quote }}
app.kubernetes.io/component: mesh
app.kubernetes.io/part-of: restaurant-platform
app.kubernetes.io/managed-by: {{ .context.Release.Service | quote }}
helm.sh/chart: {{ include "istio-mesh.names.chart" .context | quote }}
{{- end -}}

{{/*
The label keys the chart writes itself, as a JSON list: its own labels, the mesh enrolment labels
and Pod Security's. commonLabels and namespaces.labels must not set them: the key would be written
twice in one map, or a namespace's enrolment or Pod Security level silently replaced.
Usage:
{{- $reserved := include "istio-mesh.labels.reserved" $ | fromJsonArray }}
*/}}
{{- define "istio-mesh.labels.reserved" -}}
{{- $own := include "istio-mesh.labels.own" (dict "context" . "name" "x") | fromYaml }}
{{- concat (keys $own) (list "istio-injection" "istio.io/rev" "istio.io/dataplane-mode" "pod-security.kubernetes.io/enforce") | uniq | sortAlpha | toJson }}
{{- end -}}

{{/*
Labels of a Namespace the chart creates: the standard labels, the mesh enrolment label, the Pod
Security level when given, then namespaces.labels (which may override a commonLabels entry); each
key once.
Usage:
{{- include "istio-mesh.labels.namespace" (dict "context" $ "name" "restaurant" "ambient" true "podSecurity" "restricted") | nindent 4 }}
*/}}
{{- define "istio-mesh.labels.namespace" -}}
{{- $labels := include "istio-mesh.labels.standard" . | fromYaml }}
{{- range $key, $value := include "istio-mesh.namespaces.meshLabel" . | fromYaml }}{{ $_ := set $labels $key $value }}{{ end }}
{{- with .podSecurity }}{{ $_ := set $labels "pod-security.kubernetes.io/enforce" . }}{{ end }}
{{- range $key, $value := .context.Values.namespaces.labels }}{{ $_ := set $labels $key $value }}{{ end }}
{{- toYaml $labels }}
{{- end -}}

{{/*
The mesh mode: global.mesh.mode when the restaurant-platform umbrella sets it for every chart,
else mesh.mode.
Usage:
{{ if eq (include "istio-mesh.mesh.mode" .) "ambient" }}…{{ end }}
*/}}
{{- define "istio-mesh.mesh.mode" -}}
{{- $mode := dig "mesh" "mode" (dig "mode" "" .Values.mesh) .Values.global }}
{{- if not $mode }}
{{- include "istio-mesh.values.fail" (dict "context" . "message" "mesh.mode: no mesh mode; set it (sidecar or ambient), or global.mesh.mode") }}
{{- end }}
{{- $mode }}
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
{{- if or (eq (include "istio-mesh.mesh.mode" .) "ambient") .Values.cni.sidecarMode }}true{{ end }}
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
{{- include "istio-mesh.values.fail" (dict "context" $ "message" (printf "the cluster does not serve %s: install the Sail Operator first (it brings the Istio CRDs: helm install sail-operator from https://istio-ecosystem.github.io/sail-operator), or set controlPlane.installer=none when Istio is installed by other means, or pass --api-versions to helm template, or set skipCapabilityCheck=true" (join ", " $missing))) }}
{{- end }}
{{- end }}
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
{{- include "istio-mesh.validate.labels" (dict "context" $ "labels" $values.commonLabels "path" "commonLabels") }}
{{- include "istio-mesh.validate.labels" (dict "context" $ "labels" $values.namespaces.labels "path" "namespaces.labels") }}
{{- include "istio-mesh.validate.resources" (dict "context" $ "resources" $values.controlPlane.pilot.resources "at" "controlPlane.pilot.resources") }}
{{- include "istio-mesh.validate.resources" (dict "context" $ "resources" $values.controlPlane.proxy.resources "at" "controlPlane.proxy.resources") }}
{{- if include "istio-mesh.gateway.pods" . }}
{{- $pods := $values.ingressGateway.pods }}
{{- include "istio-mesh.validate.resources" (dict "context" $ "resources" $pods.resources "at" "ingressGateway.pods.resources") }}
{{- if gt (int $pods.autoscaling.minReplicas) (int $pods.autoscaling.maxReplicas) }}
{{- include "istio-mesh.values.fail" (dict "context" $ "message" (printf "ingressGateway.pods.autoscaling.minReplicas (%d) must not exceed ingressGateway.pods.autoscaling.maxReplicas (%d)" (int $pods.autoscaling.minReplicas) (int $pods.autoscaling.maxReplicas))) }}
{{- end }}
{{- if and $prod (not $pods.autoscaling.enabled) }}
{{- include "istio-mesh.values.fail" (dict "context" $ "message" "ingressGateway.pods.autoscaling.enabled is false: prod requires the ingress gateway autoscaled, with at least 2 pods") }}
{{- end }}
{{- if and $prod (lt (int $pods.autoscaling.minReplicas) 2) }}
{{- include "istio-mesh.values.fail" (dict "context" $ "message" (printf "ingressGateway.pods.autoscaling.minReplicas is %d: prod requires at least 2 ingress gateway pods" (int $pods.autoscaling.minReplicas))) }}
{{- end }}
{{- end }}
{{- if and $prod (ne $values.peerAuthentication.mode "STRICT") }}
{{- include "istio-mesh.values.fail" (dict "context" $ "message" (printf "peerAuthentication.mode is %s: prod requires STRICT mTLS" $values.peerAuthentication.mode)) }}
{{- end }}
{{- $pilot := $values.controlPlane.pilot }}
{{- /* Checked with autoscaling off too: both bounds reach the Istio resource, and turning autoscaling on later must not be what reveals them. */}}
{{- if gt (int $pilot.autoscaleMin) (int $pilot.autoscaleMax) }}
{{- include "istio-mesh.values.fail" (dict "context" $ "message" (printf "controlPlane.pilot.autoscaleMin (%d) must not exceed controlPlane.pilot.autoscaleMax (%d)" (int $pilot.autoscaleMin) (int $pilot.autoscaleMax))) }}
{{- end }}
{{- if and $prod (include "istio-mesh.sail.enabled" .) }}
{{- /* Only the Sail-rendered control plane carries these settings; with installer=none they are not ours to enforce. */}}
{{- if not $pilot.autoscaleEnabled }}
{{- include "istio-mesh.values.fail" (dict "context" $ "message" "controlPlane.pilot.autoscaleEnabled is false: prod requires istiod autoscaled with at least 3 replicas") }}
{{- end }}
{{- if lt (int $pilot.autoscaleMin) 3 }}
{{- include "istio-mesh.values.fail" (dict "context" $ "message" (printf "controlPlane.pilot.autoscaleMin is %d: prod requires at least 3 istiod replicas" (int $pilot.autoscaleMin))) }}
{{- end }}
{{- $memory := $values.controlPlane.proxy.resources.limits.memory }}
{{- if lt (include "istio-mesh.resources.amount" $memory | float64) 536870912.0 }}
{{- include "istio-mesh.values.fail" (dict "context" $ "message" (printf "controlPlane.proxy.resources.limits.memory is %s: prod requires a proxy memory limit of at least 512Mi" (toString $memory))) }}
{{- end }}
{{- if ne $values.controlPlane.updateStrategy.type "RevisionBased" }}
{{- include "istio-mesh.values.fail" (dict "context" $ "message" (printf "controlPlane.updateStrategy.type is %s: prod requires RevisionBased upgrades" $values.controlPlane.updateStrategy.type)) }}
{{- end }}
{{- end }}
{{- end -}}


{{/*
Whether the chart runs the ingress gateway's pods ("true" or nothing).
Usage:
{{ if include "istio-mesh.gateway.pods" . }}…{{ end }}
*/}}
{{- define "istio-mesh.gateway.pods" -}}
{{- if and .Values.ingressGateway.enabled .Values.ingressGateway.pods.enabled }}true{{ end }}
{{- end -}}

{{/*
Labels of the ingress gateway pods: the Gateway's selector, and the label that has istiod's
injector fill them in (the revision tag under RevisionBased, else the default injector).
Usage:
{{- include "istio-mesh.gateway.podLabels" . | nindent 8 }}
*/}}
{{- define "istio-mesh.gateway.podLabels" -}}
{{- $labels := deepCopy .Values.ingressGateway.selector }}
{{- $cp := .Values.controlPlane }}
{{- if and (include "istio-mesh.sail.enabled" .) (eq $cp.updateStrategy.type "RevisionBased") $cp.revisionTag }}
{{- $_ := set $labels "istio.io/rev" $cp.revisionTag }}
{{- else }}
{{- $_ := set $labels "sidecar.istio.io/inject" "true" }}
{{- end }}
{{- toYaml $labels }}
{{- end -}}

{{/*
The least number of gateway pods: the HPA's minimum when autoscaling, else the replicas.
Usage:
{{ include "istio-mesh.gateway.minimum" . | int }}
*/}}
{{- define "istio-mesh.gateway.minimum" -}}
{{- $pods := .Values.ingressGateway.pods }}
{{- ternary $pods.autoscaling.minReplicas $pods.replicas $pods.autoscaling.enabled | int }}
{{- end -}}
