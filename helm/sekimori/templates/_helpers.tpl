{{/* Names and labels shared by every template. */}}

{{- define "sekimori.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Release name, plus the chart name unless the release name already contains it. */}}
{{- define "sekimori.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "sekimori.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Immutable once installed: the Deployment selector. Never add version labels here. */}}
{{- define "sekimori.selectorLabels" -}}
app.kubernetes.io/name: {{ include "sekimori.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "sekimori.commonLabels" -}}
helm.sh/chart: {{ include "sekimori.chart" . }}
{{ include "sekimori.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/part-of: sekimori
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "sekimori.labels" -}}
{{ include "sekimori.commonLabels" . }}
app.kubernetes.io/component: proxy
{{- end -}}

{{/* The admin Service (health, /metrics, playground): the ServiceMonitor selects it by
     this component label, so it never matches the proxy Service. */}}
{{- define "sekimori.adminLabels" -}}
{{ include "sekimori.commonLabels" . }}
app.kubernetes.io/component: admin
{{- end -}}

{{- define "sekimori.adminServiceName" -}}
{{- printf "%s-admin" (include "sekimori.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The Secret holding the playground's admin token: yours or the chart's. */}}
{{- define "sekimori.adminTokenSecretName" -}}
{{- if .Values.admin.token.existingSecret -}}
{{- .Values.admin.token.existingSecret -}}
{{- else -}}
{{- printf "%s-admin-token" (include "sekimori.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "sekimori.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "sekimori.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "sekimori.policyConfigMapName" -}}
{{- printf "%s-policy" (include "sekimori.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The policy file: policy.inline (a string), policy.config (YAML in values) or the default. */}}
{{- define "sekimori.policy" -}}
{{- if .Values.policy.inline -}}
{{- .Values.policy.inline -}}
{{- else if .Values.policy.config -}}
{{- toYaml .Values.policy.config -}}
{{- else -}}
{{- .Files.Get "files/default-policy.yaml" -}}
{{- end -}}
{{- end -}}

{{/* Where a Secret mounted as files (credentials.mountAsFiles) appears in the pod. */}}
{{- define "sekimori.secretsDir" -}}/etc/sekimori-secrets{{- end -}}

{{/* Fail early on values the schema cannot cross-check. */}}
{{- define "sekimori.validate" -}}
{{- $drain := 25 -}}
{{- if le (int .Values.terminationGracePeriodSeconds) (add (int .Values.preStopSleepSeconds) $drain | int) -}}
{{- fail (printf "terminationGracePeriodSeconds (%d) must exceed preStopSleepSeconds (%d) + the proxy's %d s drain" (int .Values.terminationGracePeriodSeconds) (int .Values.preStopSleepSeconds) $drain) -}}
{{- end -}}
{{- if and .Values.autoscaling.enabled (gt (int .Values.autoscaling.minReplicas) (int .Values.autoscaling.maxReplicas)) -}}
{{- fail "autoscaling.minReplicas must not exceed autoscaling.maxReplicas" -}}
{{- end -}}
{{- if and .Values.policy.inline .Values.policy.config -}}
{{- fail "set policy.inline or policy.config, not both" -}}
{{- end -}}
{{- if and .Values.admin.token.existingSecret .Values.admin.token.create -}}
{{- fail "set admin.token.existingSecret or admin.token.create, not both" -}}
{{- end -}}
{{- end -}}
