using System.Diagnostics;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Studio.Sandbox.Tests;

/// <summary>The real kubectl binary against the sandbox (skipped only when kubectl is not installed).</summary>
public sealed class KubectlTests(KubectlFixture kubectl) : IClassFixture<KubectlFixture>
{
    private async Task<string> NamespaceAsync()
    {
        var ns = "k-" + Guid.NewGuid().ToString("N")[..8];
        await kubectl.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        return ns;
    }

    [Fact]
    public async Task Get_Nodes_PrintsTableWideYamlAndJson()
    {
        KubectlFixture.RequireKubectl();
        var table = await kubectl.OkAsync("get", "nodes");
        Assert.Matches(@"^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\n", table);
        Assert.Contains("Ready", table, StringComparison.Ordinal);

        var wide = await kubectl.OkAsync("get", "nodes", "-o", "wide");
        Assert.Contains("INTERNAL-IP", wide, StringComparison.Ordinal);
        Assert.Contains("CONTAINER-RUNTIME", wide, StringComparison.Ordinal);

        var yaml = await kubectl.OkAsync("get", "no", "-o", "yaml");
        Assert.Contains("kind: List", yaml, StringComparison.Ordinal);
        Assert.Contains("nvidia.com/gpu", yaml, StringComparison.Ordinal);

        var json = JsonNode.Parse(await kubectl.OkAsync("get", "nodes", "-o", "json"))!;
        Assert.Equal(7, json["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task ApiResources_ListsKindsWithShortNames()
    {
        KubectlFixture.RequireKubectl();
        Assert.Equal("yes", (await kubectl.OkAsync("auth", "can-i", "create", "pods")).Trim());
        var output = await kubectl.OkAsync("api-resources");
        Assert.Matches(@"pods\s+po\s+v1\s+true\s+Pod", output);
        Assert.Matches(@"deployments\s+deploy\s+apps/v1\s+true\s+Deployment", output);
        Assert.Matches(@"customresourcedefinitions\s+crd,crds\s+apiextensions.k8s.io/v1\s+false\s+CustomResourceDefinition", output);
    }

    [Fact]
    public async Task Apply_ClientSide_ThenReapplyChange_PatchesTheLiveObject()
    {
        KubectlFixture.RequireKubectl();
        var ns = await NamespaceAsync();
        const string Pod = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: web
              labels: {app: web}
            spec:
              containers:
              - name: web
                image: nginx:1.27
                env: [{name: MODE, value: "one"}]
            """;
        var file = kubectl.File_($"{ns}-pod.yaml", Pod);
        Assert.Contains("pod/web created", await kubectl.OkAsync("apply", "-n", ns, "-f", file), StringComparison.Ordinal);
        kubectl.File_($"{ns}-pod.yaml", Pod.Replace("\"one\"", "\"two\"", StringComparison.Ordinal));
        Assert.Contains("pod/web configured", await kubectl.OkAsync("apply", "-n", ns, "-f", file), StringComparison.Ordinal);
        Assert.Contains("pod/web unchanged", await kubectl.OkAsync("apply", "-n", ns, "-f", file), StringComparison.Ordinal);

        var pod = await kubectl.Client.CoreV1.ReadNamespacedPodAsync("web", ns);
        Assert.Equal("two", pod.Spec.Containers[0].Env.Single().Value);
        Assert.True(pod.Metadata.Annotations.ContainsKey("kubectl.kubernetes.io/last-applied-configuration"));
    }

    [Fact]
    public async Task Apply_ServerSide_ThenReapplyChange_UpdatesAndTracksManager()
    {
        KubectlFixture.RequireKubectl();
        var ns = await NamespaceAsync();
        const string Deployment = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: api}
            spec:
              replicas: 2
              selector: {matchLabels: {app: api}}
              template:
                metadata: {labels: {app: api}}
                spec:
                  containers: [{name: api, image: "busybox:1.36"}]
            """;
        var file = kubectl.File_($"{ns}-deploy.yaml", Deployment);
        Assert.Contains("serverside-applied", await kubectl.OkAsync("apply", "--server-side", "-n", ns, "-f", file), StringComparison.Ordinal);
        kubectl.File_($"{ns}-deploy.yaml", Deployment.Replace("replicas: 2", "replicas: 3", StringComparison.Ordinal));
        await kubectl.OkAsync("apply", "--server-side", "-n", ns, "-f", file);

        var deploy = await kubectl.Client.AppsV1.ReadNamespacedDeploymentAsync("api", ns);
        Assert.Equal(3, deploy.Spec.Replicas);
        Assert.Equal(2, deploy.Metadata.Generation);
        Assert.Contains(deploy.Metadata.ManagedFields, m => m.Manager == "kubectl" && m.Operation == "Apply");

        var table = await kubectl.OkAsync("get", "deploy", "-n", ns);
        Assert.Matches(@"NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\napi\s+0/3\s+0\s+0\s+", table);
    }

    [Fact]
    public async Task LabelAnnotateScaleAndDeleteWithWait_Work()
    {
        KubectlFixture.RequireKubectl();
        var ns = await NamespaceAsync();
        var deployment = kubectl.File_($"{ns}-web.yaml", """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec: {containers: [{name: web, image: nginx}]}
            """);
        await kubectl.OkAsync("apply", "-f", deployment, "-n", ns);
        await kubectl.OkAsync("run", "solo", "--image=nginx", "-n", ns);
        await kubectl.OkAsync("label", "pod", "solo", "tier=front", "-n", ns);
        await kubectl.OkAsync("annotate", "pod", "solo", "note=hello", "-n", ns);
        Assert.Contains("deployment.apps/web scaled", await kubectl.OkAsync("scale", "deployment", "web", "--replicas=4", "-n", ns), StringComparison.Ordinal);

        var pod = await kubectl.Client.CoreV1.ReadNamespacedPodAsync("solo", ns);
        Assert.Equal("front", pod.Metadata.Labels["tier"]);
        Assert.Equal("hello", pod.Metadata.Annotations["note"]);
        Assert.Equal(4, (await kubectl.Client.AppsV1.ReadNamespacedDeploymentAsync("web", ns)).Spec.Replicas);
        Assert.Contains("solo", await kubectl.OkAsync("get", "pods", "-l", "tier=front", "-n", ns), StringComparison.Ordinal);

        Assert.Contains("pod \"solo\" deleted", await kubectl.OkAsync("delete", "pod", "solo", "--wait", "-n", ns), StringComparison.Ordinal);
        Assert.Empty((await kubectl.Client.CoreV1.ListNamespacedPodAsync(ns)).Items);
    }

    [Fact]
    public async Task DescribePod_PrintsItsDetails()
    {
        KubectlFixture.RequireKubectl();
        var ns = await NamespaceAsync();
        await kubectl.OkAsync("run", "desc", "--image=nginx:1.27", "-n", ns, "--labels=app=desc");
        var output = await kubectl.OkAsync("describe", "pod", "desc", "-n", ns);
        Assert.Matches(@"Name:\s+desc", output);
        Assert.Matches(@"Namespace:\s+" + ns, output);
        Assert.Matches(@"Image:\s+nginx:1.27", output);
        Assert.Matches(@"Status:\s+Pending", output);
    }

    [Fact]
    public async Task GetWatch_PrintsInitialObjectsOnceThenChanges()
    {
        KubectlFixture.RequireKubectl();
        var ns = await NamespaceAsync();
        await kubectl.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "first" } }, ns);

        using var process = Process.Start(kubectl.StartInfo("get", "configmaps", "-w", "-n", ns, "--request-timeout=0"))!;
        var lines = new List<string>();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(30)); // safety net only
        try
        {
            async Task<string> LineAsync()
            {
                var line = await process.StandardOutput.ReadLineAsync(cts.Token) ?? throw new InvalidOperationException("kubectl exited: " + await process.StandardError.ReadToEndAsync(cts.Token));
                lines.Add(line);
                return line;
            }

            while (!(await LineAsync()).StartsWith("first", StringComparison.Ordinal))
            {
            }

            await kubectl.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "second" } }, ns);
            while (!(await LineAsync()).StartsWith("second", StringComparison.Ordinal))
            {
            }
        }
        finally
        {
            process.Kill();
        }

        Assert.Single(lines, l => l.StartsWith("first", StringComparison.Ordinal));
        Assert.Single(lines, l => l.StartsWith("NAME", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Crd_ApplyThenInstanceTypes_AreServedAndPrinted()
    {
        KubectlFixture.RequireKubectl();
        var crd = kubectl.File_("instancetype-crd.yaml", """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: instancetypes.amlarc.azureml.com}
            spec:
              group: amlarc.azureml.com
              scope: Cluster
              names: {plural: instancetypes, singular: instancetype, kind: InstanceType, listKind: InstanceTypeList}
              versions:
              - name: v1alpha1
                served: true
                storage: true
                additionalPrinterColumns:
                - {name: CPU, type: string, jsonPath: .spec.resources.limits.cpu}
                - {name: Memory, type: string, jsonPath: .spec.resources.limits.memory}
                schema:
                  openAPIV3Schema:
                    type: object
                    properties:
                      spec:
                        type: object
                        required: [resources]
                        properties:
                          nodeSelector: {type: object, additionalProperties: {type: string}}
                          resources:
                            type: object
                            properties:
                              requests: {type: object, additionalProperties: {x-kubernetes-int-or-string: true}}
                              limits: {type: object, additionalProperties: {x-kubernetes-int-or-string: true}}
            """);
        await kubectl.OkAsync("apply", "-f", crd);
        var types = kubectl.File_("instancetypes.yaml", """
            apiVersion: amlarc.azureml.com/v1alpha1
            kind: InstanceType
            metadata: {name: cpusmall}
            spec:
              resources:
                requests: {cpu: 100m, memory: 1Gi}
                limits: {cpu: "1", memory: 2Gi}
            ---
            apiVersion: amlarc.azureml.com/v1alpha1
            kind: InstanceType
            metadata: {name: gpu}
            spec:
              nodeSelector: {agentpool: gput4}
              resources:
                limits: {cpu: "4", memory: 16Gi, nvidia.com/gpu: 1}
            """);
        await kubectl.OkAsync("apply", "-f", types);
        var table = await kubectl.OkAsync("get", "instancetypes");
        Assert.Matches(@"NAME\s+CPU\s+MEMORY\n", table);
        Assert.Matches(@"cpusmall\s+1\s+2Gi", table);
        Assert.Matches(@"gpu\s+4\s+16Gi", table);

        var bad = kubectl.File_("bad-instancetype.yaml", """
            apiVersion: amlarc.azureml.com/v1alpha1
            kind: InstanceType
            metadata: {name: broken}
            spec:
              nodeSelector: {agentpool: 7}
            """);
        var (exit, _, error) = await kubectl.RunAsync("apply", "-f", bad);
        Assert.NotEqual(0, exit);
        Assert.Contains("spec.resources: Required value", error, StringComparison.Ordinal);
        Assert.Contains("spec.nodeSelector.agentpool", error, StringComparison.Ordinal);

        await kubectl.OkAsync("delete", "crd", "instancetypes.amlarc.azureml.com");
        Assert.Equal(0, kubectl.Server.Cluster.Store.Count("instancetypes.amlarc.azureml.com"));
    }

    [Fact]
    public async Task CreateGenerators_ForNamespaceConfigMapSecretAndServiceAccount_Work()
    {
        KubectlFixture.RequireKubectl();
        var ns = "gen-" + Guid.NewGuid().ToString("N")[..8];
        await kubectl.OkAsync("create", "namespace", ns);
        await kubectl.OkAsync("create", "configmap", "settings", "--from-literal=a=1", "--from-literal=b=2", "-n", ns);
        await kubectl.OkAsync("create", "secret", "generic", "creds", "--from-literal=password=hunter2", "-n", ns);
        await kubectl.OkAsync("create", "serviceaccount", "robot", "-n", ns);

        Assert.Equal("Active", (await kubectl.Client.CoreV1.ReadNamespaceAsync(ns)).Status.Phase);
        Assert.Equal(new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" }, (await kubectl.Client.CoreV1.ReadNamespacedConfigMapAsync("settings", ns)).Data);
        var secret = await kubectl.Client.CoreV1.ReadNamespacedSecretAsync("creds", ns);
        Assert.Equal("hunter2", System.Text.Encoding.UTF8.GetString(secret.Data["password"]));
        Assert.Equal("Opaque", secret.Type);
        Assert.Equal("robot", (await kubectl.Client.CoreV1.ReadNamespacedServiceAccountAsync("robot", ns)).Metadata.Name);
    }

    [Fact]
    public async Task Apply_WithMisspelledField_FailsServerSideFieldValidation()
    {
        KubectlFixture.RequireKubectl();
        var ns = await NamespaceAsync();
        var file = kubectl.File_($"{ns}-typo.yaml", """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: typo}
            dataa: {a: "1"}
            """);
        var (exit, _, error) = await kubectl.RunAsync("apply", "-n", ns, "-f", file);
        Assert.NotEqual(0, exit);
        Assert.Contains("unknown field \"dataa\"", error, StringComparison.Ordinal);
        Assert.Empty((await kubectl.Client.CoreV1.ListNamespacedConfigMapAsync(ns)).Items);
    }

    [Fact]
    public async Task Apply_EveryServedKind_WithDefaultValidation_ThenReapplyChange()
    {
        KubectlFixture.RequireKubectl();
        var ns = "every-" + Guid.NewGuid().ToString("N")[..6];
        const string Manifest = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: NS, labels: {round: "R"}}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: cm, namespace: NS, labels: {round: "R"}}
            data: {a: "1"}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: sec, namespace: NS, labels: {round: "R"}}
            stringData: {password: hunter2}
            ---
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: sa, namespace: NS, labels: {round: "R"}}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: svc, namespace: NS, labels: {round: "R"}}
            spec: {selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}
            ---
            apiVersion: v1
            kind: Endpoints
            metadata: {name: svc, namespace: NS, labels: {round: "R"}}
            subsets: [{addresses: [{ip: 10.1.0.5}], ports: [{port: 8080}]}]
            ---
            apiVersion: v1
            kind: ResourceQuota
            metadata: {name: quota, namespace: NS, labels: {round: "R"}}
            spec: {hard: {pods: "10", requests.nvidia.com/gpu: "2"}}
            ---
            apiVersion: v1
            kind: LimitRange
            metadata: {name: limits, namespace: NS, labels: {round: "R"}}
            spec: {limits: [{type: Container, default: {cpu: 500m}, defaultRequest: {cpu: 100m}}]}
            ---
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata: {name: data, namespace: NS, labels: {round: "R"}}
            spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: pod, namespace: NS, labels: {round: "R"}}
            spec: {containers: [{name: c, image: busybox, command: [sleep, "3600"]}]}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: NS, labels: {round: "R"}}
            spec:
              replicas: 2
              selector: {matchLabels: {app: web}}
              template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web, image: nginx}]}}
            ---
            apiVersion: apps/v1
            kind: ReplicaSet
            metadata: {name: rs, namespace: NS, labels: {round: "R"}}
            spec:
              selector: {matchLabels: {app: rs}}
              template: {metadata: {labels: {app: rs}}, spec: {containers: [{name: c, image: nginx}]}}
            ---
            apiVersion: batch/v1
            kind: Job
            metadata: {name: train, namespace: NS, labels: {round: "R"}}
            spec: {template: {spec: {restartPolicy: Never, containers: [{name: c, image: python}]}}}
            ---
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata: {name: web, namespace: NS, labels: {round: "R"}}
            spec:
              scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
              minReplicas: 1
              maxReplicas: 5
              metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: reader, namespace: NS, labels: {round: "R"}}
            rules: [{apiGroups: [""], resources: [pods], verbs: [get, list]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: reader, namespace: NS, labels: {round: "R"}}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
            subjects: [{kind: ServiceAccount, name: sa, namespace: NS}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: NS-viewer, labels: {round: "R"}}
            rules: [{apiGroups: ["*"], resources: ["*"], verbs: [get]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: NS-viewer, labels: {round: "R"}}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: NS-viewer}
            subjects: [{kind: ServiceAccount, name: sa, namespace: NS}]
            ---
            apiVersion: scheduling.k8s.io/v1
            kind: PriorityClass
            metadata: {name: NS-high, labels: {round: "R"}}
            value: 100000
            description: training jobs
            ---
            apiVersion: events.k8s.io/v1
            kind: Event
            metadata: {name: ev, namespace: NS, labels: {round: "R"}}
            eventTime: "2026-01-01T00:00:00.000000Z"
            reportingController: studio
            reportingInstance: studio-1
            action: Scheduled
            reason: Scheduled
            type: Normal
            regarding: {kind: Pod, name: pod, namespace: NS}
            ---
            apiVersion: v1
            kind: Event
            metadata: {name: ev-core, namespace: NS, labels: {round: "R"}}
            involvedObject: {kind: Pod, name: pod, namespace: NS}
            reason: Pulled
            message: pulled
            type: Normal
            """;
        var file = kubectl.File_($"{ns}-every.yaml", Manifest.Replace("NS", ns, StringComparison.Ordinal).Replace("\"R\"", "\"1\"", StringComparison.Ordinal));
        var created = await kubectl.OkAsync("apply", "-f", file);
        Assert.Equal(21, created.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.EndsWith(" created", StringComparison.Ordinal)));

        kubectl.File_($"{ns}-every.yaml", Manifest.Replace("NS", ns, StringComparison.Ordinal).Replace("\"R\"", "\"2\"", StringComparison.Ordinal));
        var configured = await kubectl.OkAsync("apply", "-f", file);
        Assert.Equal(21, configured.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.EndsWith(" configured", StringComparison.Ordinal)));

        var serverSide = await kubectl.OkAsync("apply", "--server-side", "--force-conflicts", "-f", file);
        Assert.Equal(21, serverSide.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.EndsWith(" serverside-applied", StringComparison.Ordinal)));
        Assert.Equal("2", (await kubectl.Client.AppsV1.ReadNamespacedDeploymentAsync("web", ns)).Metadata.Labels["round"]);
    }

    [Fact]
    public async Task Explain_BuiltInKinds_ShowsTheirFieldsAndTypes()
    {
        KubectlFixture.RequireKubectl();
        var containers = await kubectl.OkAsync("explain", "pod.spec.containers");
        Assert.Contains("FIELD: containers <[]Container>", containers, StringComparison.Ordinal);
        Assert.Matches(@"\n\s+image\s+<string>", containers);
        Assert.Matches(@"\n\s+env\s+<\[\]EnvVar>", containers);

        var cronJob = await kubectl.OkAsync("explain", "cronjob.spec.jobTemplate.spec", "--api-version=batch/v1");
        Assert.Matches(@"\n\s+backoffLimit\s+<integer>", cronJob);
        Assert.Matches(@"\n\s+template\s+<PodTemplateSpec>", cronJob);
    }
}
