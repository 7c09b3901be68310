using System.Diagnostics;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Studio.Domain.InstanceTypes;
using Studio.Infrastructure.InstanceTypes;
using Studio.Infrastructure.Kubernetes.Inventory;
using Studio.Infrastructure.Tests.Clusters;
using Studio.Infrastructure.Tests.Compute;

namespace Studio.Infrastructure.Tests.InstanceTypes;

/// <summary>The catalog against a real sandbox cluster with the extension (and so the InstanceType CRD) installed.</summary>
public sealed class InstanceTypeCatalogTests(SandboxClusterFixture fixture) : ComputeTestBase(fixture), IClassFixture<SandboxClusterFixture>
{
    private const string A100 = "NVIDIA-A100-PCIE-80GB";

    private InstanceTypeCatalog Catalog => Fixture.Services.GetRequiredService<InstanceTypeCatalog>();

    private static InstanceTypeDraft GpuA100 => new("gpu-1x-a100", new Dictionary<string, string> { ["nvidia.com/gpu.product"] = A100 }, "4", "16Gi", "8", "32Gi", "1");

    private async Task<(Guid Id, Studio.Sandbox.SandboxServer Sandbox, IKubernetes Client)> InstalledAsync()
    {
        var (name, sandbox, client) = await InstalledClusterAsync();
        return ((await Clusters.GetAsync(name, Ct)).Value.Id, sandbox, client);
    }

    [Fact]
    public async Task Create_ThroughStudio_IsListedByKubectl_AppliedByStudio()
    {
        var (id, sandbox, _) = await InstalledAsync();
        using var kubectl = new Kubectl(sandbox);

        var created = await Catalog.CreateAsync(Admin, id, GpuA100, Ct);

        Assert.True(created.IsSuccess, string.Join("; ", created.Errors.Select(e => $"{e.Field}: {e.Message}")));
        var names = await kubectl.OkAsync("get", "instancetypes", "-o", "name");
        Assert.Contains("instancetype.amlarc.azureml.com/gpu-1x-a100", names, StringComparison.Ordinal);
        Assert.Equal("1|4|32Gi|" + A100, await kubectl.OkAsync("get", "instancetype", "gpu-1x-a100", "-o", "jsonpath={.spec.resources.limits.nvidia\\.com/gpu}|{.spec.resources.requests.cpu}|{.spec.resources.limits.memory}|{.spec.nodeSelector.nvidia\\.com/gpu\\.product}"));
        Assert.Contains("studio", await kubectl.OkAsync("get", "instancetype", "gpu-1x-a100", "--show-managed-fields", "-o", "jsonpath={.metadata.managedFields[*].manager}"), StringComparison.Ordinal);
        Assert.Equal("instancetype_exists", Assert.Single((await Catalog.CreateAsync(Admin, id, GpuA100, Ct)).Errors).Code);
    }

    [Fact]
    public async Task CreatedWithKubectl_IsVisibleInStudio_WithinASecond()
    {
        var (id, sandbox, _) = await InstalledAsync();
        using var kubectl = new Kubectl(sandbox);
        using var lease = (await Fixture.Services.GetRequiredService<InventoryRegistry>().AcquireAsync(id, Ct)).Value;
        await lease.Inventory.InstanceTypes.FirstSync.WaitAsync(TimeSpan.FromSeconds(15), Ct);
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lease.Inventory.InstanceTypes.Changed += () =>
        {
            if (lease.Inventory.InstanceTypes.TryGet("cpu-small", out _))
            {
                seen.TrySetResult();
            }
        };
        var file = kubectl.Write("cpu-small.yaml", """
            apiVersion: amlarc.azureml.com/v1alpha1
            kind: InstanceType
            metadata:
              name: cpu-small
            spec:
              nodeSelector:
                agentpool: cpu
              resources:
                requests: { cpu: "500m", memory: "1500Mi" }
                limits: { cpu: "1", memory: "2Gi" }
            """);

        await kubectl.OkAsync("apply", "-f", file);
        var applied = Stopwatch.StartNew();
        await seen.Task.WaitAsync(TimeSpan.FromSeconds(1), Ct);
        TestContext.Current.SendDiagnosticMessage($"kubectl apply → Studio informer: {applied.ElapsedMilliseconds} ms");

        var entry = (await Catalog.ViewAsync(id, null, Ct)).Value.Entries.Single(e => e.Name == "cpu-small");
        Assert.Equal(("500m", "1500Mi", "1", "2Gi"), (entry.InstanceType!.RequestCpu, entry.InstanceType.RequestMemory, entry.InstanceType.LimitCpu, entry.InstanceType.LimitMemory));
        Assert.Equal(1500L * 1024 * 1024, entry.InstanceType.Requests.MemoryBytes);
    }

