using System.Text.Json;
using k8s.Models;
using Studio.Domain.Clusters;
using Studio.Domain.InstanceTypes;
using Studio.Domain.Jobs;
using Studio.Infrastructure.Jobs;

namespace Studio.Infrastructure.Tests.Jobs;

public sealed class JobManifestsTests
{
    private const long Gi = 1024L * 1024 * 1024;

    private static readonly InstanceType Gpu = new("gpu-a100", new Dictionary<string, string> { ["agentpool"] = "gpua100" }, new ResourceAmounts(4000, 16 * Gi, 0), new ResourceAmounts(8000, 32 * Gi, 1));

    private static JobPlan Plan(JobSpec spec, GangScheduler gang = GangScheduler.PodGroupLabel, InstanceType? type = null) =>
        new("team-a", "gpu", "team-a-ns", "train-abc", spec, type ?? Gpu, "mcr.microsoft.com/azureml/x:1", gang);

    private static JobSpec Spec(int instances = 1, Distribution? distribution = null) => new()
    {
        Compute = "gpu",
        Command = "python train.py --lr ${{inputs.lr}}",
        Image = "mcr.microsoft.com/azureml/x:1",
        Inputs = new Dictionary<string, string> { ["lr"] = "0.1" },
        EnvironmentVariables = new Dictionary<string, string> { ["MY_VAR"] = "x" },
        InstanceCount = instances,
        Distribution = distribution ?? Distribution.None,
        Timeout = TimeSpan.FromMinutes(30),
        MaxRetries = 2,
    };

    private static V1Job JobOf(IReadOnlyList<Studio.Infrastructure.Kubernetes.ManifestObject> objects) => (V1Job)objects.Single(o => o.Kind == "Job").Body;

    private static Dictionary<string, V1EnvVar> Env(V1Job job) => job.Spec.Template.Spec.Containers[0].Env.ToDictionary(e => e.Name);

