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
{{- if and (include "istio-mesh.mesh.sail" .) (eq $cp.updateStrategy.type "RevisionBased") $cp.revisionTag }}
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
