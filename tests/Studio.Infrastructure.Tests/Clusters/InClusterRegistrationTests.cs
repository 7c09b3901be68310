using k8s;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Studio.Domain.Clusters;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Clusters;
using Studio.Infrastructure.Kubernetes;
using Studio.Infrastructure.Persistence;
using Studio.Infrastructure.Tests.Leadership;
using Studio.Sandbox;

namespace Studio.Infrastructure.Tests.Clusters;

/// <summary>
/// The cluster the studio runs in, registered with the studio's own service account. The in-cluster environment is faked
/// under a temp folder: a token, a CA (the HTTPS sandbox's self-signed certificate) and a namespace file, and the
/// sandbox's loopback address as KUBERNETES_SERVICE_HOST/PORT. The sandbox accepts only the current token.
/// </summary>
public sealed class InClusterRegistrationTests : IAsyncLifetime
{
    private static readonly Actor Admin = new("admin", "Admin", WorkspaceRole.Administrator);

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "studio-incluster-" + Guid.NewGuid().ToString("N")[..8]);
    private SandboxServer _sandbox = null!;
    private ServiceProvider _services = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ClusterService Clusters => _services.GetRequiredService<ClusterService>();

    private InClusterAccess Access => _services.GetRequiredService<InClusterAccess>();

    public async ValueTask InitializeAsync()
    {
        _sandbox = await SandboxServer.StartAsync(new SandboxOptions { Port = 0, Tls = true, AcceptedTokens = ["token-one"] });
        var account = Directory.CreateDirectory(Path.Combine(_folder, "serviceaccount")).FullName;
        await File.WriteAllTextAsync(Path.Combine(account, "token"), "token-one\n", Ct);
        await File.WriteAllTextAsync(Path.Combine(account, "ca.crt"), _sandbox.CertificateAuthorityPem, Ct);
        await File.WriteAllTextAsync(Path.Combine(account, "namespace"), "studio-system", Ct);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Studio:InCluster:Register"] = "true",
            ["Studio:InCluster:Name"] = "home",
            ["Studio:InCluster:ServiceAccountPath"] = account,
            ["Studio:InCluster:Host"] = "127.0.0.1",
            ["Studio:InCluster:Port"] = _sandbox.BaseAddress.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddStudioPersistence(new DatabaseOptions { Provider = DatabaseProvider.Sqlite }, Path.Combine(_folder, "data"));
        services.AddStudioKubernetes(configuration);
        _services = services.BuildServiceProvider();
        await _services.GetRequiredService<DatabaseMigrator>().MigrateAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await _sandbox.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task RegisterInCluster_WithTheMountedServiceAccount_ConnectsOverTlsAndStoresNoCredentials()
    {
        var registered = await Clusters.RegisterInClusterAsync(Access, Ct);

        Assert.True(registered.IsSuccess, string.Join("; ", registered.Errors.Select(e => e.Message)));
        Assert.Equal((ClusterKind.InCluster, _sandbox.BaseAddress.ToString().TrimEnd('/')), (registered.Value.Kind, registered.Value.Server));
        Assert.Contains("studio-system", registered.Value.Source, StringComparison.Ordinal);
        var report = await Clusters.CheckAsync("home", Ct);
        Assert.True(report.Value.Connected, report.Value.Problem);
        await using var db = _services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContext();
        Assert.False(await db.ClusterCredentials.AnyAsync(c => c.ClusterId == registered.Value.Id, Ct), "Nothing is stored for the studio's own cluster.");
    }

    [Fact]
    public async Task RegisterInCluster_Twice_KeepsOneRegistrationAndFollowsAMovedApiServer()
    {
        var first = (await Clusters.RegisterInClusterAsync(Access, Ct)).Value;
        Access.Options.Host = "localhost";

        var second = await Clusters.RegisterInClusterAsync(Access, Ct);

        Assert.True(second.IsSuccess, string.Join("; ", second.Errors.Select(e => e.Message)));
        Assert.Equal(first.Id, second.Value.Id);
        Assert.Equal($"https://localhost:{_sandbox.BaseAddress.Port}", second.Value.Server);
        Assert.Single(await Clusters.ListAsync(Ct), c => c.Kind == ClusterKind.InCluster);
        Assert.True((await Clusters.CheckAsync("home", Ct)).Value.Connected);
    }

    [Fact]
    public async Task MountedToken_WhenKubernetesRotatesIt_IsReadAgainByTheRegisteredClient()
    {
        var cluster = (await Clusters.RegisterInClusterAsync(Access, Ct)).Value;
        var client = (await _services.GetRequiredService<KubernetesClientFactory>().GetAsync(cluster.Id, Ct)).Value;
        Assert.NotEmpty((await client.CoreV1.ListNodeAsync(cancellationToken: Ct)).Items);

        _sandbox.AcceptTokens("token-two");
        var refused = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() => client.CoreV1.ListNodeAsync(cancellationToken: Ct));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.Response.StatusCode);
        await File.WriteAllTextAsync(Path.Combine(Access.Options.ServiceAccountPath, "token"), "token-two\n", Ct);

        Assert.NotEmpty((await client.CoreV1.ListNodeAsync(cancellationToken: Ct)).Items);
    }

    [Fact]
    public async Task RotateCredentials_OfTheInClusterRegistration_IsRefusedAndChangesNothing()
    {
        await Clusters.RegisterInClusterAsync(Access, Ct);

        var rotated = await Clusters.RotateCredentialsAsync(Admin, "home", _sandbox.CreateKubeconfigYaml(), null, Ct);

        Assert.Equal("in_cluster", Assert.Single(rotated.Errors).Code);
        var cluster = (await Clusters.GetAsync("home", Ct)).Value;
        Assert.Equal((ClusterKind.InCluster, (DateTimeOffset?)null), (cluster.Kind, cluster.CredentialsRotatedAt));
    }

    [Fact]
    public async Task RegisterInCluster_WhenTheNameIsTakenByAnotherCluster_LeavesItAlone()
    {
        var kubeconfig = await Clusters.RegisterAsync(Admin, new RegisterClusterRequest("home", null, _sandbox.CreateKubeconfigYaml(), null, SkipConnectionCheck: true), Ct);
        Assert.True(kubeconfig.IsSuccess, string.Join("; ", kubeconfig.Errors.Select(e => e.Message)));

        var registered = await Clusters.RegisterInClusterAsync(Access, Ct);

        Assert.Equal(("cluster_exists", "name"), (Assert.Single(registered.Errors).Code, registered.Errors[0].Field));
        Assert.Equal(ClusterKind.Kubeconfig, (await Clusters.GetAsync("home", Ct)).Value.Kind);
    }

    [Fact]
    public async Task RegisterInCluster_OutsideAPod_SaysWhyAndRegistersNothing()
    {
        Access.Options.Host = null;
        var saved = Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST");
        Assert.Null(saved);

        var registered = await Clusters.RegisterInClusterAsync(Access, Ct);

        Assert.Contains("KUBERNETES_SERVICE_HOST", Assert.Single(registered.Errors).Message, StringComparison.Ordinal);
        Assert.Empty(await Clusters.ListAsync(Ct));
    }

    [Fact]
    public async Task Registration_AtStartUp_WaitsForTheLeadAndRegistersOnce()
    {
        var leadership = new ManualLeadership();
        using var registration = new InClusterRegistration(Clusters, Access, leadership, NullLogger<InClusterRegistration>.Instance);
        await registration.StartAsync(Ct);
        await Task.Delay(300, Ct);
        Assert.Empty(await Clusters.ListAsync(Ct));

        leadership.Grant();
        await registration.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal("home", Assert.Single(await Clusters.ListAsync(Ct)).Name);
        await registration.StopAsync(Ct);
    }
}