    [Fact]
    public void EveryPod_MeetsTheRestrictedPodSecurityStandard_ByDefault()
    {
        foreach (var spec in new[] { Spec(), Spec(2, new Distribution(DistributionKind.PyTorch, 2)), Spec(3, new Distribution(DistributionKind.Mpi, 1)), Spec(2, new Distribution(DistributionKind.TensorFlow, null, 1, 1)) })
        {
            var pod = JobOf(JobManifests.Build(Plan(spec))).Spec.Template.Spec;

            Assert.False(pod.AutomountServiceAccountToken);
            Assert.Equal((true, 1000L, "RuntimeDefault"), (pod.SecurityContext.RunAsNonRoot, pod.SecurityContext.RunAsUser, pod.SecurityContext.SeccompProfile.Type));
            Assert.All(pod.Containers, c =>
            {
                Assert.False(c.SecurityContext.AllowPrivilegeEscalation);
                Assert.Equal(["ALL"], c.SecurityContext.Capabilities.Drop);
                Assert.True(c.SecurityContext.RunAsNonRoot);
            });
        }

        var yaml = JobManifests.ToYaml(JobManifests.Build(Plan(Spec())));
        Assert.Contains("runAsNonRoot: true", yaml, StringComparison.Ordinal);
        Assert.Contains("automountServiceAccountToken: false", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void CodeSnapshot_IsFetchedByAnInitContainerIntoTheWorkingDirectory_WithOnlyItsSignedUrl()
    {
        const string url = "https://studio.example.com/artifacts/snapshots/abc.zip?t=signed";
        foreach (var spec in new[] { Spec(), Spec(3, new Distribution(DistributionKind.Mpi, 1)) })
        {
            var plan = Plan(spec with { Code = "src", CodeSnapshot = "sha256:" + new string('a', 64) }) with { Code = new JobCodePlan("sha256:" + new string('a', 64), 300L << 20, url, "busybox:1.36") };

            var pod = JobOf(JobManifests.Build(plan)).Spec.Template.Spec;

            var fetch = Assert.Single(pod.InitContainers);
            Assert.Equal(("busybox:1.36", JobManifests.FetchCodeScript), (fetch.Image, fetch.Args[0]));
            Assert.Equal(url, fetch.Env.Single(e => e.Name == JobManifests.CodeUrlVariable).Value);
            Assert.Equal((true, false, true), (fetch.SecurityContext.ReadOnlyRootFilesystem, fetch.SecurityContext.AllowPrivilegeEscalation, fetch.SecurityContext.RunAsNonRoot));
            Assert.Equal(["ALL"], fetch.SecurityContext.Capabilities.Drop);
            var volume = pod.Volumes.Single(v => v.Name == JobManifests.CodeVolume);
            Assert.Equal("364Mi", volume.EmptyDir.SizeLimit.ToString());
            Assert.Equal(JobManifests.CodePath, pod.Containers[0].WorkingDir);
            Assert.Contains(pod.Containers[0].VolumeMounts, m => m.Name == JobManifests.CodeVolume && m.MountPath == JobManifests.CodePath);
            Assert.Equal(spec.Distribution.Kind == DistributionKind.Mpi, pod.Volumes.Any(v => v.Name == "mpi-hostfile"));
        }

        var yaml = JobManifests.ToYaml(JobManifests.Build(Plan(Spec())));
        Assert.DoesNotContain("initContainers", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void DataInputs_AreFetchedByTheirOwnInitContainer_AndMountedReadOnly()
    {
        var inputs = new[]
        {
            new JobInputPlan("images", "https://studio.example.com/artifacts/snapshots/abc.zip?t=signed", "/mnt/studio/inputs/images", Unzip: true, "images"),
            new JobInputPlan("labels", "https://example.com/labels.csv", "/mnt/studio/inputs/labels", Unzip: false, "labels.csv"),
        };

        var pod = JobOf(JobManifests.Build(Plan(Spec()) with { Inputs = inputs, FetchImage = "registry.example.com/busybox:1.36" })).Spec.Template.Spec;

        var fetch = Assert.Single(pod.InitContainers);
        Assert.Equal((JobManifests.FetchInputsContainer, "registry.example.com/busybox:1.36"), (fetch.Name, fetch.Image));
        Assert.Equal(["STUDIO_INPUT_0_URL", "STUDIO_INPUT_1_URL"], fetch.Env.Select(e => e.Name));
        Assert.Contains("unzip -q -o '/mnt/studio/inputs/images/.studio-input.zip'", fetch.Args[0], StringComparison.Ordinal);
        Assert.Contains("wget -q -O '/mnt/studio/inputs/labels/labels.csv' \"$STUDIO_INPUT_1_URL\"", fetch.Args[0], StringComparison.Ordinal);
        Assert.True(fetch.SecurityContext.ReadOnlyRootFilesystem);
        Assert.Contains(pod.Containers[0].VolumeMounts, m => m.Name == JobManifests.InputsVolume && m.ReadOnlyProperty == true);
    }

    [Fact]
    public void Outputs_AreWrittenToAVolume_AndUploadedByANativeSidecar_WithSignedUrlsOnly_AtTheRestrictedLevel()
    {
        var outputs = new[] { new JobOutputPlan("model", "/mnt/studio/outputs/model", "https://studio.example.com/artifacts/ds/abc/azureml/job/model/?t=w", "https://studio.example.com/artifacts/ds/abc/.studio/jobs/job/outputs/model.json?t=r") };

        var pod = JobOf(JobManifests.Build(Plan(Spec() with { Command = "echo 1 > ${{outputs.model}}/a.txt", DataOutputs = new Dictionary<string, JobDataOutput> { ["model"] = new() } }) with { Outputs = outputs })).Spec.Template.Spec;

        var upload = Assert.Single(pod.InitContainers);
        Assert.Equal((JobManifests.UploadOutputsContainer, "Always"), (upload.Name, upload.RestartPolicy));
        Assert.Equal(["STUDIO_OUTPUT_0_NAME", "STUDIO_OUTPUT_0_DIR", "STUDIO_OUTPUT_0_URL", "STUDIO_OUTPUT_0_RECORD"], upload.Env.Select(e => e.Name));
        Assert.Contains("trap upload TERM", upload.Args[0], StringComparison.Ordinal);
        Assert.True(upload.SecurityContext.ReadOnlyRootFilesystem);
        Assert.True(upload.SecurityContext.RunAsNonRoot);
        Assert.Equal(["ALL"], upload.SecurityContext.Capabilities.Drop);
        Assert.NotNull(upload.StartupProbe);
        Assert.Equal(JobManifests.OutputUploadSeconds, pod.TerminationGracePeriodSeconds);
        Assert.Contains(pod.Containers[0].VolumeMounts, m => m.Name == JobManifests.OutputsVolume && m.MountPath == "/mnt/studio/outputs" && m.ReadOnlyProperty != true);
        Assert.Contains("echo 1 > /mnt/studio/outputs/model/a.txt", string.Join(' ', pod.Containers[0].Args), StringComparison.Ordinal);
    }

    [Fact]
    public void FolderInputFiles_KeepTheirSubFolders_AndOddNamesStayOneShellWord()
    {
        var inputs = new[]
        {
            new JobInputPlan("cifar", "https://acct.blob.core.windows.net/c/a?sig=1", "/mnt/studio/inputs/cifar", Unzip: false, "batches/data_batch_1"),
            new JobInputPlan("cifar", "https://acct.blob.core.windows.net/c/b?sig=2", "/mnt/studio/inputs/cifar", Unzip: false, "it's $(rm -rf) \"x\".txt"),
        };

        var script = JobOf(JobManifests.Build(Plan(Spec()) with { Inputs = inputs })).Spec.Template.Spec.InitContainers.Single().Args[0];

        Assert.Contains("mkdir -p '/mnt/studio/inputs/cifar/batches'\nwget -q -O '/mnt/studio/inputs/cifar/batches/data_batch_1' \"$STUDIO_INPUT_0_URL\"", script, StringComparison.Ordinal);
        Assert.Contains("wget -q -O '/mnt/studio/inputs/cifar/it'\\''s $(rm -rf) \"x\".txt' \"$STUDIO_INPUT_1_URL\"", script, StringComparison.Ordinal);
    }

    [Fact]
    public void ABaselineComputeTarget_RunsTheImagesOwnUser_ButMountsNoToken()
    {
        var pod = JobOf(JobManifests.Build(Plan(Spec()) with { PodSecurity = Studio.Domain.Workspaces.PodSecurityLevel.Baseline })).Spec.Template.Spec;

        Assert.False(pod.AutomountServiceAccountToken);
        Assert.Equal("RuntimeDefault", pod.SecurityContext.SeccompProfile.Type);
        Assert.Null(pod.SecurityContext.RunAsNonRoot);
        Assert.Null(pod.SecurityContext.RunAsUser);
        Assert.Null(pod.Containers[0].SecurityContext);
    }

    [Fact]
    public void SingleInstance_IsAPlainJob_WithThePodSpecFromTheInstanceType()
    {
        var objects = JobManifests.Build(Plan(Spec()));

        var job = JobOf(objects);
        Assert.Single(objects);
        Assert.Null(job.Spec.CompletionMode);
        Assert.Equal((1, 1, 2, 1800L), (job.Spec.Parallelism, job.Spec.Completions, job.Spec.BackoffLimit, job.Spec.ActiveDeadlineSeconds));
        var pod = job.Spec.Template.Spec;
        Assert.Equal("Never", pod.RestartPolicy);
        Assert.Equal("gpua100", pod.NodeSelector["agentpool"]);
        var resources = pod.Containers[0].Resources;
        Assert.Equal(("4", "16Gi"), (resources.Requests["cpu"].ToString(), resources.Requests["memory"].ToString()));
        Assert.Equal(("8", "32Gi", "1"), (resources.Limits["cpu"].ToString(), resources.Limits["memory"].ToString(), resources.Limits["nvidia.com/gpu"].ToString()));
        Assert.Contains(pod.Tolerations, t => t.Key == "ml.azure.com/amlarc" && t.Value == "true");
        Assert.Contains(pod.Tolerations, t => t.Key == "ml.azure.com/amlarc-workload");
        Assert.Contains(pod.Tolerations, t => t.Key == "ml.azure.com/workspace" && t.Value == "team-a");
        Assert.Contains(pod.Tolerations, t => t.Key == "ml.azure.com/compute" && t.Value == "gpu");
        Assert.Contains(pod.Tolerations, t => t.Key == "nvidia.com/gpu" && t.OperatorProperty == "Exists");
        Assert.Equal(["/bin/bash", "-c"], pod.Containers[0].Command);
        Assert.Equal("python train.py --lr 0.1", pod.Containers[0].Args[0]);
        Assert.Equal("x", Env(job)["MY_VAR"].Value);
        var labels = job.Spec.Template.Metadata.Labels;
        Assert.Equal(("team-a", "gpu", "train-abc", "0", "studio"), (labels["studio.io/workspace"], labels["studio.io/compute"], labels["studio.io/job"], labels["studio.io/rank"], labels["app.kubernetes.io/managed-by"]));
        Assert.False(labels.ContainsKey(JobManifests.PodGroupLabel));
    }

    [Fact]
    public void PyTorch_IsAnIndexedJobWithAHeadlessService_AndTheRendezvousEnvironment()
    {
        var objects = JobManifests.Build(Plan(Spec(3, new Distribution(DistributionKind.PyTorch, 4))));

        Assert.Equal(["Job", "Service"], objects.Select(o => o.Kind));
        var job = JobOf(objects);
        Assert.Equal(("Indexed", 3, 3), (job.Spec.CompletionMode, job.Spec.Parallelism, job.Spec.Completions));
        Assert.Equal("train-abc", job.Spec.Template.Spec.Subdomain);
        var env = Env(job);
        Assert.Equal("train-abc-0.train-abc.team-a-ns.svc.cluster.local", env["MASTER_ADDR"].Value);
        Assert.Equal(("29500", "12", "4", "3"), (env["MASTER_PORT"].Value, env["WORLD_SIZE"].Value, env["NPROC_PER_NODE"].Value, env["PET_NNODES"].Value));
        Assert.Equal("metadata.annotations['batch.kubernetes.io/job-completion-index']", env["NODE_RANK"].ValueFrom.FieldRef.FieldPath);
        Assert.Equal("metadata.annotations['batch.kubernetes.io/job-completion-index']", env["PET_NODE_RANK"].ValueFrom.FieldRef.FieldPath);
        Assert.Equal(("train-abc", "3"), (job.Spec.Template.Metadata.Labels[JobManifests.PodGroupLabel], job.Spec.Template.Metadata.Annotations[JobManifests.MinMemberAnnotation]));
        var service = (V1Service)objects[1].Body;
        Assert.Equal(("None", true, "train-abc"), (service.Spec.ClusterIP, service.Spec.PublishNotReadyAddresses, service.Spec.Selector["studio.io/job"]));
    }

    [Fact]
    public void TensorFlow_PutsTheClusterInTheEnvironment_AndBuildsTfConfigFromTheIndex()
    {
        var job = JobOf(JobManifests.Build(Plan(Spec(3, new Distribution(DistributionKind.TensorFlow, null, 2, 1)))));

        var env = Env(job);
        using var cluster = JsonDocument.Parse(env["TF_CLUSTER"].Value);
        Assert.Equal(["train-abc-1.train-abc.team-a-ns.svc.cluster.local:29500", "train-abc-2.train-abc.team-a-ns.svc.cluster.local:29500"], cluster.RootElement.GetProperty("worker").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["train-abc-0.train-abc.team-a-ns.svc.cluster.local:29500"], cluster.RootElement.GetProperty("ps").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("1", env["TF_PS_COUNT"].Value);
        var script = job.Spec.Template.Spec.Containers[0].Args[0];
        Assert.Contains("export TF_CONFIG=", script, StringComparison.Ordinal);
        Assert.EndsWith("python train.py --lr 0.1", script, StringComparison.Ordinal);
    }

    [Fact]
    public void Mpi_MountsAHostfileForTheLauncher_OwnedByTheJob()
    {
        var objects = JobManifests.Build(Plan(Spec(2, new Distribution(DistributionKind.Mpi, 8))));

        Assert.Equal(["Job", "Service", "ConfigMap"], objects.Select(o => o.Kind));
        var map = (V1ConfigMap)objects[2].Body;
        Assert.Equal("train-abc-0.train-abc.team-a-ns.svc.cluster.local slots=8\ntrain-abc-1.train-abc.team-a-ns.svc.cluster.local slots=8\n", map.Data["hostfile"]);
        var job = JobOf(objects);
        Assert.Equal("/etc/studio/mpi", job.Spec.Template.Spec.Containers[0].VolumeMounts.Single().MountPath);
        Assert.Equal(("16", JobManifests.HostfilePath), (Env(job)["OMPI_COMM_WORLD_SIZE"].Value, Env(job)["OMPI_MCA_orte_default_hostfile"].Value));
        JobManifests.SetOwner(objects, "train-abc", "uid-1");
        Assert.All(objects.Skip(1), o => Assert.Equal("uid-1", ((IMetadata<V1ObjectMeta>)o.Body).Metadata.OwnerReferences.Single().Uid));
        Assert.Null(job.Metadata.OwnerReferences);
    }

    [Fact]
    public void Volcano_GetsAPodGroupAndTheVolcanoScheduler()
    {
        var objects = JobManifests.Build(Plan(Spec(2, new Distribution(DistributionKind.PyTorch, 1)), GangScheduler.Volcano));

        Assert.Equal(["Job", "Service", "PodGroup"], objects.Select(o => o.Kind));
        var job = JobOf(objects);
        Assert.Equal("volcano", job.Spec.Template.Spec.SchedulerName);
        Assert.Equal("train-abc", job.Spec.Template.Metadata.Annotations[JobManifests.VolcanoGroupAnnotation]);
        Assert.Contains("minMember: 2", objects[2].Yaml, StringComparison.Ordinal);
        Assert.Contains("nvidia.com/gpu: \"2\"", objects[2].Yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void Kueue_LabelsTheJobWithItsQueue()
    {
        var job = JobOf(JobManifests.Build(Plan(Spec(2, new Distribution(DistributionKind.PyTorch, 1)), GangScheduler.Kueue)));

        Assert.Equal("default", job.Metadata.Labels[JobManifests.KueueQueueLabel]);
        Assert.False(job.Spec.Template.Metadata.Labels.ContainsKey(JobManifests.PodGroupLabel));
    }

    [Fact]
    public void Yaml_OfTheManifests_IsOneDocumentStream()
    {
        var yaml = JobManifests.ToYaml(JobManifests.Build(Plan(Spec(2, new Distribution(DistributionKind.Mpi, 1)))));

        Assert.Equal(3, yaml.Split("---\n").Length);
        Assert.Contains("kind: Job", yaml, StringComparison.Ordinal);
        Assert.Contains("completionMode: Indexed", yaml, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DistributionKind.None, 1)]
    [InlineData(DistributionKind.PyTorch, 2)]
    [InlineData(DistributionKind.TensorFlow, 3)]
    [InlineData(DistributionKind.Mpi, 2)]
    public void Yaml_ReadsBackAsTheSameObjects(DistributionKind kind, int instances)
    {
        var spec = Spec(instances, new Distribution(kind, kind is DistributionKind.PyTorch or DistributionKind.Mpi ? 2 : null, kind == DistributionKind.TensorFlow ? 2 : null, kind == DistributionKind.TensorFlow ? 1 : null)) with
        {
            Command = "python train.py \\\n  --lr ${{inputs.lr}}\n# comment: yes\n",
            EnvironmentVariables = new Dictionary<string, string> { ["ON"] = "true", ["N"] = "0042", ["EMPTY"] = "", ["Q"] = "a: b #c", ["DASH"] = "- x" },
            PodAnnotations = new Dictionary<string, string> { ["sandbox.studio/memory"] = "6Gi" },
        };
        var objects = JobManifests.Build(Plan(spec, GangScheduler.Volcano));

        var documents = JobManifests.ToYaml(objects).Split("---\n");

        Assert.Equal(objects.Count, documents.Length);
        for (var i = 0; i < objects.Count; i++)
        {
            var expected = k8s.KubernetesJson.Serialize(objects[i].Body);
            var parsed = k8s.KubernetesYaml.Deserialize<Dictionary<string, object>>(documents[i]);
            var actual = k8s.KubernetesJson.Serialize(k8s.KubernetesJson.Deserialize<JsonElement>(JsonSerializer.Serialize(parsed)));
            Assert.Equal(Normalize(expected), Normalize(actual));
        }
    }

    private static string Normalize(string json) => JsonSerializer.Serialize(JsonSerializer.Deserialize<JsonElement>(json), new JsonSerializerOptions { WriteIndented = false }).Replace("\"2\"", "2", StringComparison.Ordinal);

    [Theory]
    [InlineData(1500L, "1500m")]
    [InlineData(2000L, "2")]
    [InlineData(100L, "100m")]
    public void Cpu(long millis, string quantity) => Assert.Equal(quantity, JobManifests.Cpu(millis));

    [Theory]
    [InlineData(2147483648L, "2Gi")]
    [InlineData(536870912L, "512Mi")]
    [InlineData(1000L, "1000")]
    public void Memory(long bytes, string quantity) => Assert.Equal(quantity, JobManifests.Memory(bytes));

    [Fact]
    public void Objects_OfAPlanWithItsWorkspace_CarryTheWorkspaceIdLabel_OnTheJobAndItsPods()
    {
        var workspace = Guid.Parse("6f1d2c1e-0000-4000-8000-000000000009");

        var objects = JobManifests.Build(Plan(Spec(instances: 2)) with { WorkspaceId = workspace });

        var job = (V1Job)objects.Single(o => o.Kind == "Job").Body;
        Assert.Equal(workspace.ToString("N"), job.Metadata.Labels["studio.io/workspace-id"]);
        Assert.Equal(workspace.ToString("N"), job.Spec.Template.Metadata.Labels["studio.io/workspace-id"]);
        Assert.All(objects.Where(o => o.Kind != "PriorityClass"), o => Assert.Contains("studio.io/workspace-id: " + workspace.ToString("N"), o.Yaml, StringComparison.Ordinal));
        Assert.False(((V1Job)JobManifests.Build(Plan(Spec())).Single(o => o.Kind == "Job").Body).Metadata.Labels.ContainsKey("studio.io/workspace-id"));
    }
}
