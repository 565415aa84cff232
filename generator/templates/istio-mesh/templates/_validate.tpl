{{/*
Fails when the cluster cannot accept the chart's resources: the Istio v1 APIs always, the Sail
Operator's API when it installs the control plane. Override: skipCapabilityCheck.
Usage:
{{- include "istio-mesh.validate.apis" $ }}
*/}}
{{- define "istio-mesh.validate.apis" -}}
{{- if not .Values.skipCapabilityCheck }}
{{- $required := list "networking.istio.io/v1" "security.istio.io/v1" "telemetry.istio.io/v1" }}
{{- if include "istio-mesh.mesh.sail" . }}{{ $required = append $required "sailoperator.io/v1" }}{{ end }}
{{- $missing := list }}
{{- range $required }}{{ if not ($.Capabilities.APIVersions.Has .) }}{{ $missing = append $missing . }}{{ end }}{{ end }}
{{- if $missing }}
{{- include "chartkit.values.fail" (dict "context" $ "message" (printf "the cluster does not serve %s: install the Sail Operator first (it brings the Istio CRDs: helm install sail-operator from https://istio-ecosystem.github.io/sail-operator), or set controlPlane.installer=none when Istio is installed by other means, or pass --api-versions to helm template, or set skipCapabilityCheck=true" (join ", " $missing))) }}
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
{{- $reserved := include "istio-mesh.labels.reserved" $ | fromJsonArray }}
{{- include "chartkit.validate.labels" (dict "context" $ "labels" $values.commonLabels "path" "commonLabels" "reserved" $reserved) }}
{{- include "chartkit.validate.labels" (dict "context" $ "labels" $values.namespaces.labels "path" "namespaces.labels" "reserved" $reserved) }}
{{- include "chartkit.validate.resources" (dict "context" $ "resources" $values.controlPlane.pilot.resources "at" "controlPlane.pilot.resources") }}
{{- include "chartkit.validate.resources" (dict "context" $ "resources" $values.controlPlane.proxy.resources "at" "controlPlane.proxy.resources") }}
{{- if include "istio-mesh.gateway.pods" . }}
{{- $pods := $values.ingressGateway.pods }}
{{- include "chartkit.validate.resources" (dict "context" $ "resources" $pods.resources "at" "ingressGateway.pods.resources") }}
{{- if gt (int $pods.autoscaling.minReplicas) (int $pods.autoscaling.maxReplicas) }}
{{- include "chartkit.values.fail" (dict "context" $ "message" (printf "ingressGateway.pods.autoscaling.minReplicas (%d) must not exceed ingressGateway.pods.autoscaling.maxReplicas (%d)" (int $pods.autoscaling.minReplicas) (int $pods.autoscaling.maxReplicas))) }}
{{- end }}
{{- if and $prod (not $pods.autoscaling.enabled) }}
{{- include "chartkit.values.fail" (dict "context" $ "message" "ingressGateway.pods.autoscaling.enabled is false: prod requires the ingress gateway autoscaled, with at least 2 pods") }}
{{- end }}
{{- if and $prod (lt (int $pods.autoscaling.minReplicas) 2) }}
{{- include "chartkit.values.fail" (dict "context" $ "message" (printf "ingressGateway.pods.autoscaling.minReplicas is %d: prod requires at least 2 ingress gateway pods" (int $pods.autoscaling.minReplicas))) }}
{{- end }}
{{- end }}
{{- if and $prod (ne $values.peerAuthentication.mode "STRICT") }}
{{- include "chartkit.values.fail" (dict "context" $ "message" (printf "peerAuthentication.mode is %s: prod requires STRICT mTLS" $values.peerAuthentication.mode)) }}
{{- end }}
{{- $pilot := $values.controlPlane.pilot }}
{{- /* Checked with autoscaling off too: both bounds reach the Istio resource, and turning autoscaling on later must not be what reveals them. */}}
{{- if gt (int $pilot.autoscaleMin) (int $pilot.autoscaleMax) }}
{{- include "chartkit.values.fail" (dict "context" $ "message" (printf "controlPlane.pilot.autoscaleMin (%d) must not exceed controlPlane.pilot.autoscaleMax (%d)" (int $pilot.autoscaleMin) (int $pilot.autoscaleMax))) }}
{{- end }}
{{- if and $prod (include "istio-mesh.mesh.sail" .) }}
{{- /* Only the Sail-rendered control plane carries these settings; with installer=none they are not ours to enforce. */}}
{{- if not $pilot.autoscaleEnabled }}
{{- include "chartkit.values.fail" (dict "context" $ "message" "controlPlane.pilot.autoscaleEnabled is false: prod requires istiod autoscaled with at least 3 replicas") }}
{{- end }}
{{- if lt (int $pilot.autoscaleMin) 3 }}
{{- include "chartkit.values.fail" (dict "context" $ "message" (printf "controlPlane.pilot.autoscaleMin is %d: prod requires at least 3 istiod replicas" (int $pilot.autoscaleMin))) }}
{{- end }}
{{- $memory := $values.controlPlane.proxy.resources.limits.memory }}
{{- if lt (include "chartkit.quantities.amount" $memory | float64) 536870912.0 }}
{{- include "chartkit.values.fail" (dict "context" $ "message" (printf "controlPlane.proxy.resources.limits.memory is %s: prod requires a proxy memory limit of at least 512Mi" (toString $memory))) }}
{{- end }}
{{- if ne $values.controlPlane.updateStrategy.type "RevisionBased" }}
{{- include "chartkit.values.fail" (dict "context" $ "message" (printf "controlPlane.updateStrategy.type is %s: prod requires RevisionBased upgrades" $values.controlPlane.updateStrategy.type)) }}
{{- end }}
{{- end }}
{{- end -}}
