{{/*
Chart name and version as the helm.sh/chart label value.
Usage:
{{ include "istio-mesh.names.chart" . }}
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
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .context.Release.Name }}
app.kubernetes.io/component: mesh
app.kubernetes.io/part-of: restaurant-platform
app.kubernetes.io/managed-by: {{ .context.Release.Service }}
helm.sh/chart: {{ include "istio-mesh.names.chart" .context }}
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
{{ include "istio-mesh.tracing.host" . }}
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
istio.io/rev: {{ $values.controlPlane.revisionTag }}
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
Fails on settings valid one by one but not for the environment: prod requires STRICT mTLS.
Usage:
{{- include "istio-mesh.validate.values" $ }}
*/}}
{{- define "istio-mesh.validate.values" -}}
{{- $values := .Values }}
{{- if and (eq $values.global.environment "prod") (ne $values.peerAuthentication.mode "STRICT") }}
{{- fail (printf "peerAuthentication.mode is %s: prod requires STRICT mTLS" $values.peerAuthentication.mode) }}
{{- end }}
{{- $pilot := $values.controlPlane.pilot }}
{{- if and $pilot.autoscaleEnabled (gt (int $pilot.autoscaleMin) (int $pilot.autoscaleMax)) }}
{{- fail (printf "controlPlane.pilot.autoscaleMin (%d) must not exceed controlPlane.pilot.autoscaleMax (%d)" (int $pilot.autoscaleMin) (int $pilot.autoscaleMax)) }}
{{- end }}
{{- end -}}
