using k8s.Models;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Kubernetes;

namespace Studio.Infrastructure.Compute;

/// <summary>Builds the Kubernetes objects of the Studio extension and of a compute target's namespace.</summary>
public static class ExtensionManifests
{
    public const string SystemNamespace = "studio-system";
    public const string ServiceAccountName = "studio";
    public const string ClusterRoleName = "studio-extension";
    public const string SettingsConfigMapName = "studio-extension-settings";
    public const string RouterServiceName = "studio-inference-router";
    public const string QuotaName = "studio-quota";
    public const string ComputeRoleBindingName = "studio-compute";
    public const string InstanceTypeGroup = "amlarc.azureml.com";
    public const string InstanceTypeVersion = "v1alpha1";
    public const string InstanceTypePlural = "instancetypes";
    public const string InstanceTypeCrdName = InstanceTypePlural + "." + InstanceTypeGroup;
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";
    public const string ManagedBy = "studio";
    public const string ComputeLabel = "studio.io/compute";
    public const string PodSecurityEnforceLabel = "pod-security.kubernetes.io/enforce";

    /// <summary>The label value of a Pod Security Standard (<c>restricted</c>, <c>baseline</c>).</summary>
    public static string PodSecurityValue(PodSecurityLevel level) => level == PodSecurityLevel.Baseline ? "baseline" : "restricted";

    /// <summary>
    /// A Kubernetes quantity greater than zero (RE2 syntax, no lookahead, as the API server runs it): a number with at least
    /// one non-zero digit, then a binary-SI, decimal-SI or exponent suffix. Rejects "0", "0m", "", "-1", "2GB".
    /// </summary>
    public const string PositiveQuantityPattern = @"^\+?(0*[1-9][0-9]*(\.[0-9]*)?|0*\.[0-9]*[1-9][0-9]*)([eE][+-]?[0-9]+|[KMGTPE]i|[numkMGTPE])?$";

