using k8s;
using k8s.Models;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Studio.Domain.Jobs;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Artifacts;
using Studio.Infrastructure.Clusters;
using Studio.Infrastructure.Compute;
using Studio.Infrastructure.Events;
using Studio.Infrastructure.Jobs;
using Studio.Infrastructure.Kubernetes;
using Studio.Infrastructure.Persistence;
using Studio.Infrastructure.Tests.Artifacts;
using Studio.Infrastructure.Workspaces;
using Studio.Sandbox;

namespace Studio.Infrastructure.Tests.Jobs;

/// <summary>
/// A sandbox cluster (20× speed) with the extension installed and GPU instance types, the studio's job services on a
/// fresh SQLite database with the tracker running. Each test gets its own workspace and compute target (namespace).
/// </summary>
public sealed class JobsFixture : IAsyncLifetime
{
    public static readonly Actor Admin = new("admin", "Admin", WorkspaceRole.Administrator);

    public SandboxServer Sandbox { get; private set; } = null!;

    /// <summary>The studio store's signed URLs over HTTP (what the sandbox's kubelet fetches a job's code from).</summary>
    public ArtifactHttpServer Artifacts { get; private set; } = null!;

    public ServiceProvider Services { get; private set; } = null!;

    public IKubernetes Client { get; private set; } = null!;

    public string Cluster { get; } = "jobs-" + Guid.NewGuid().ToString("N")[..6];

    /// <summary>Where the SQLite database lives (a second studio replica can share it).</summary>
    public string DataFolder { get; } = Path.Combine(Path.GetTempPath(), "studio-jobs-" + Guid.NewGuid().ToString("N")[..8]);

    public Guid ClusterId { get; private set; }

    /// <summary>Every <see cref="JobStatusChanged"/> this studio dispatches, as its live job feed receives them.</summary>
    public JobChangeRecorder Changes => ChangesOf(Services);

    public JobSubmissionService Submissions => Services.GetRequiredService<JobSubmissionService>();

    public JobQueryService Queries => Services.GetRequiredService<JobQueryService>();

    public JobLogService Logs => Services.GetRequiredService<JobLogService>();

    public JobCancellationService Cancellations => Services.GetRequiredService<JobCancellationService>();

    public JobCodeSubmission CodeSubmissions => Services.GetRequiredService<JobCodeSubmission>();

    public async ValueTask InitializeAsync()
    {
        Sandbox = await SandboxServer.StartAsync(new SandboxOptions { Port = 0, Speed = 20 });
        Services = CreateServices(DataFolder);
        Artifacts = await ArtifactHttpServer.StartAsync(Services);
        await Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
        await Services.GetRequiredService<JobTracker>().StartAsync(CancellationToken.None);
        var registered = await Services.GetRequiredService<ClusterService>().RegisterAsync(Admin, new RegisterClusterRequest(Cluster, null, Sandbox.CreateKubeconfigYaml(), null), CancellationToken.None);
        Assert.True(registered.IsSuccess, string.Join("; ", registered.Errors.Select(e => e.Message)));
        ClusterId = registered.Value.Id;
        Client = (await Services.GetRequiredService<KubernetesClientFactory>().GetAsync(ClusterId, CancellationToken.None)).Value;
        var installed = await Services.GetRequiredService<ExtensionService>().InstallAsync(Admin, Cluster, new ExtensionSettings(), CancellationToken.None);
        Assert.True(installed.IsSuccess, string.Join("; ", installed.Errors.Select(e => e.Message)));
        await ApplyInstanceTypeAsync("gpu-a100", new Dictionary<string, string> { ["agentpool"] = "gpua100" }, "4", "16Gi", "8", "32Gi", 1);
        await ApplyInstanceTypeAsync("gpu-t4", new Dictionary<string, string> { ["agentpool"] = "gput4" }, "2", "8Gi", "4", "16Gi", 1);
        await ApplyInstanceTypeAsync("cpu-small", new Dictionary<string, string> { ["agentpool"] = "cpu" }, "1", "2Gi", "2", "4Gi", 0);
        await ApplyInstanceTypeAsync("huge", new Dictionary<string, string> { ["agentpool"] = "cpu" }, "64", "512Gi", "64", "512Gi", 0);
    }

