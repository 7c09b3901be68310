{{- define "studio.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "studio.fullname" -}}
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

{{- define "studio.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "studio.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "studio.selectorLabels" -}}
app.kubernetes.io/name: {{ include "studio.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: studio
{{- end -}}

{{- define "studio.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "studio.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The Secret holding the database connection string. */}}
{{- define "studio.databaseSecret" -}}
{{- default (printf "%s-database" (include "studio.fullname" .)) .Values.database.existingSecret -}}
{{- end -}}

{{- define "studio.redisSecret" -}}
{{- default (printf "%s-redis" (include "studio.fullname" .)) .Values.redis.existingSecret -}}
{{- end -}}

{{- define "studio.authSecret" -}}
{{- default (printf "%s-auth" (include "studio.fullname" .)) .Values.auth.existingSecret -}}
{{- end -}}

{{- define "studio.hasRedis" -}}
{{- if or .Values.redis.configuration .Values.redis.existingSecret .Values.redis.bundled.enabled -}}true{{- end -}}
{{- end -}}

{{- define "studio.hasAuthSecret" -}}
{{- if or .Values.auth.existingSecret .Values.auth.oidc.clientSecret .Values.auth.entra.clientSecret -}}true{{- end -}}
{{- end -}}

{{/* The bundled PostgreSQL's password: the existing Secret's (kept across upgrades), the value, or a new random one. */}}
{{- define "studio.bundledPassword" -}}
{{- $secret := lookup "v1" "Secret" .Release.Namespace (printf "%s-postgresql" (include "studio.fullname" .)) -}}
{{- if .Values.database.bundled.password -}}
{{- .Values.database.bundled.password -}}
{{- else if and $secret $secret.data (index $secret.data "password") -}}
{{- index $secret.data "password" | b64dec -}}
{{- else -}}
{{- randAlphaNum 24 -}}
{{- end -}}
{{- end -}}
