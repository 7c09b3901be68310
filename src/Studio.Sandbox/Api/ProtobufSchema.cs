namespace Studio.Sandbox.Api;

/// <summary>
/// Field numbers of the Kubernetes protobuf messages kubectl sends (from the <c>generated.proto</c> files of k8s.io/api and
/// k8s.io/apimachinery), as a table: <c>MESSAGE: NUMBER JSONNAME TYPE; ...</c>. Types: <c>s</c> string, <c>i</c> integer,
/// <c>b</c> bool, <c>y</c> bytes (base64 in JSON), <c>Time</c>, <c>Quantity</c>, <c>IntOrString</c>, <c>Raw</c> (embedded
/// JSON), a message name; <c>[T]</c> repeated, <c>{T}</c> map from string. A trailing <c>?</c> keeps zero values (a Go
/// pointer or a field without omitempty); other zero scalars are dropped, as Go's JSON encoding omits them. A name starting
/// with <c>@</c> is an embedded struct whose fields are inlined into the parent. Field numbers never change once released,
/// so newer fields a later kubectl sends are refused by name rather than misread.
/// </summary>
internal static class ProtobufSchema
{
    /// <summary>Top-level messages by <c>apiVersion/kind</c> where the kind alone is ambiguous, else by kind.</summary>
    public static string RootMessage(string? apiVersion, string? kind) => (apiVersion, kind) switch
    {
        ("autoscaling/v1", "HorizontalPodAutoscaler") => "HorizontalPodAutoscalerV1",
        ("autoscaling/v2", "HorizontalPodAutoscaler") => "HorizontalPodAutoscalerV2",
        _ => kind ?? "",
    };

