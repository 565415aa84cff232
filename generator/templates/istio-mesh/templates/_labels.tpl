{{/*
Labels of every object of the chart ("chartkit.labels.standard" with the chart's own set); `name` is
the object's own name, cut at 63 characters (a label value's limit).
Usage:
{{- include "istio-mesh.labels.standard" (dict "context" $ "name" "default") | nindent 4 }}
*/}}
{{- define "istio-mesh.labels.standard" -}}
{{- include "chartkit.labels.standard" (dict "context" .context "name" (.name | trunc 63 | trimSuffix "-") "component" "mesh" "partOf" "restaurant-platform" "plain" (list "app.kubernetes.io/component" "app.kubernetes.io/part-of")) }}
{{- end -}}

{{/*
The label keys the chart writes itself, as a JSON list: its own labels, the mesh enrolment labels
and Pod Security's. commonLabels and namespaces.labels must not set them ("chartkit.validate.labels"
reads this list by its name): the key would be written twice in one map, or a namespace's
enrolment or Pod Security level silently replaced.
Usage:
{{- $reserved := include "istio-mesh.labels.reserved" $ | fromJsonArray }}
*/}}
{{- define "istio-mesh.labels.reserved" -}}
{{- $own := include "chartkit.labels.own" (dict "context" . "name" "x" "component" "mesh" "partOf" "restaurant-platform") | fromYaml }}
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
{{- range $key, $value := include "istio-mesh.labels.enrolment" . | fromYaml }}{{ $_ := set $labels $key $value }}{{ end }}
{{- with .podSecurity }}{{ $_ := set $labels "pod-security.kubernetes.io/enforce" . }}{{ end }}
{{- range $key, $value := .context.Values.namespaces.labels }}{{ $_ := set $labels $key $value }}{{ end }}
{{- toYaml $labels }}
{{- end -}}

{{/*
The label that enrols a namespace's pods in the mesh: the revision tag (istio.io/rev) when one is
rendered, else the default injector (istio-injection), or the ambient data plane.
Usage:
{{- include "istio-mesh.labels.enrolment" (dict "context" $ "ambient" true) | nindent 4 }}
*/}}
{{- define "istio-mesh.labels.enrolment" -}}
{{- $values := .context.Values }}
{{- if .ambient }}
istio.io/dataplane-mode: ambient
{{- else if and (include "istio-mesh.mesh.sail" .context) (eq $values.controlPlane.updateStrategy.type "RevisionBased") $values.controlPlane.revisionTag }}
istio.io/rev: {{ $values.controlPlane.revisionTag | quote }}
{{- else }}
istio-injection: enabled
{{- end }}
{{- end -}}
