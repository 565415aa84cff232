{{/*
Fails when the cluster cannot accept the chart's resources: the Istio v1 APIs always, the Sail
Operator's API when it installs the control plane (override: global.skipCapabilityCheck).
Usage:
{{- include "istio-mesh.validate.apis" $ }}
*/}}
{{- define "istio-mesh.validate.apis" -}}
{{- $required := list "networking.istio.io/v1" "security.istio.io/v1" "telemetry.istio.io/v1" }}
{{- if include "istio-mesh.mesh.sail" . }}{{ $required = append $required "sailoperator.io/v1" }}{{ end }}
{{- include "chartkit.validate.apis" (dict "context" $ "required" $required "install" "install the Sail Operator first (it brings the Istio CRDs: helm install sail-operator from https://istio-ecosystem.github.io/sail-operator), or set controlPlane.installer=none when Istio is installed by other means") }}
{{- end -}}

{{/*
Fails on settings valid one by one but not for the environment. prod requires what the
production checklist asks of the mesh, with the numbers of "istio-mesh.production.requirements"
(the mesh checks judge a render by the same constants): STRICT mTLS, istiod autoscaled with its
minimum of replicas, an autoscaled ingress gateway with its minimum of pods, the proxy memory
floor, revision-based upgrades and the sampling ceiling. Every message names the values path.
Usage:
{{- include "istio-mesh.validate.values" $ }}
*/}}
{{- define "istio-mesh.validate.values" -}}
{{- $values := .Values }}
{{- $prod := eq $values.global.environment "prod" }}
{{- $production := include "istio-mesh.production.requirements" . | fromJson }}
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
{{- include "chartkit.values.fail" (dict "context" $ "message" (printf "ingressGateway.pods.autoscaling.enabled is false: prod requires the ingress gateway autoscaled, with at least %d pods" (int $production.ingressGatewayMinReplicas))) }}
{{- end }}
{{- if and $prod (lt (int $pods.autoscaling.minReplicas) (int $production.ingressGatewayMinReplicas)) }}
{{- include "chartkit.values.fail" (dict "context" $ "message" (printf "ingressGateway.pods.autoscaling.minReplicas is %d: prod requires at least %d ingress gateway pods" (int $pods.autoscaling.minReplicas) (int $production.ingressGatewayMinReplicas))) }}
{{- end }}
{{- end }}
{{- if and $prod (ne $values.peerAuthentication.mode $production.mtlsMode) }}
{{- include "chartkit.values.fail" (dict "context" $ "message" (printf "peerAuthentication.mode is %s: prod requires %s mTLS" $values.peerAuthentication.mode $production.mtlsMode)) }}
{{- end }}
{{- if and $prod (gt (float64 $values.tracing.samplingPercentage) (float64 $production.traceSamplingMaxPercent)) }}
{{- include "chartkit.values.fail" (dict "context" $ "message" (printf "tracing.samplingPercentage is %v: prod samples at most %v%% of requests" $values.tracing.samplingPercentage $production.traceSamplingMaxPercent)) }}
{{- end }}
{{- $pilot := $values.controlPlane.pilot }}
{{- /* Checked with autoscaling off too: both bounds reach the Istio resource, and turning autoscaling on later must not be what reveals them. */}}
{{- if gt (int $pilot.autoscaleMin) (int $pilot.autoscaleMax) }}
{{- include "chartkit.values.fail" (dict "context" $ "message" (printf "controlPlane.pilot.autoscaleMin (%d) must not exceed controlPlane.pilot.autoscaleMax (%d)" (int $pilot.autoscaleMin) (int $pilot.autoscaleMax))) }}
{{- end }}
{{- if and $prod (include "istio-mesh.mesh.sail" .) }}
{{- /* Only the Sail-rendered control plane carries these settings; with installer=none they are not ours to enforce. */}}
{{- if not $pilot.autoscaleEnabled }}
{{- include "chartkit.values.fail" (dict "context" $ "message" (printf "controlPlane.pilot.autoscaleEnabled is false: prod requires istiod autoscaled with at least %d replicas" (int $production.istiodMinReplicas))) }}
{{- end }}
{{- if lt (int $pilot.autoscaleMin) (int $production.istiodMinReplicas) }}
{{- include "chartkit.values.fail" (dict "context" $ "message" (printf "controlPlane.pilot.autoscaleMin is %d: prod requires at least %d istiod replicas" (int $pilot.autoscaleMin) (int $production.istiodMinReplicas))) }}
{{- end }}
{{- $memory := $values.controlPlane.proxy.resources.limits.memory }}
{{- if lt (include "chartkit.quantities.amount" $memory | float64) (float64 $production.proxyMemoryLimitMinBytes) }}
{{- include "chartkit.values.fail" (dict "context" $ "message" (printf "controlPlane.proxy.resources.limits.memory is %s: prod requires a proxy memory limit of at least %s" (toString $memory) $production.proxyMemoryLimitMin)) }}
{{- end }}
{{- if ne $values.controlPlane.updateStrategy.type $production.updateStrategy }}
{{- include "chartkit.values.fail" (dict "context" $ "message" (printf "controlPlane.updateStrategy.type is %s: prod requires %s upgrades" $values.controlPlane.updateStrategy.type $production.updateStrategy)) }}
{{- end }}
{{- end }}
{{- end -}}