    /// <summary>
    /// The studio's job services on the SQLite database in <paramref name="dataFolder"/>, the tracker scanning every second;
    /// <paramref name="settings"/> overrides configuration (e.g. <c>Studio:Jobs:Tracker:PublishedMemory</c>);
    /// <paramref name="configure"/> replaces services (e.g. the replica's <c>ILeadership</c>).
    /// </summary>
    public static ServiceProvider CreateServices(string dataFolder, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [$"{JobTrackerOptions.SectionName}:ScanInterval"] = "00:00:01" })
            .AddInMemoryCollection(settings ?? new Dictionary<string, string?>())
            .Build();
        var services = new ServiceCollection().AddLogging();
        services.AddStudioPersistence(new DatabaseOptions { Provider = DatabaseProvider.Sqlite }, dataFolder);
        services.AddStudioKubernetes(configuration);
        services.AddStudioJobs(configuration);
        services.AddSingleton<IArtifactBaseUrl, TestArtifactBaseUrl>();
        services.AddStudioArtifacts(configuration, dataFolder);
        services.AddDomainEventHandler<JobStatusChanged, JobChangeRecorder>();
        configure?.Invoke(services);
        return services.BuildServiceProvider();
    }

    /// <summary>The <see cref="JobChangeRecorder"/> of a studio made by <see cref="CreateServices"/> (e.g. a second replica).</summary>
    public static JobChangeRecorder ChangesOf(IServiceProvider services) =>
        services.GetServices<IDomainEventHandler<JobStatusChanged>>().OfType<JobChangeRecorder>().Single();

    /// <summary>
    /// A new workspace with a compute target <c>train</c> in its own namespace (with <paramref name="quota"/> when given; or
    /// in <paramref name="sharedNamespace"/>, confirmed as shared), plus a data scientist and a reader.
    /// </summary>
    public async Task<TestWorkspace> NewWorkspaceAsync(CancellationToken ct, NamespaceQuota? quota = null, string? sharedNamespace = null)
    {
        var name = "ws-" + Guid.NewGuid().ToString("N")[..8];
        var workspaces = Services.GetRequiredService<WorkspaceService>();
        Assert.True((await workspaces.CreateAsync(Admin, name, null, ct)).IsSuccess);
        Assert.True((await workspaces.SetMemberAsync(Admin, name, "ds-" + name, "Dana Scientist", WorkspaceRole.DataScientist, ct)).IsSuccess);
        Assert.True((await workspaces.SetMemberAsync(Admin, name, "reader-" + name, "Rita Reader", WorkspaceRole.Reader, ct)).IsSuccess);
        var ns = sharedNamespace ?? "ns-" + name;
        var attached = await Services.GetRequiredService<ComputeService>().AttachAsync(Admin, name, new AttachComputeRequest("train", Cluster, ns, Quota: quota, CreateNamespace: true, ConfirmSharedNamespace: sharedNamespace is not null), ct);
        Assert.True(attached.IsSuccess, string.Join("; ", attached.Errors.Select(e => e.Message)));
        await using var db = Services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContext();
        var id = await db.Workspaces.Where(w => w.Name == name).Select(w => w.Id).SingleAsync(ct);
        return new TestWorkspace(id, name, ns, new Actor("ds-" + name, "Dana Scientist", null), new Actor("reader-" + name, "Rita Reader", null));
    }

    /// <summary>Waits until the job's record satisfies <paramref name="until"/> (polling the service as the UI would).</summary>
    public async Task<JobDetail> WaitAsync(TestWorkspace ws, string job, Func<JobDetail, bool> until, CancellationToken ct, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        JobDetail? last = null;
        while (DateTime.UtcNow < deadline)
        {
            var detail = await Queries.GetAsync(ws.Scientist, ws.Name, job, ct);
            Assert.True(detail.IsSuccess, string.Join("; ", detail.Errors.Select(e => e.Message)));
            last = detail.Value;
            if (until(last))
            {
                return last;
            }

            await Task.Delay(200, ct);
        }

        Assert.Fail($"Job {job} did not reach the expected state in {seconds}s; it is {last?.Summary.State} ({last?.Summary.Reason}: {last?.Explanation?.Detail}); pods: {string.Join(", ", last?.Pods.Select(p => $"{p.Name} {p.Phase} {p.Reason}") ?? [])}");
        return last!;
    }

    /// <summary>
    /// The name of a recorded job's Kubernetes objects, as its record keeps it: its Studio name plus a suffix of its
    /// workspace (so workspaces sharing a namespace never collide).
    /// </summary>
    public async Task<string> KubernetesNameAsync(TestWorkspace ws, string job, CancellationToken ct)
    {
        await using var db = Services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContext();
        var name = await db.Jobs.Where(j => j.WorkspaceId == ws.Id && j.Name == job).Select(j => j.KubernetesName).SingleAsync(ct);
        Assert.StartsWith(job[..Math.Min(job.Length, 40)], name, StringComparison.Ordinal);
        Assert.NotEqual(job, name);
        return name;
    }

    /// <summary>
    /// The job's Kubernetes Job once the background apply queue has applied it: a submit answers when the record is
    /// Queued, before the apply.
    /// </summary>
    public async Task<V1Job> WaitForKubernetesJobAsync(TestWorkspace ws, string job, CancellationToken ct, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        var name = await KubernetesNameAsync(ws, job, ct);
        while (true)
        {
            try
            {
                return await Client.BatchV1.ReadNamespacedJobAsync(name, ws.Namespace, cancellationToken: ct);
            }
            catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200, ct);
            }
        }
    }

    public Task<JobDetail> WaitForStateAsync(TestWorkspace ws, string job, JobState state, CancellationToken ct, int seconds = 60) =>
        WaitAsync(ws, job, d => d.Summary.State == state, ct, seconds);

    private async Task ApplyInstanceTypeAsync(string name, Dictionary<string, string> selector, string reqCpu, string reqMem, string limCpu, string limMem, int gpus)
    {
        var limits = new Dictionary<string, object> { ["cpu"] = limCpu, ["memory"] = limMem };
        if (gpus > 0)
        {
            limits["nvidia.com/gpu"] = gpus;
        }

        var body = new Dictionary<string, object>
        {
            ["apiVersion"] = "amlarc.azureml.com/v1alpha1",
            ["kind"] = "InstanceType",
            ["metadata"] = new Dictionary<string, object> { ["name"] = name },
            ["spec"] = new Dictionary<string, object>
            {
                ["nodeSelector"] = selector,
                ["resources"] = new Dictionary<string, object> { ["requests"] = new Dictionary<string, object> { ["cpu"] = reqCpu, ["memory"] = reqMem }, ["limits"] = limits },
            },
        };
        await Client.CustomObjects.PatchClusterCustomObjectAsync(new V1Patch(KubernetesJson.Serialize(body), V1Patch.PatchType.ApplyPatch), "amlarc.azureml.com", "v1alpha1", "instancetypes", name, fieldManager: "test", force: true);
    }

    public async ValueTask DisposeAsync()
    {
        await Services.GetRequiredService<JobTracker>().StopAsync(CancellationToken.None);
        await Artifacts.DisposeAsync();
        await Services.DisposeAsync();
        await Sandbox.DisposeAsync();
    }
}