    /// <summary>The extension's objects in apply order (namespace and CRD before what lives in or depends on them).</summary>
    public static IReadOnlyList<ManifestObject> Extension(ExtensionSettings settings)
    {
        var labels = Labels();
        var objects = new List<ManifestObject>
        {
            new("v1", "Namespace", null, SystemNamespace, new V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new V1ObjectMeta { Name = SystemNamespace, Labels = labels } }),
            new("apiextensions.k8s.io/v1", "CustomResourceDefinition", null, InstanceTypeCrdName, InstanceTypeCrd()),
            new("v1", "ServiceAccount", SystemNamespace, ServiceAccountName, new V1ServiceAccount { ApiVersion = "v1", Kind = "ServiceAccount", Metadata = Meta(ServiceAccountName, SystemNamespace) }),
            new("rbac.authorization.k8s.io/v1", "ClusterRole", null, ClusterRoleName, ClusterRole()),
            new("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", null, ClusterRoleName, new V1ClusterRoleBinding
            {
                ApiVersion = "rbac.authorization.k8s.io/v1",
                Kind = "ClusterRoleBinding",
                Metadata = Meta(ClusterRoleName, null),
                RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = ClusterRoleName },
                Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = ServiceAccountName, NamespaceProperty = SystemNamespace }],
            }),
            new("v1", "ConfigMap", SystemNamespace, SettingsConfigMapName, new V1ConfigMap { ApiVersion = "v1", Kind = "ConfigMap", Metadata = Meta(SettingsConfigMapName, SystemNamespace), Data = settings.ToData() }),
        };

        if (settings.EnableInference)
        {
            objects.Add(new("v1", "Service", SystemNamespace, RouterServiceName, new V1Service
            {
                ApiVersion = "v1",
                Kind = "Service",
                Metadata = Meta(RouterServiceName, SystemNamespace),
                Spec = new V1ServiceSpec
                {
                    Type = settings.InferenceRouterServiceType.ToString(),
                    Selector = new Dictionary<string, string> { ["app"] = RouterServiceName },
                    Ports = [new V1ServicePort { Port = settings.AllowInsecureConnections ? 80 : 443, Name = settings.AllowInsecureConnections ? "http" : "https", Protocol = "TCP", TargetPort = 5001 }],
                },
            }));
        }

        objects.Add(new($"{InstanceTypeGroup}/{InstanceTypeVersion}", "InstanceType", null, ComputeTarget.DefaultInstanceTypeName, DefaultInstanceType()));
        return objects;
    }

    /// <summary>A compute target's objects: its namespace (only when Studio creates it), the quota, and the extension's access there.</summary>
    /// <remarks>
    /// The namespace is labelled with the Pod Security Standard the cluster enforces there (<see cref="PodSecurityEnforceLabel"/>
    /// = <paramref name="podSecurity"/>, version latest) whether Studio created it or not: on an existing namespace
    /// Studio's server-side apply owns only those labels.
    /// </remarks>
    public static IReadOnlyList<ManifestObject> Compute(string workspace, string compute, string @namespace, NamespaceQuota? quota, bool createNamespace, PodSecurityLevel podSecurity = PodSecurityLevel.Restricted)
    {
        var objects = new List<ManifestObject>();
        var labels = createNamespace ? Labels() : new Dictionary<string, string>(StringComparer.Ordinal);
        if (createNamespace)
        {
            labels[ComputeLabel] = $"{workspace}.{compute}".Length <= 63 ? $"{workspace}.{compute}" : compute;
        }

        labels[PodSecurityEnforceLabel] = PodSecurityValue(podSecurity);
        labels[PodSecurityEnforceLabel + "-version"] = "latest";
        objects.Add(new("v1", "Namespace", null, @namespace, new V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new V1ObjectMeta { Name = @namespace, Labels = labels } }));

        objects.Add(new("rbac.authorization.k8s.io/v1", "RoleBinding", @namespace, ComputeRoleBindingName, new V1RoleBinding
        {
            ApiVersion = "rbac.authorization.k8s.io/v1",
            Kind = "RoleBinding",
            Metadata = Meta(ComputeRoleBindingName, @namespace),
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = ClusterRoleName },
            Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = ServiceAccountName, NamespaceProperty = SystemNamespace }],
        }));

        if (quota is { IsEmpty: false })
        {
            var hard = new Dictionary<string, ResourceQuantity>();
            if (quota.Cpu is not null)
            {
                hard["requests.cpu"] = new ResourceQuantity(quota.Cpu);
            }

            if (quota.Memory is not null)
            {
                hard["requests.memory"] = new ResourceQuantity(quota.Memory);
            }

            if (quota.Gpu is not null)
            {
                hard["requests.nvidia.com/gpu"] = new ResourceQuantity(quota.Gpu.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            objects.Add(new("v1", "ResourceQuota", @namespace, QuotaName, new V1ResourceQuota { ApiVersion = "v1", Kind = "ResourceQuota", Metadata = Meta(QuotaName, @namespace), Spec = new V1ResourceQuotaSpec { Hard = hard } }));
        }

        return objects;
    }

    /// <summary>Azure ML's current default instance type: requests 100m / 2Gi, limits 2 CPU / 2Gi, any node (reference §1.3).</summary>
    public static Dictionary<string, object> DefaultInstanceType() => new()
    {
        ["apiVersion"] = $"{InstanceTypeGroup}/{InstanceTypeVersion}",
        ["kind"] = "InstanceType",
        ["metadata"] = new Dictionary<string, object> { ["name"] = ComputeTarget.DefaultInstanceTypeName, ["labels"] = Labels() },
        ["spec"] = new Dictionary<string, object>
        {
            ["resources"] = new Dictionary<string, object>
            {
                ["requests"] = new Dictionary<string, object> { ["cpu"] = "100m", ["memory"] = "2Gi" },
                ["limits"] = new Dictionary<string, object> { ["cpu"] = "2", ["memory"] = "2Gi" },
            },
        },
    };

    private static V1CustomResourceDefinition InstanceTypeCrd()
    {
        static V1JSONSchemaProps Quantity(string description) => new() { Type = "string", Pattern = PositiveQuantityPattern, Description = description };
        static V1JSONSchemaProps Amounts(bool limits) => new()
        {
            Type = "object",
            Properties = new Dictionary<string, V1JSONSchemaProps>
            {
                ["cpu"] = Quantity("CPU as millicores (100m) or cores (\"1\", \"0.5\"); greater than zero."),
                ["memory"] = Quantity("Memory with a suffix (1024Mi, 2Gi); greater than zero."),
                ["nvidia.com/gpu"] = limits
                    ? new() { Type = "integer", Minimum = 0, Nullable = true, Description = "Whole GPUs; limits only." }
                    : new() { Type = "integer", Minimum = 0, Maximum = 0, Nullable = true, Description = "GPUs go in limits only (an extended resource's request is its limit)." },
            },
            Required = ["cpu", "memory"],
        };

        return new V1CustomResourceDefinition
        {
            ApiVersion = "apiextensions.k8s.io/v1",
            Kind = "CustomResourceDefinition",
            Metadata = Meta(InstanceTypeCrdName, null),
            Spec = new V1CustomResourceDefinitionSpec
            {
                Group = InstanceTypeGroup,
                Scope = "Cluster",
                Names = new V1CustomResourceDefinitionNames
                {
                    Plural = InstanceTypePlural,
                    Singular = "instancetype",
                    Kind = "InstanceType",
                    ListKind = "InstanceTypeList",
                    ShortNames = ["it"],
                },
                Versions =
                [
                    new V1CustomResourceDefinitionVersion
                    {
                        Name = InstanceTypeVersion,
                        Served = true,
                        Storage = true,
                        Schema = new V1CustomResourceValidation
                        {
                            OpenAPIV3Schema = new V1JSONSchemaProps
                            {
                                Type = "object",
                                Description = "A named set of nodeSelector and resource requests/limits (Azure ML's InstanceType).",
                                Properties = new Dictionary<string, V1JSONSchemaProps>
                                {
                                    ["apiVersion"] = new() { Type = "string" },
                                    ["kind"] = new() { Type = "string" },
                                    ["metadata"] = new() { Type = "object" },
                                    ["spec"] = new()
                                    {
                                        Type = "object",
                                        Required = ["resources"],
                                        Properties = new Dictionary<string, V1JSONSchemaProps>
                                        {
                                            ["nodeSelector"] = new() { Type = "object", AdditionalProperties = new V1JSONSchemaProps { Type = "string" } },
                                            ["resources"] = new()
                                            {
                                                Type = "object",
                                                Required = ["requests", "limits"],
                                                Properties = new Dictionary<string, V1JSONSchemaProps>
                                                {
                                                    ["requests"] = Amounts(limits: false),
                                                    ["limits"] = Amounts(limits: true),
                                                },
                                                XKubernetesValidations =
                                                [
                                                    new V1ValidationRule
                                                    {
                                                        Rule = "!isQuantity(self.requests.cpu) || !isQuantity(self.limits.cpu) || quantity(self.requests.cpu).compareTo(quantity(self.limits.cpu)) <= 0",
                                                        Message = "requests.cpu must be less than or equal to limits.cpu",
                                                    },
                                                    new V1ValidationRule
                                                    {
                                                        Rule = "!isQuantity(self.requests.memory) || !isQuantity(self.limits.memory) || quantity(self.requests.memory).compareTo(quantity(self.limits.memory)) <= 0",
                                                        Message = "requests.memory must be less than or equal to limits.memory",
                                                    },
                                                ],
                                            },
                                        },
                                    },
                                },
                            },
                        },
                        AdditionalPrinterColumns =
                        [
                            new V1CustomResourceColumnDefinition { Name = "CPU", Type = "string", JsonPath = ".spec.resources.limits.cpu" },
                            new V1CustomResourceColumnDefinition { Name = "Memory", Type = "string", JsonPath = ".spec.resources.limits.memory" },
                            new V1CustomResourceColumnDefinition { Name = "Age", Type = "date", JsonPath = ".metadata.creationTimestamp" },
                        ],
                    },
                ],
            },
        };
    }

    private static V1ClusterRole ClusterRole() => new()
    {
        ApiVersion = "rbac.authorization.k8s.io/v1",
        Kind = "ClusterRole",
        Metadata = Meta(ClusterRoleName, null),
        Rules =
        [
            new V1PolicyRule { ApiGroups = [""], Resources = ["pods", "pods/log", "services", "configmaps", "secrets", "events", "persistentvolumeclaims"], Verbs = ["get", "list", "watch", "create", "update", "patch", "delete"] },
            new V1PolicyRule { ApiGroups = ["batch"], Resources = ["jobs"], Verbs = ["get", "list", "watch", "create", "update", "patch", "delete"] },
            new V1PolicyRule { ApiGroups = ["apps"], Resources = ["deployments", "replicasets"], Verbs = ["get", "list", "watch", "create", "update", "patch", "delete"] },
            new V1PolicyRule { ApiGroups = [InstanceTypeGroup], Resources = [InstanceTypePlural], Verbs = ["get", "list", "watch"] },
            new V1PolicyRule { ApiGroups = [""], Resources = ["nodes", "namespaces"], Verbs = ["get", "list", "watch"] },
        ],
    };

    private static Dictionary<string, string> Labels() => new() { [ManagedByLabel] = ManagedBy };

    private static V1ObjectMeta Meta(string name, string? @namespace) => new() { Name = name, NamespaceProperty = @namespace, Labels = Labels() };
}
