namespace Studio.Sandbox.Resources;

/// <summary>The built-in kinds the sandbox serves.</summary>
internal static class BuiltInResources
{
    public static IReadOnlyList<ResourceType> All { get; } =
    [
        Core("namespaces", "namespace", "Namespace", false, ["ns"], status: true, label: true, generation: false),
        Core("nodes", "node", "Node", false, ["no"], status: true),
        Core("pods", "pod", "Pod", true, ["po"], status: true, log: true, categories: ["all"]),
        Core("services", "service", "Service", true, ["svc"], status: true, label: true, categories: ["all"]),
        Core("endpoints", "endpoints", "Endpoints", true, ["ep"], generation: false),
        Core("events", "event", "Event", true, ["ev"], generation: false),
        Core("configmaps", "configmap", "ConfigMap", true, ["cm"], generation: false),
        Core("secrets", "secret", "Secret", true, [], generation: false),
        Core("serviceaccounts", "serviceaccount", "ServiceAccount", true, ["sa"], generation: false),
        Core("resourcequotas", "resourcequota", "ResourceQuota", true, ["quota"], status: true),
        Core("limitranges", "limitrange", "LimitRange", true, ["limits"]),
        Core("persistentvolumeclaims", "persistentvolumeclaim", "PersistentVolumeClaim", true, ["pvc"], status: true),
        Make("apps", "v1", "deployments", "deployment", "Deployment", true, ["deploy"], status: true, scale: true, categories: ["all"]),
        Make("apps", "v1", "replicasets", "replicaset", "ReplicaSet", true, ["rs"], status: true, scale: true, categories: ["all"]),
        Make("batch", "v1", "jobs", "job", "Job", true, [], status: true, categories: ["all"]),
        Make("batch", "v1", "cronjobs", "cronjob", "CronJob", true, ["cj"], status: true, categories: ["all"]),
        Make("policy", "v1", "poddisruptionbudgets", "poddisruptionbudget", "PodDisruptionBudget", true, ["pdb"], status: true),
        Make("networking.k8s.io", "v1", "networkpolicies", "networkpolicy", "NetworkPolicy", true, ["netpol"]),
        Make("networking.k8s.io", "v1", "ingresses", "ingress", "Ingress", true, ["ing"], status: true),
        Make("networking.k8s.io", "v1", "ingressclasses", "ingressclass", "IngressClass", false, []),
        Make("autoscaling", "v2", "horizontalpodautoscalers", "horizontalpodautoscaler", "HorizontalPodAutoscaler", true, ["hpa"], status: true, categories: ["all"]),
        Api.VersionConversion.HpaV1,
        Make("rbac.authorization.k8s.io", "v1", "roles", "role", "Role", true, [], generation: false),
        Make("rbac.authorization.k8s.io", "v1", "rolebindings", "rolebinding", "RoleBinding", true, [], generation: false),
        Make("rbac.authorization.k8s.io", "v1", "clusterroles", "clusterrole", "ClusterRole", false, [], generation: false),
        Make("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "clusterrolebinding", "ClusterRoleBinding", false, [], generation: false),
        Make("coordination.k8s.io", "v1", "leases", "lease", "Lease", true, [], generation: false),
        Make("scheduling.k8s.io", "v1", "priorityclasses", "priorityclass", "PriorityClass", false, ["pc"], generation: false),
        Make("events.k8s.io", "v1", "events", "event", "Event", true, ["ev"], generation: false),
        Make("authorization.k8s.io", "v1", "selfsubjectaccessreviews", "selfsubjectaccessreview", "SelfSubjectAccessReview", false, [], generation: false) with { Verbs = ["create"] },
        Make("authorization.k8s.io", "v1", "selfsubjectrulesreviews", "selfsubjectrulesreview", "SelfSubjectRulesReview", false, [], generation: false) with { Verbs = ["create"] },
        Make("authorization.k8s.io", "v1", "subjectaccessreviews", "subjectaccessreview", "SubjectAccessReview", false, [], generation: false) with { Verbs = ["create"] },
        Make("authentication.k8s.io", "v1", "selfsubjectreviews", "selfsubjectreview", "SelfSubjectReview", false, [], generation: false) with { Verbs = ["create"] },
        Make("apiextensions.k8s.io", "v1", "customresourcedefinitions", "customresourcedefinition", "CustomResourceDefinition", false, ["crd", "crds"], status: true),
        .. Api.MetricsApi.Types,
    ];

    private static ResourceType Core(string plural, string singular, string kind, bool namespaced, string[] shortNames,
        bool status = false, bool log = false, bool label = false, bool generation = true, string[]? categories = null) =>
        Make("", "v1", plural, singular, kind, namespaced, shortNames, status, false, log, label, generation, categories);

    private static ResourceType Make(string group, string version, string plural, string singular, string kind, bool namespaced,
        string[] shortNames, bool status = false, bool scale = false, bool log = false, bool label = false, bool generation = true,
        string[]? categories = null) => new()
        {
            Group = group,
            Version = version,
            Plural = plural,
            Singular = singular,
            Kind = kind,
            Namespaced = namespaced,
            ShortNames = shortNames,
            HasStatus = status,
            HasScale = scale,
            HasLog = log,
            LabelName = label,
            HasGeneration = generation && (status || kind is "LimitRange" or "NetworkPolicy" or "IngressClass"),
            Categories = categories ?? [],
        };
}
