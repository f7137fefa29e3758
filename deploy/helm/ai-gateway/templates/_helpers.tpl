{{/* The chart's name, cut to the 63 characters of a label value. */}}
{{- define "ai-gateway.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Release-qualified name of every object; the component (gateway, worker) is appended. */}}
{{- define "ai-gateway.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "ai-gateway.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "ai-gateway.selectorLabels" . }}
app.kubernetes.io/version: {{ include "ai-gateway.version" . | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Add `app.kubernetes.io/component` beside these in each workload's selector. */}}
{{- define "ai-gateway.selectorLabels" -}}
app.kubernetes.io/name: {{ include "ai-gateway.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "ai-gateway.version" -}}
{{- .Values.image.tag | default .Chart.AppVersion }}
{{- end }}

{{- define "ai-gateway.image" -}}
{{- printf "%s:%s" .Values.image.repository (include "ai-gateway.version" .) }}
{{- end }}

{{/* The Secret the pods read their environment from: yours, or the chart's. */}}
{{- define "ai-gateway.secretName" -}}
{{- .Values.existingSecret | default (include "ai-gateway.fullname" .) }}
{{- end }}

{{/* Pod annotations shared by the gateway and the worker. */}}
{{- define "ai-gateway.podAnnotations" -}}
{{- if .Values.rollOnConfigChange }}
checksum/config: {{ include (print $.Template.BasePath "/configmap.yaml") . | sha256sum }}
{{- end }}
{{- if not .Values.existingSecret }}
checksum/secret: {{ include (print $.Template.BasePath "/secret.yaml") . | sha256sum }}
{{- end }}
{{- with .Values.podAnnotations }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* Environment shared by the gateway and the worker; keys and URLs come from the Secret. */}}
{{- define "ai-gateway.env" -}}
- name: NODE_ENV
  value: production
- name: AI_GATEWAY_CONFIG
  value: /config/gateway.yaml
{{- range $name, $value := .Values.extraEnv }}
- name: {{ $name }}
  value: {{ $value | quote }}
{{- end }}
{{- end }}

{{- define "ai-gateway.envFrom" -}}
- secretRef:
    name: {{ include "ai-gateway.secretName" . }}
{{- end }}

{{/* The config file and the writable emptyDirs; the root filesystem is read-only. */}}
{{- define "ai-gateway.volumeMounts" -}}
- name: config
  mountPath: /config
  readOnly: true
- name: data
  mountPath: /app/data
- name: tmp
  mountPath: /tmp
{{- end }}

{{- define "ai-gateway.volumes" -}}
- name: config
  configMap:
    name: {{ include "ai-gateway.fullname" . }}
- name: data
  emptyDir: {}
- name: tmp
  emptyDir: {}
{{- end }}

{{/* Refuses values that would be silently ignored. */}}
{{- define "ai-gateway.validate" -}}
{{- if and .Values.existingSecret (or .Values.redisUrl .Values.databaseUrl) }}
{{- fail "redisUrl and databaseUrl are ignored with existingSecret: put REDIS_URL and DATABASE_URL into that Secret" }}
{{- end }}
{{- end }}
