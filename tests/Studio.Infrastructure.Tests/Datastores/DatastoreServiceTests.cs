using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Sas;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Studio.Domain.Artifacts;
using Studio.Domain.Jobs;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Datastores;
using Studio.Infrastructure.Persistence;
using Studio.Infrastructure.Tests.Artifacts;
using Studio.Infrastructure.Tests.Jobs;
using Studio.Infrastructure.Workspaces;

namespace Studio.Infrastructure.Tests.Datastores;

/// <summary>
/// Workspaces' datastores on a SQLite studio, against real storage servers (Azurite and s3rver from npm): secrets are
/// encrypted at rest and never come back; who may see and change them; "test connection" names each cause from the
/// server's own answer; delete is refused while an unfinished job uses the datastore.
/// </summary>
[Collection(StorageServerCollection.Name)]
public sealed class DatastoreServiceTests(AzuriteFixture azurite, S3rverFixture s3) : IClassFixture<AzuriteFixture>, IClassFixture<S3rverFixture>, IAsyncLifetime
{
    public const string AzuriteKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private static readonly Actor Admin = JobsFixture.Admin;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "studio-ds-" + Guid.NewGuid().ToString("N")[..8]);
    private ServiceProvider _services = null!;
    private string _workspace = null!;
    private Actor _scientist = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DatastoreService Datastores => _services.GetRequiredService<DatastoreService>();

    private string AzuriteEndpoint => $"http://127.0.0.1:{azurite.Server.Port}/devstoreaccount1";

    private string S3Endpoint => $"http://127.0.0.1:{s3.Server.Port}";

    public async ValueTask InitializeAsync()
    {
        _services = JobsFixture.CreateServices(_folder);
        await _services.GetRequiredService<DatabaseMigrator>().MigrateAsync(Ct);
        _workspace = "ws-" + Guid.NewGuid().ToString("N")[..8];
        var workspaces = _services.GetRequiredService<WorkspaceService>();
        Assert.True((await workspaces.CreateAsync(Admin, _workspace, null, Ct)).IsSuccess);
        Assert.True((await workspaces.SetMemberAsync(Admin, _workspace, "dana", "Dana", WorkspaceRole.DataScientist, Ct)).IsSuccess);
        _scientist = new Actor("dana", "Dana", null);
        var container = new BlobContainerClient($"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AzuriteKey};BlobEndpoint={AzuriteEndpoint};", "training");
        await container.CreateIfNotExistsAsync(cancellationToken: Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private DatastoreInput Azure(string name, string? key = AzuriteKey, string container = "training", string? endpoint = null) =>
        new(name, DatastoreKind.AzureBlob, new DatastoreSettings(endpoint ?? AzuriteEndpoint, container, "team-a", null, DatastoreAuth.AccountKey), new DatastoreCredentials(AccountKey: key));

    private DatastoreInput S3(string name, string bucket = "studio", string accessKey = "S3RVER", string? endpoint = null) =>
        new(name, DatastoreKind.S3, new DatastoreSettings(endpoint ?? S3Endpoint, bucket, "team-a", null, DatastoreAuth.AccessKey, "us-east-1"), new DatastoreCredentials(AccessKeyId: accessKey, SecretAccessKey: "S3RVER"));

    [Fact]
    public async Task Create_KeepsTheSecretEncryptedAtRest_AndNeverReturnsIt()
    {
        var created = await Datastores.CreateAsync(Admin, _workspace, Azure("training_blob"), Ct);

        Assert.True(created.IsSuccess, string.Join("; ", created.Errors.Select(e => $"{e.Field}: {e.Message}")));
        var list = (await Datastores.ListAsync(_scientist, _workspace, Ct)).Value;
        Assert.Equal([DatastoreName.Default, "training_blob"], list.Select(d => d.Name));
        Assert.True(list[0].BuiltIn);
        Assert.True(list[1].HasSecret);
        Assert.DoesNotContain(AzuriteKey, JsonSerializer.Serialize(list), StringComparison.Ordinal);
        await using var db = _services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContext();
        var stored = await db.DatastoreCredentials.SingleAsync(Ct);
        Assert.DoesNotContain(AzuriteKey, stored.ProtectedSecret, StringComparison.Ordinal);
        Assert.DoesNotContain(AzuriteKey[..20], stored.ProtectedSecret, StringComparison.Ordinal);
        Assert.Equal(AzuriteKey, (await _services.GetRequiredService<DatastoreCredentialStore>().ReadAsync(stored.DatastoreId, Ct)).AccountKey);
    }

    [Fact]
    public async Task OnlyAdministratorsChangeDatastores_AndAnotherWorkspacesMembersDoNotSeeThem()
    {
        Assert.True((await Datastores.CreateAsync(Admin, _workspace, S3("bucket_a"), Ct)).IsSuccess);
        var other = "ws-" + Guid.NewGuid().ToString("N")[..8];
        Assert.True((await _services.GetRequiredService<WorkspaceService>().CreateAsync(Admin, other, null, Ct)).IsSuccess);
        Assert.True((await _services.GetRequiredService<WorkspaceService>().SetMemberAsync(Admin, other, "bob", "Bob", WorkspaceRole.DataScientist, Ct)).IsSuccess);
        var bob = new Actor("bob", "Bob", null);

        Assert.Equal(Studio.Domain.Common.ErrorKind.Forbidden, ErrorKindOf(await Datastores.CreateAsync(_scientist, _workspace, S3("bucket_b"), Ct)));
        Assert.Equal(Studio.Domain.Common.ErrorKind.NotFound, ErrorKindOf(await Datastores.ListAsync(bob, _workspace, Ct)));
        Assert.Equal(Studio.Domain.Common.ErrorKind.NotFound, ErrorKindOf(await Datastores.GetAsync(bob, _workspace, "bucket_a", Ct)));
        Assert.Equal([DatastoreName.Default], (await Datastores.ListAsync(bob, other, Ct)).Value.Select(d => d.Name));
        Assert.False((await Datastores.DeleteAsync(_scientist, _workspace, "bucket_a", Ct)).IsSuccess);
        Assert.Equal("datastore_builtin", (await Datastores.DeleteAsync(Admin, _workspace, DatastoreName.Default, Ct)).Errors[0].Code);
        Assert.Equal("datastore_exists", (await Datastores.CreateAsync(Admin, _workspace, S3("bucket_a"), Ct)).Errors[0].Code);
    }

    [Fact]
    public async Task Update_WithoutCredentials_KeepsTheSecret_AndBadFieldsAreNamed()
    {
        Assert.True((await Datastores.CreateAsync(Admin, _workspace, S3("minio"), Ct)).IsSuccess);

        var moved = await Datastores.UpdateAsync(Admin, _workspace, "minio", S3("minio") with { Settings = S3("minio").Settings with { Prefix = "team-b" }, Credentials = null }, Ct);
        var bad = await Datastores.UpdateAsync(Admin, _workspace, "minio", S3("minio") with { Settings = S3("minio").Settings with { Region = "Not A Region", Container = "X" } }, Ct);

        Assert.True(moved.IsSuccess);
        Assert.Equal(("team-b", true), (moved.Value.Prefix, moved.Value.HasSecret));
        Assert.Equal(["container", "region"], bad.Errors.Select(e => e.Field).Order());
        Assert.True((await Datastores.TestAsync(Admin, _workspace, "minio", Ct)).Value.Ok);
    }

    [Fact]
    public async Task TestConnection_AgainstAzurite_NamesEachCause()
    {
        var ok = await Test(Azure("t"));
        var container = await Test(Azure("t", container: "nosuchcontainer"));
        var key = await Test(Azure("t", key: Convert.ToBase64String(new byte[64])));
        var unreachable = await Test(Azure("t", endpoint: $"http://127.0.0.1:{ClosedPort()}/devstoreaccount1"));
        var expired = await Test(new DatastoreInput("t", DatastoreKind.AzureBlob, new DatastoreSettings(AzuriteEndpoint, "training", null, null, DatastoreAuth.Sas), new DatastoreCredentials(SasToken: ExpiredSas())));
        var sas = await Test(new DatastoreInput("t", DatastoreKind.AzureBlob, new DatastoreSettings(AzuriteEndpoint, "training", null, null, DatastoreAuth.Sas), new DatastoreCredentials(SasToken: Sas(DateTimeOffset.UtcNow.AddHours(1)))));

        Assert.True(ok.Ok, ok.Message);
        Assert.True(sas.Ok, sas.Message);
        Assert.Equal("unknown_container", container.Cause);
        Assert.Equal("wrong_key", key.Cause);
        Assert.Equal("unreachable", unreachable.Cause);
        Assert.Equal("expired_sas", expired.Cause);
    }

    [Fact]
    public async Task TestConnection_AgainstS3rver_NamesEachCause()
    {
        var ok = await Test(S3("t"));
        var bucket = await Test(S3("t", bucket: "nosuchbucket"));
        var key = await Test(S3("t", accessKey: "WRONGKEY"));
        var unreachable = await Test(S3("t", endpoint: $"http://127.0.0.1:{ClosedPort()}"));

        Assert.True(ok.Ok, ok.Message);
        Assert.Equal("unknown_container", bucket.Cause);
        Assert.Equal("wrong_key", key.Cause);
        Assert.Equal("unreachable", unreachable.Cause);
    }

    [Fact]
    public async Task Delete_WhileAnUnfinishedJobUsesIt_IsRefused_AndAllowedOnceItEnded()
    {
        Assert.True((await Datastores.CreateAsync(Admin, _workspace, S3("in_use"), Ct)).IsSuccess);
        Guid workspaceId;
        TrainingJob job;
        await using (var db = _services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContext())
        {
            workspaceId = await db.Workspaces.Where(w => w.Name == _workspace).Select(w => w.Id).SingleAsync(Ct);
            var spec = "{\"dataInputs\":{\"d\":{\"path\":\"azureml://datastores/in_use/paths/data/\"}}}";
            job = TestJobs.InState(TestJobs.Submission(workspaceId, "reads-it") with { SpecJson = spec }, JobState.Running, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);
            db.Jobs.Add(job);
            await db.SaveChangesAsync(Ct);
        }

        var refused = await Datastores.DeleteAsync(Admin, _workspace, "in_use", Ct);

        Assert.Equal("datastore_in_use", refused.Errors.Single().Code);
        Assert.Contains("reads-it", refused.Errors[0].Message, StringComparison.Ordinal);
        await using (var db = _services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContext())
        {
            var stored = await db.Jobs.SingleAsync(j => j.Id == job.Id, Ct);
            stored.Cancel("test", DateTimeOffset.UtcNow);
            await db.SaveChangesAsync(Ct);
        }

        Assert.True((await Datastores.DeleteAsync(Admin, _workspace, "in_use", Ct)).IsSuccess);
        await using var check = _services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContext();
        Assert.Empty(await check.DatastoreCredentials.ToListAsync(Ct));
    }

    private async Task<DatastoreConnectionResult> Test(DatastoreInput input)
    {
        var result = await Datastores.TestAsync(Admin, _workspace, input, Ct);
        Assert.True(result.IsSuccess, string.Join("; ", result.Errors.Select(e => $"{e.Field}: {e.Message}")));
        return result.Value;
    }

    private static string ExpiredSas() => Sas(DateTimeOffset.UtcNow.AddMinutes(-5));

    private static string Sas(DateTimeOffset expiresOn)
    {
        var builder = new BlobSasBuilder(BlobContainerSasPermissions.Read | BlobContainerSasPermissions.List | BlobContainerSasPermissions.Write, expiresOn) { BlobContainerName = "training", Resource = "c", Protocol = SasProtocol.HttpsAndHttp };
        return builder.ToSasQueryParameters(new global::Azure.Storage.StorageSharedKeyCredential("devstoreaccount1", AzuriteKey)).ToString();
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Studio.Domain.Common.ErrorKind ErrorKindOf<T>(Studio.Domain.Common.Result<T> result) => result.Errors.Single().Kind;
}