    [Fact]
    public async Task Create_WithBrokenRules_IsRejectedByStudio_PerField()
    {
        var (id, _, client) = await InstalledAsync();

        var result = await Catalog.CreateAsync(Admin, id, GpuA100 with { Name = "bad", RequestCpu = "0", RequestMemory = "64Gi", RequestGpu = "1", LimitGpu = "0.5" }, Ct);

        Assert.Equal(
            new[] { InstanceTypeFields.RequestCpu, InstanceTypeFields.RequestGpu, InstanceTypeFields.LimitGpu, InstanceTypeFields.RequestMemory }.Order(StringComparer.Ordinal),
            result.Errors.Select(e => e.Field!).Order(StringComparer.Ordinal));
        var list = await client.CustomObjects.ListClusterCustomObjectAsync<InstanceTypeResourceList>("amlarc.azureml.com", "v1alpha1", "instancetypes", cancellationToken: Ct);
        Assert.DoesNotContain(list.Items, i => i.Metadata.Name == "bad");
    }

    [Fact]
    public async Task Create_LargerThanEveryMatchingNode_IsSaved_WithAWarningNamingTheLargestNode()
    {
        var (id, _, _) = await InstalledAsync();
        var draft = new InstanceTypeDraft("cpu-huge", new Dictionary<string, string> { ["agentpool"] = "cpu" }, "16", "8Gi", "16", "8Gi");

        var check = await Catalog.ValidateAsync(id, draft, Ct);
        var result = await Catalog.CreateAsync(Admin, id, draft, Ct);

        Assert.True(result.IsSuccess, string.Join("; ", result.Errors.Select(e => e.Message)));
        Assert.Empty(check.Value.Errors);
        var warning = Assert.Single(check.Value.Warnings);
        Assert.Equal(InstanceTypeFields.RequestCpu, warning.Field);
        Assert.Contains("exceeds node size: largest matching node has 8 CPU / 32 GiB allocatable", warning.Message, StringComparison.OrdinalIgnoreCase);
    }

    public static TheoryData<string, string, string> ServerRejects => new()
    {
        { "zero cpu", "requests: { cpu: \"0\", memory: 1Gi }\n    limits: { cpu: \"1\", memory: 1Gi }", "spec.resources.requests.cpu" },
        { "bad memory", "requests: { cpu: \"1\", memory: 2GB }\n    limits: { cpu: \"1\", memory: 4Gi }", "spec.resources.requests.memory" },
        { "gpu in requests", "requests: { cpu: \"1\", memory: 1Gi, nvidia.com/gpu: 1 }\n    limits: { cpu: \"1\", memory: 1Gi, nvidia.com/gpu: 1 }", "spec.resources.requests.nvidia.com/gpu" },
        { "fractional gpu", "requests: { cpu: \"1\", memory: 1Gi }\n    limits: { cpu: \"1\", memory: 1Gi, nvidia.com/gpu: 0.5 }", "spec.resources.limits.nvidia.com/gpu" },
        { "memory limit missing", "requests: { cpu: \"1\", memory: 1Gi }\n    limits: { cpu: \"1\" }", "spec.resources.limits.memory" },
    };