    public const string Table = """
        ObjectMeta: 1 name s; 2 generateName s; 3 namespace s; 4 selfLink s; 5 uid s; 6 resourceVersion s; 7 generation i;
          8 creationTimestamp Time; 9 deletionTimestamp Time; 10 deletionGracePeriodSeconds i?; 11 labels {s}; 12 annotations {s};
          13 ownerReferences [OwnerReference]; 14 finalizers [s]; 17 managedFields [ManagedFieldsEntry]
        OwnerReference: 1 kind s; 3 name s; 4 uid s; 5 apiVersion s; 6 controller b?; 7 blockOwnerDeletion b?
        ManagedFieldsEntry: 1 manager s; 2 operation s; 3 apiVersion s; 4 time Time; 6 fieldsType s; 7 fieldsV1 Raw; 8 subresource s
        LabelSelector: 1 matchLabels {s}; 2 matchExpressions [LabelSelectorRequirement]
        LabelSelectorRequirement: 1 key s; 2 operator s; 3 values [s]
        Condition: 1 type s; 2 status s; 3 observedGeneration i; 4 lastTransitionTime Time; 5 reason s; 6 message s
        DeleteOptions: 1 gracePeriodSeconds i?; 2 preconditions Preconditions; 3 orphanDependents b?; 4 propagationPolicy s; 5 dryRun [s]
        Preconditions: 1 uid s; 2 resourceVersion s

        Namespace: 1 metadata ObjectMeta; 2 spec NamespaceSpec; 3 status NamespaceStatus
        NamespaceSpec: 1 finalizers [s]
        NamespaceStatus: 1 phase s
        ConfigMap: 1 metadata ObjectMeta; 2 data {s}; 3 binaryData {y}; 4 immutable b?
        Secret: 1 metadata ObjectMeta; 2 data {y}; 3 type s; 4 stringData {s}; 5 immutable b?
        ServiceAccount: 1 metadata ObjectMeta; 2 secrets [ObjectReference]; 3 imagePullSecrets [LocalObjectReference]; 4 automountServiceAccountToken b?
        ObjectReference: 1 kind s; 2 namespace s; 3 name s; 4 uid s; 5 apiVersion s; 6 resourceVersion s; 7 fieldPath s
        LocalObjectReference: 1 name s
        TypedLocalObjectReference: 1 apiGroup s; 2 kind s; 3 name s
        ResourceQuota: 1 metadata ObjectMeta; 2 spec ResourceQuotaSpec; 3 status ResourceQuotaStatus
        ResourceQuotaSpec: 1 hard {Quantity}; 2 scopes [s]; 3 scopeSelector ScopeSelector
        ScopeSelector: 1 matchExpressions [ScopedResourceSelectorRequirement]
        ScopedResourceSelectorRequirement: 1 scopeName s; 2 operator s; 3 values [s]
        ResourceQuotaStatus: 1 hard {Quantity}; 2 used {Quantity}
        Service: 1 metadata ObjectMeta; 2 spec ServiceSpec; 3 status ServiceStatus
        ServiceSpec: 1 ports [ServicePort]; 2 selector {s}; 3 clusterIP s; 4 type s; 5 externalIPs [s]; 7 sessionAffinity s;
          8 loadBalancerIP s; 9 loadBalancerSourceRanges [s]; 10 externalName s; 11 externalTrafficPolicy s; 12 healthCheckNodePort i;
          13 publishNotReadyAddresses b; 14 sessionAffinityConfig SessionAffinityConfig; 17 ipFamilyPolicy s; 18 clusterIPs [s];
          19 ipFamilies [s]; 20 allocateLoadBalancerNodePorts b?; 21 loadBalancerClass s; 22 internalTrafficPolicy s; 23 trafficDistribution s
        SessionAffinityConfig: 1 clientIP ClientIPConfig
        ClientIPConfig: 1 timeoutSeconds i?
        ServicePort: 1 name s; 2 protocol s; 3 port i?; 4 targetPort IntOrString; 5 nodePort i; 6 appProtocol s
        ServiceStatus: 1 loadBalancer LoadBalancerStatus; 2 conditions [Condition]
        LoadBalancerStatus: 1 ingress [LoadBalancerIngress]
        LoadBalancerIngress: 1 ip s; 2 hostname s; 3 ipMode s

        Pod: 1 metadata ObjectMeta; 2 spec PodSpec; 3 status PodStatus
        PodStatus: 1 phase s; 3 message s; 4 reason s
        PodTemplateSpec: 1 metadata ObjectMeta; 2 spec PodSpec
        PodSpec: 1 volumes [Volume]; 2 containers [Container]; 3 restartPolicy s; 4 terminationGracePeriodSeconds i?;
          5 activeDeadlineSeconds i?; 6 dnsPolicy s; 7 nodeSelector {s}; 8 serviceAccountName s; 9 serviceAccount s; 10 nodeName s;
          11 hostNetwork b; 12 hostPID b; 13 hostIPC b; 14 securityContext PodSecurityContext; 15 imagePullSecrets [LocalObjectReference];
          16 hostname s; 17 subdomain s; 18 affinity Affinity; 19 schedulerName s; 20 initContainers [Container];
          21 automountServiceAccountToken b?; 22 tolerations [Toleration]; 23 hostAliases [HostAlias]; 24 priorityClassName s;
          25 priority i?; 26 dnsConfig PodDNSConfig; 27 shareProcessNamespace b?; 28 readinessGates [PodReadinessGate];
          29 runtimeClassName s; 30 enableServiceLinks b?; 31 preemptionPolicy s; 32 overhead {Quantity};
          33 topologySpreadConstraints [TopologySpreadConstraint]; 35 setHostnameAsFQDN b?; 36 os PodOS; 37 hostUsers b?;
          38 schedulingGates [PodSchedulingGate]
        Container: 1 name s; 2 image s; 3 command [s]; 4 args [s]; 5 workingDir s; 6 ports [ContainerPort]; 7 env [EnvVar];
          8 resources ResourceRequirements; 9 volumeMounts [VolumeMount]; 10 livenessProbe Probe; 11 readinessProbe Probe;
          12 lifecycle Lifecycle; 13 terminationMessagePath s; 14 imagePullPolicy s; 15 securityContext SecurityContext; 16 stdin b;
          17 stdinOnce b; 18 tty b; 19 envFrom [EnvFromSource]; 20 terminationMessagePolicy s; 21 volumeDevices [VolumeDevice];
          22 startupProbe Probe; 23 resizePolicy [ContainerResizePolicy]; 24 restartPolicy s
        ContainerPort: 1 name s; 2 hostPort i; 3 containerPort i?; 4 protocol s; 5 hostIP s
        EnvVar: 1 name s; 2 value s; 3 valueFrom EnvVarSource
        EnvVarSource: 1 fieldRef ObjectFieldSelector; 2 resourceFieldRef ResourceFieldSelector; 3 configMapKeyRef ConfigMapKeySelector;
          4 secretKeyRef SecretKeySelector
        ObjectFieldSelector: 1 apiVersion s; 2 fieldPath s
        ResourceFieldSelector: 1 containerName s; 2 resource s; 3 divisor Quantity
        ConfigMapKeySelector: 1 @localObjectReference LocalObjectReference; 2 key s; 3 optional b?
        SecretKeySelector: 1 @localObjectReference LocalObjectReference; 2 key s; 3 optional b?
        EnvFromSource: 1 prefix s; 2 configMapRef ConfigMapEnvSource; 3 secretRef SecretEnvSource
        ConfigMapEnvSource: 1 @localObjectReference LocalObjectReference; 2 optional b?
        SecretEnvSource: 1 @localObjectReference LocalObjectReference; 2 optional b?
        ResourceRequirements: 1 limits {Quantity}; 2 requests {Quantity}; 3 claims [ResourceClaim]
        ResourceClaim: 1 name s; 2 request s
        VolumeMount: 1 name s; 2 readOnly b; 3 mountPath s; 4 subPath s; 5 mountPropagation s; 6 subPathExpr s; 7 recursiveReadOnly s
        VolumeDevice: 1 name s; 2 devicePath s
        ContainerResizePolicy: 1 resourceName s; 2 restartPolicy s
        Probe: 1 @handler ProbeHandler; 2 initialDelaySeconds i; 3 timeoutSeconds i; 4 periodSeconds i; 5 successThreshold i;
          6 failureThreshold i; 7 terminationGracePeriodSeconds i?
        ProbeHandler: 1 exec ExecAction; 2 httpGet HTTPGetAction; 3 tcpSocket TCPSocketAction; 4 grpc GRPCAction
        ExecAction: 1 command [s]
        HTTPGetAction: 1 path s; 2 port IntOrString; 3 host s; 4 scheme s; 5 httpHeaders [HTTPHeader]
        HTTPHeader: 1 name s; 2 value s?
        TCPSocketAction: 1 port IntOrString; 2 host s
        GRPCAction: 1 port i?; 2 service s
        Lifecycle: 1 postStart LifecycleHandler; 2 preStop LifecycleHandler; 3 stopSignal s
        LifecycleHandler: 1 exec ExecAction; 2 httpGet HTTPGetAction; 3 tcpSocket TCPSocketAction; 4 sleep SleepAction
        SleepAction: 1 seconds i?
        SecurityContext: 1 capabilities Capabilities; 2 privileged b?; 3 seLinuxOptions SELinuxOptions; 4 runAsUser i?;
          5 runAsNonRoot b?; 6 readOnlyRootFilesystem b?; 7 allowPrivilegeEscalation b?; 8 runAsGroup i?; 9 procMount s;
          11 seccompProfile SeccompProfile; 12 appArmorProfile AppArmorProfile
        Capabilities: 1 add [s]; 2 drop [s]
        SELinuxOptions: 1 user s; 2 role s; 3 type s; 4 level s
        SeccompProfile: 1 type s; 2 localhostProfile s
        AppArmorProfile: 1 type s; 2 localhostProfile s
        PodSecurityContext: 1 seLinuxOptions SELinuxOptions; 2 runAsUser i?; 3 runAsNonRoot b?; 4 supplementalGroups [i];
          5 fsGroup i?; 6 runAsGroup i?; 7 sysctls [Sysctl]; 9 fsGroupChangePolicy s; 10 seccompProfile SeccompProfile;
          11 appArmorProfile AppArmorProfile; 12 supplementalGroupsPolicy s
        Sysctl: 1 name s; 2 value s?
        Toleration: 1 key s; 2 operator s; 3 value s; 4 effect s; 5 tolerationSeconds i?
        HostAlias: 1 ip s; 2 hostnames [s]
        PodDNSConfig: 1 nameservers [s]; 2 searches [s]; 3 options [PodDNSConfigOption]
        PodDNSConfigOption: 1 name s; 2 value s
        PodReadinessGate: 1 conditionType s
        PodOS: 1 name s
        PodSchedulingGate: 1 name s
        TopologySpreadConstraint: 1 maxSkew i?; 2 topologyKey s; 3 whenUnsatisfiable s; 4 labelSelector LabelSelector; 5 minDomains i?;
          6 nodeAffinityPolicy s; 7 nodeTaintsPolicy s; 8 matchLabelKeys [s]
        Affinity: 1 nodeAffinity NodeAffinity; 2 podAffinity PodAffinity; 3 podAntiAffinity PodAffinity
        NodeAffinity: 1 requiredDuringSchedulingIgnoredDuringExecution NodeSelector;
          2 preferredDuringSchedulingIgnoredDuringExecution [PreferredSchedulingTerm]
        NodeSelector: 1 nodeSelectorTerms [NodeSelectorTerm]
        NodeSelectorTerm: 1 matchExpressions [NodeSelectorRequirement]; 2 matchFields [NodeSelectorRequirement]
        NodeSelectorRequirement: 1 key s; 2 operator s; 3 values [s]
        PreferredSchedulingTerm: 1 weight i?; 2 preference NodeSelectorTerm
        PodAffinity: 1 requiredDuringSchedulingIgnoredDuringExecution [PodAffinityTerm];
          2 preferredDuringSchedulingIgnoredDuringExecution [WeightedPodAffinityTerm]
        PodAffinityTerm: 1 labelSelector LabelSelector; 2 namespaces [s]; 3 topologyKey s; 4 namespaceSelector LabelSelector;
          5 matchLabelKeys [s]; 6 mismatchLabelKeys [s]
        WeightedPodAffinityTerm: 1 weight i?; 2 podAffinityTerm PodAffinityTerm
        Volume: 1 name s; 2 @volumeSource VolumeSource
        VolumeSource: 1 hostPath HostPathVolumeSource; 2 emptyDir EmptyDirVolumeSource; 6 secret SecretVolumeSource;
          10 persistentVolumeClaim PersistentVolumeClaimVolumeSource; 16 downwardAPI DownwardAPIVolumeSource;
          19 configMap ConfigMapVolumeSource; 26 projected ProjectedVolumeSource
        HostPathVolumeSource: 1 path s; 2 type s
        EmptyDirVolumeSource: 1 medium s; 2 sizeLimit Quantity
        SecretVolumeSource: 1 secretName s; 2 items [KeyToPath]; 3 defaultMode i?; 4 optional b?
        ConfigMapVolumeSource: 1 @localObjectReference LocalObjectReference; 2 items [KeyToPath]; 3 defaultMode i?; 4 optional b?
        KeyToPath: 1 key s; 2 path s; 3 mode i?
        PersistentVolumeClaimVolumeSource: 1 claimName s; 2 readOnly b
        DownwardAPIVolumeSource: 1 items [DownwardAPIVolumeFile]; 2 defaultMode i?
        DownwardAPIVolumeFile: 1 path s; 2 fieldRef ObjectFieldSelector; 3 resourceFieldRef ResourceFieldSelector; 4 mode i?
        ProjectedVolumeSource: 1 sources [VolumeProjection]; 2 defaultMode i?
        VolumeProjection: 1 secret SecretProjection; 2 downwardAPI DownwardAPIProjection; 3 configMap ConfigMapProjection;
          4 serviceAccountToken ServiceAccountTokenProjection
        SecretProjection: 1 @localObjectReference LocalObjectReference; 2 items [KeyToPath]; 4 optional b?
        ConfigMapProjection: 1 @localObjectReference LocalObjectReference; 2 items [KeyToPath]; 4 optional b?
        DownwardAPIProjection: 1 items [DownwardAPIVolumeFile]
        ServiceAccountTokenProjection: 1 audience s; 2 expirationSeconds i?; 3 path s

        Job: 1 metadata ObjectMeta; 2 spec JobSpec; 3 status JobStatus
        JobSpec: 1 parallelism i?; 2 completions i?; 3 activeDeadlineSeconds i?; 4 selector LabelSelector; 5 manualSelector b?;
          6 template PodTemplateSpec; 7 backoffLimit i?; 8 ttlSecondsAfterFinished i?; 9 completionMode s; 10 suspend b?;
          12 backoffLimitPerIndex i?; 13 maxFailedIndexes i?; 14 podReplacementPolicy s; 15 managedBy s
        JobStatus: 1 conditions [JobCondition]; 2 startTime Time; 3 completionTime Time; 4 active i; 5 succeeded i; 6 failed i;
          7 completedIndexes s; 9 ready i?; 10 failedIndexes s; 11 terminating i?
        JobCondition: 1 type s; 2 status s; 3 lastProbeTime Time; 4 lastTransitionTime Time; 5 reason s; 6 message s
        CronJob: 1 metadata ObjectMeta; 2 spec CronJobSpec; 3 status CronJobStatus
        CronJobSpec: 1 schedule s; 2 startingDeadlineSeconds i?; 3 concurrencyPolicy s; 4 suspend b?; 5 jobTemplate JobTemplateSpec;
          6 successfulJobsHistoryLimit i?; 7 failedJobsHistoryLimit i?; 8 timeZone s
        JobTemplateSpec: 1 metadata ObjectMeta; 2 spec JobSpec
        CronJobStatus: 1 active [ObjectReference]; 4 lastScheduleTime Time; 5 lastSuccessfulTime Time

        Deployment: 1 metadata ObjectMeta; 2 spec DeploymentSpec; 3 status DeploymentStatus
        DeploymentSpec: 1 replicas i?; 2 selector LabelSelector; 3 template PodTemplateSpec; 4 strategy DeploymentStrategy;
          5 minReadySeconds i; 6 revisionHistoryLimit i?; 7 paused b; 9 progressDeadlineSeconds i?
        DeploymentStrategy: 1 type s; 2 rollingUpdate RollingUpdateDeployment
        RollingUpdateDeployment: 1 maxUnavailable IntOrString; 2 maxSurge IntOrString
        DeploymentStatus: 1 observedGeneration i; 2 replicas i; 3 updatedReplicas i; 4 availableReplicas i; 5 unavailableReplicas i;
          6 conditions [DeploymentCondition]; 7 readyReplicas i; 8 collisionCount i?; 9 terminatingReplicas i?
        DeploymentCondition: 1 type s; 2 status s; 4 reason s; 5 message s; 6 lastUpdateTime Time; 7 lastTransitionTime Time

        Role: 1 metadata ObjectMeta; 2 rules [PolicyRule]
        ClusterRole: 1 metadata ObjectMeta; 2 rules [PolicyRule]; 3 aggregationRule AggregationRule
        PolicyRule: 1 verbs [s]; 2 apiGroups [s]; 3 resources [s]; 4 resourceNames [s]; 5 nonResourceURLs [s]
        AggregationRule: 1 clusterRoleSelectors [LabelSelector]
        RoleBinding: 1 metadata ObjectMeta; 2 subjects [Subject]; 3 roleRef RoleRef
        ClusterRoleBinding: 1 metadata ObjectMeta; 2 subjects [Subject]; 3 roleRef RoleRef
        Subject: 1 kind s; 2 apiGroup s; 3 name s; 4 namespace s
        RoleRef: 1 apiGroup s; 2 kind s; 3 name s

        PriorityClass: 1 metadata ObjectMeta; 2 value i?; 3 globalDefault b; 4 description s; 5 preemptionPolicy s

        PodDisruptionBudget: 1 metadata ObjectMeta; 2 spec PodDisruptionBudgetSpec; 3 status PodDisruptionBudgetStatus
        PodDisruptionBudgetSpec: 1 minAvailable IntOrString; 2 selector LabelSelector; 3 maxUnavailable IntOrString;
          4 unhealthyPodEvictionPolicy s
        PodDisruptionBudgetStatus: 1 observedGeneration i; 2 disruptedPods {Time}; 3 disruptionsAllowed i?; 4 currentHealthy i?;
          5 desiredHealthy i?; 6 expectedPods i?; 7 conditions [Condition]
        Eviction: 1 metadata ObjectMeta; 2 deleteOptions DeleteOptions

        Ingress: 1 metadata ObjectMeta; 2 spec IngressSpec; 3 status IngressStatus
        IngressSpec: 1 defaultBackend IngressBackend; 2 tls [IngressTLS]; 3 rules [IngressRule]; 4 ingressClassName s
        IngressBackend: 3 resource TypedLocalObjectReference; 4 service IngressServiceBackend
        IngressServiceBackend: 1 name s; 2 port ServiceBackendPort
        ServiceBackendPort: 1 name s; 2 number i
        IngressTLS: 1 hosts [s]; 2 secretName s
        IngressRule: 1 host s; 2 @ingressRuleValue IngressRuleValue
        IngressRuleValue: 1 http HTTPIngressRuleValue
        HTTPIngressRuleValue: 1 paths [HTTPIngressPath]
        HTTPIngressPath: 1 path s; 2 backend IngressBackend; 3 pathType s
        IngressStatus: 1 loadBalancer IngressLoadBalancerStatus
        IngressLoadBalancerStatus: 1 ingress [IngressLoadBalancerIngress]
        IngressLoadBalancerIngress: 1 ip s; 2 hostname s
        IngressClass: 1 metadata ObjectMeta; 2 spec IngressClassSpec
        IngressClassSpec: 1 controller s; 2 parameters IngressClassParametersReference
        IngressClassParametersReference: 1 apiGroup s; 2 kind s; 3 name s; 4 scope s; 5 namespace s

        HorizontalPodAutoscalerV1: 1 metadata ObjectMeta; 2 spec HorizontalPodAutoscalerSpecV1; 3 status HorizontalPodAutoscalerStatusV1
        HorizontalPodAutoscalerSpecV1: 1 scaleTargetRef CrossVersionObjectReference; 2 minReplicas i?; 3 maxReplicas i?;
          4 targetCPUUtilizationPercentage i?
        HorizontalPodAutoscalerStatusV1: 1 observedGeneration i?; 2 lastScaleTime Time; 3 currentReplicas i?; 4 desiredReplicas i?;
          5 currentCPUUtilizationPercentage i?
        CrossVersionObjectReference: 1 kind s; 2 name s; 3 apiVersion s
        HorizontalPodAutoscalerV2: 1 metadata ObjectMeta; 2 spec HorizontalPodAutoscalerSpecV2; 3 status HorizontalPodAutoscalerStatusV2
        HorizontalPodAutoscalerSpecV2: 1 scaleTargetRef CrossVersionObjectReference; 2 minReplicas i?; 3 maxReplicas i?;
          4 metrics [MetricSpec]
        MetricSpec: 1 type s; 4 resource ResourceMetricSource; 7 containerResource ContainerResourceMetricSource
        ResourceMetricSource: 1 name s; 2 target MetricTarget
        ContainerResourceMetricSource: 1 name s; 2 target MetricTarget; 3 container s
        MetricTarget: 1 type s; 2 value Quantity; 3 averageValue Quantity; 4 averageUtilization i?
        HorizontalPodAutoscalerStatusV2: 1 observedGeneration i?; 2 lastScaleTime Time; 3 currentReplicas i?; 4 desiredReplicas i?
        """;
}