    [Theory]
    [MemberData(nameof(ServerRejects))]
    public async Task Apply_InvalidResourceWithKubectl_IsRejectedByTheCrdSchema(string rule, string resources, string field)
    {
        var (_, sandbox, _) = await InstalledAsync();
        using var kubectl = new Kubectl(sandbox);
        var file = kubectl.Write("bad.yaml", $"""
            apiVersion: amlarc.azureml.com/v1alpha1
            kind: InstanceType
            metadata:
              name: bad
            spec:
              resources:
                {resources}
            """);

        var (exit, output, error) = await kubectl.RunAsync("apply", "-f", file);

        Assert.True(exit != 0, $"{rule}: kubectl accepted it: {output}");
        Assert.Contains(field, error, StringComparison.Ordinal);
        Assert.Contains("NotFound", (await kubectl.RunAsync("get", "instancetype", "bad")).Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Availability_DefaultTopology_MatchesTheHandComputedNumbers_AndChangesWhenAGpuPodStarts()
    {
        var (id, _, client) = await InstalledAsync();
        Assert.True((await Catalog.CreateAsync(Admin, id, GpuA100, Ct)).IsSuccess);
        Assert.True((await Catalog.CreateAsync(Admin, id, new InstanceTypeDraft("gpu-1x-t4", new Dictionary<string, string> { ["agentpool"] = "gput4" }, "2", "8Gi", "4", "16Gi", "1"), Ct)).IsSuccess);
        Assert.True((await Catalog.CreateAsync(Admin, id, new InstanceTypeDraft("cpu-4", new Dictionary<string, string> { ["kubernetes.azure.com/mode"] = "user" }, "4", "8Gi", "4", "8Gi"), Ct)).IsSuccess);
        using var lease = (await Fixture.Services.GetRequiredService<InventoryRegistry>().AcquireAsync(id, Ct)).Value;
        await WaitAsync(lease.Inventory, () => lease.Inventory.InstanceTypes.Count >= 4);

        var view = (await Catalog.ViewAsync(id, null, Ct)).Value;

        // Default topology: system 4 CPU/16Gi; cpu 3× 8/32Gi; gput4 2× 4/28Gi/1 GPU; gpua100 24/220Gi/1 GPU. Nothing runs yet.
        // defaultinstancetype (the extension's resource, 100m/2Gi): ⌊mem/2Gi⌋ = 8 + 3×16 + 2×14 + 110 = 194.
        // gpu-1x-a100 (4/16Gi/1 GPU): the A100 node only → 1. gpu-1x-t4 (2/8Gi/1 GPU): 2 T4 nodes × 1 → 2.
        // cpu-4 (4/8Gi) on user nodes: cpu 3×2 + t4 2×1 + a100 6 = 14; system node excluded by the selector.
        var expected = new Dictionary<string, (int Matching, int Now, int Empty, AvailabilityBadge Badge)>
        {
            ["defaultinstancetype"] = (7, 194, 194, AvailabilityBadge.AvailableNow),
            ["gpu-1x-a100"] = (1, 1, 1, AvailabilityBadge.AvailableNow),
            ["gpu-1x-t4"] = (2, 2, 2, AvailabilityBadge.AvailableNow),
            ["cpu-4"] = (6, 14, 14, AvailabilityBadge.AvailableNow),
        };
        Assert.Equal(expected, view.Availability.ToDictionary(a => a.InstanceType.Name, a => (a.MatchingNodes, a.ReplicasFitNow, a.ReplicasFitEmpty, a.Badge)));
        Assert.Equal(1, view.AvailabilityOf("gpu-1x-a100")!.FreeGpus);

        await client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "a100-job" },
            Spec = new V1PodSpec
            {
                NodeSelector = new Dictionary<string, string> { ["nvidia.com/gpu.product"] = A100 },
                Containers = [new V1Container { Name = "main", Image = "nginx:1.27", Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("4"), ["memory"] = new("16Gi") }, Limits = new Dictionary<string, ResourceQuantity> { ["nvidia.com/gpu"] = new("1") } } }],
            },
        }, "default", cancellationToken: Ct);
        await WaitAsync(lease.Inventory, () => lease.Inventory.Capacity().Any(c => c.Requested.Gpus == 1));

        var busy = (await Catalog.ViewAsync(id, null, Ct)).Value;
        var a100 = busy.AvailabilityOf("gpu-1x-a100")!;
        Assert.Equal((1, 0, 1, AvailabilityBadge.Busy, 0L), (a100.MatchingNodes, a100.ReplicasFitNow, a100.ReplicasFitEmpty, a100.Badge, a100.FreeGpus));
        Assert.Contains("All GPUs", a100.Reason, StringComparison.Ordinal);

        // The A100 node lost 4 CPU and 16Gi: default ⌊204Gi/2Gi⌋ = 102 there (194 − 8); cpu-4 ⌊20/4⌋ = 5 there (14 − 1).
        Assert.Equal(186, busy.AvailabilityOf("defaultinstancetype")!.ReplicasFitNow);
        Assert.Equal(13, busy.AvailabilityOf("cpu-4")!.ReplicasFitNow);
        Assert.Equal(AvailabilityBadge.AvailableNow, busy.AvailabilityOf("gpu-1x-t4")!.Badge);
    }

    [Fact]
    public async Task ExtensionNotInstalled_IsAClearState_ThenTheCatalogAppearsAfterInstall()
    {
        var (name, _, _) = await NewClusterAsync();
        var id = (await Clusters.GetAsync(name, Ct)).Value.Id;

        var view = (await Catalog.ViewAsync(id, null, Ct)).Value;

        Assert.False(view.ExtensionInstalled);
        Assert.Equal([InstanceType.DefaultName], view.Entries.Select(e => e.Name));
        Assert.True(view.Entries[0].IsImplicit);
        Assert.Equal("extension_not_installed", Assert.Single((await Catalog.CreateAsync(Admin, id, GpuA100, Ct)).Errors).Code);

        Assert.True((await Extension.InstallAsync(Admin, name, new Studio.Infrastructure.Compute.ExtensionSettings(), Ct)).IsSuccess);
        using var lease = (await Fixture.Services.GetRequiredService<InventoryRegistry>().AcquireAsync(id, Ct)).Value;
        await WaitAsync(lease.Inventory, () => lease.Inventory.InstanceTypesInstalled == true, TimeSpan.FromSeconds(20));
        Assert.True((await Catalog.CreateAsync(Admin, id, GpuA100, Ct)).IsSuccess);
    }

    [Fact]
    public async Task Update_OfAKubectlResource_RemovesSelectorKeysTheFormDropped()
    {
        var (id, sandbox, _) = await InstalledAsync();
        using var kubectl = new Kubectl(sandbox);
        await kubectl.OkAsync("apply", "-f", kubectl.Write("t.yaml", """
            apiVersion: amlarc.azureml.com/v1alpha1
            kind: InstanceType
            metadata: { name: tagged }
            spec:
              nodeSelector: { agentpool: cpu, kubernetes.io/os: linux }
              resources:
                requests: { cpu: "1", memory: 1Gi }
                limits: { cpu: "1", memory: 1Gi }
            """));
        using var lease = (await Fixture.Services.GetRequiredService<InventoryRegistry>().AcquireAsync(id, Ct)).Value;
        await WaitAsync(lease.Inventory, () => lease.Inventory.InstanceTypes.TryGet("tagged", out _));

        var updated = await Catalog.UpdateAsync(Admin, id, "tagged", new InstanceTypeDraft("tagged", new Dictionary<string, string> { ["agentpool"] = "cpu" }, "1", "2Gi", "2", "2Gi"), Ct);

        Assert.True(updated.IsSuccess, string.Join("; ", updated.Errors.Select(e => e.Message)));
        Assert.Equal("{\"agentpool\":\"cpu\"}|2Gi", await kubectl.OkAsync("get", "instancetype", "tagged", "-o", "jsonpath={.spec.nodeSelector}|{.spec.resources.requests.memory}"));
        Assert.Equal("metadata.name", Assert.Single((await Catalog.UpdateAsync(Admin, id, "tagged", new InstanceTypeDraft("renamed", null, "1", "1Gi", "1", "1Gi"), Ct)).Errors).Field);
    }

    [Fact]
    public async Task Import_WithAnInvalidItem_WritesNothing_AndNamesTheItemPath_ThenTheFixedFileRoundTripsThroughExport()
    {
        var (id, _, _) = await InstalledAsync();
        const string Yaml = """
            apiVersion: amlarc.azureml.com/v1alpha1
            kind: InstanceTypeList
            items:
              - metadata: { name: cpusmall }
                spec:
                  resources:
                    requests: { cpu: 100m, memory: 100Mi }
                    limits: { cpu: 1, memory: 1Gi }
              - metadata: { name: defaultinstancetype }
                spec:
                  resources:
                    requests:
                      cpu: "0"
                      memory: 1Gi
                    limits: { cpu: 1, memory: 1Gi }
            """;

        var failed = (await Catalog.ImportAsync(Admin, id, Yaml, dryRun: false, Ct)).Value;

        Assert.False(failed.Applied);
        Assert.Equal([ImportOutcome.Created, ImportOutcome.Failed], failed.Items.Select(i => i.Outcome));
        var error = Assert.Single(failed.Items[1].Errors);
        Assert.Equal("items[1].spec.resources.requests.cpu", error.Field);
        Assert.StartsWith("Line 13:", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain((await Catalog.ViewAsync(id, null, Ct)).Value.Entries, e => e.Name == "cpusmall");

        var fixedYaml = Yaml.Replace("cpu: \"0\"", "cpu: \"1\"", StringComparison.Ordinal);
        var dry = (await Catalog.ImportAsync(Admin, id, fixedYaml, dryRun: true, Ct)).Value;
        Assert.Equal([ImportOutcome.Created, ImportOutcome.Updated], dry.Items.Select(i => i.Outcome));
        var applied = (await Catalog.ImportAsync(Admin, id, fixedYaml, dryRun: false, Ct)).Value;
        Assert.True(applied.Applied);

        using var lease = (await Fixture.Services.GetRequiredService<InventoryRegistry>().AcquireAsync(id, Ct)).Value;
        await WaitAsync(lease.Inventory, () => lease.Inventory.InstanceTypes.TryGet("cpusmall", out _) && lease.Inventory.InstanceTypes.TryGet("defaultinstancetype", out var d) && d!.Draft.RequestCpu == "1");
        var exported = (await Catalog.ExportAsync(id, ["cpusmall", "defaultinstancetype"], Ct)).Value;
        Assert.Contains("kind: InstanceTypeList", exported, StringComparison.Ordinal);
        Assert.Contains("memory: 100Mi", exported, StringComparison.Ordinal);
        var again = (await Catalog.ImportAsync(Admin, id, exported, dryRun: true, Ct)).Value;
        Assert.All(again.Items, i => Assert.Equal(ImportOutcome.Unchanged, i.Outcome));
    }

    [Fact]
    public async Task Delete_RemovesTheResource_AndTheImplicitDefaultCannotBeDeleted()
    {
        var (id, _, client) = await InstalledAsync();
        Assert.True((await Catalog.CreateAsync(Admin, id, GpuA100, Ct)).IsSuccess);

        Assert.True((await Catalog.DeleteAsync(Admin, id, "gpu-1x-a100", Ct)).IsSuccess);
        Assert.True((await Catalog.DeleteAsync(Admin, id, InstanceType.DefaultName, Ct)).IsSuccess);

        using var lease = (await Fixture.Services.GetRequiredService<InventoryRegistry>().AcquireAsync(id, Ct)).Value;
        await WaitAsync(lease.Inventory, () => lease.Inventory.InstanceTypes.Count == 0);
        var view = (await Catalog.ViewAsync(id, null, Ct)).Value;
        Assert.True(Assert.Single(view.Entries).IsImplicit);
        Assert.Equal("instancetype_implicit", Assert.Single((await Catalog.DeleteAsync(Admin, id, InstanceType.DefaultName, Ct)).Errors).Code);
        Assert.Equal(Studio.Domain.Common.ErrorKind.Forbidden, Assert.Single((await Catalog.DeleteAsync(new("ds", "Data Scientist", null), id, "x", Ct)).Errors).Kind);
        _ = client;
    }

    [Fact]
    public async Task ComputeRestriction_IsSaved_NamesMustExistOnTheCluster_AndTheDefaultCannotBeDeleted()
    {
        var (id, _, _) = await InstalledAsync();
        var name = (await Clusters.ListAsync(Ct)).Single(c => c.Id == id).Name;
        var workspace = await NewWorkspaceAsync();
        Assert.True((await Computes.AttachAsync(Admin, workspace, new Studio.Infrastructure.Compute.AttachComputeRequest("gpu", name, "team-gpu", CreateNamespace: true), Ct)).IsSuccess);
        Assert.True((await Catalog.CreateAsync(Admin, id, GpuA100, Ct)).IsSuccess);
        using var lease = (await Fixture.Services.GetRequiredService<InventoryRegistry>().AcquireAsync(id, Ct)).Value;
        await WaitAsync(lease.Inventory, () => lease.Inventory.InstanceTypes.TryGet("gpu-1x-a100", out _));

        var unknown = await Catalog.SetComputeInstanceTypesAsync(Admin, workspace, "gpu", "gpu-1x-a100", ["gpu-1x-a100", "gpu-8x-h100"], Ct);
        var saved = await Catalog.SetComputeInstanceTypesAsync(Admin, workspace, "gpu", "gpu-1x-a100", ["gpu-1x-a100"], Ct);
        var scientist = await Catalog.SetComputeInstanceTypesAsync(new("ds", "DS", null), workspace, "gpu", null, null, Ct);

        Assert.Contains("gpu-8x-h100", Assert.Single(unknown.Errors).Message, StringComparison.Ordinal);
        Assert.True(saved.IsSuccess);
        Assert.Equal(Studio.Domain.Common.ErrorKind.NotFound, Assert.Single(scientist.Errors).Kind); // a non-member does not even see the workspace
        var reloaded = (await Computes.GetAsync(Admin, workspace, "gpu", Ct)).Value;
        Assert.Equal("gpu-1x-a100", reloaded.DefaultInstanceType);
        Assert.Equal(["gpu-1x-a100"], reloaded.AllowedInstanceTypes);
        Assert.Equal("instancetype_in_use", Assert.Single((await Catalog.DeleteAsync(Admin, id, "gpu-1x-a100", Ct)).Errors).Code);
    }

    private static async Task WaitAsync(ClusterInventory inventory, Func<bool> condition, TimeSpan? timeout = null)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check()
        {
            if (condition())
            {
                done.TrySetResult();
            }
        }

        inventory.Changed += Check;
        try
        {
            Check();
            await done.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(10), Ct);
        }
        finally
        {
            inventory.Changed -= Check;
        }
    }
}
