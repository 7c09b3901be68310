using System.Net;
using Azure.Storage.Blobs;
using Azure.Storage.Sas;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Studio.Domain.Artifacts;
using Studio.Infrastructure.Datastores;
using Studio.Infrastructure.Persistence;
using Studio.Infrastructure.Tests.Artifacts;
using Studio.Infrastructure.Tests.Jobs;
using Studio.Infrastructure.Workspaces;

namespace Studio.Infrastructure.Tests.Datastores;

/// <summary>
/// The URLs pods get for datastore paths, against real servers: a blob SAS or S3 pre-signed URL per file of a folder,
/// the studio's relay for a SAS datastore and for outputs; each reads or writes only its own paths (job A's URL never
/// reaches job B's), and stops working when it expires.
/// </summary>
[Collection(StorageServerCollection.Name)]
public sealed class DatastoreUrlTests(AzuriteFixture azurite, S3rverFixture s3) : IClassFixture<AzuriteFixture>, IClassFixture<S3rverFixture>, IAsyncLifetime
{
    private static readonly HttpClient Http = new();
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "studio-dsurl-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly string _prefix = "t-" + Guid.NewGuid().ToString("N")[..8];
    private ServiceProvider _services = null!;
    private ArtifactHttpServer _server = null!;
    private Guid _workspaceId;
    private string _workspace = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DatastoreUrls Urls => _services.GetRequiredService<DatastoreUrls>();

    private string AzuriteEndpoint => $"http://127.0.0.1:{azurite.Server.Port}/devstoreaccount1";

    public async ValueTask InitializeAsync()
    {
        _services = JobsFixture.CreateServices(_folder);
        await _services.GetRequiredService<DatabaseMigrator>().MigrateAsync(Ct);
        _server = await ArtifactHttpServer.StartAsync(_services);
        _workspace = "ws-" + Guid.NewGuid().ToString("N")[..8];
        Assert.True((await _services.GetRequiredService<WorkspaceService>().CreateAsync(JobsFixture.Admin, _workspace, null, Ct)).IsSuccess);
        await using var db = _services.GetRequiredService<IDbContextFactory<StudioDbContext>>().CreateDbContext();
        _workspaceId = await db.Workspaces.Where(w => w.Name == _workspace).Select(w => w.Id).SingleAsync(Ct);
        var container = new BlobContainerClient($"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DatastoreServiceTests.AzuriteKey};BlobEndpoint={AzuriteEndpoint};", "training");
        await container.CreateIfNotExistsAsync(cancellationToken: Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        await _services.DisposeAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task<Datastore> CreateAsync(DatastoreInput input)
    {
        var created = await _services.GetRequiredService<DatastoreService>().CreateAsync(JobsFixture.Admin, _workspace, input, Ct);
        Assert.True(created.IsSuccess, string.Join("; ", created.Errors.Select(e => $"{e.Field}: {e.Message}")));
        return (await _services.GetRequiredService<DatastoreService>().FindAsync(_workspaceId, input.Name!, Ct))!;
    }

    private async Task SeedAsync(Datastore store)
    {
        var target = await _services.GetRequiredService<DatastoreStores>().ForAsync(store, Ct);
        await target.UploadAsync($"{_prefix}/data/a.csv", new MemoryStream("a,b\n1,2\n"u8.ToArray()), Ct);
        await target.UploadAsync($"{_prefix}/data/sub/b.txt", new MemoryStream("b"u8.ToArray()), Ct);
        await target.UploadAsync($"{_prefix}/other/secret.txt", new MemoryStream("not yours"u8.ToArray()), Ct);
    }

    private async Task<IReadOnlyList<(string RelativePath, string Url)>> FolderAsync(string datastore, DateTimeOffset expires)
    {
        var read = await Urls.ReadAsync(_workspaceId, ArtifactUri.ForDatastore(datastore, $"{_prefix}/data/"), DataAssetType.UriFolder, expires, sign: true, "inputs.d.path", Ct);
        Assert.True(read.IsSuccess, string.Join("; ", read.Errors.Select(e => $"{e.Field}: {e.Message}")));
        return read.Value;
    }

    [Fact]
    public async Task FolderOnAnAccountKeyBlobDatastore_GetsABlobSasPerFile_ThatReadsOnlyThatFile_UntilItExpires()
    {
        var store = await CreateAsync(new DatastoreInput("blob_key", DatastoreKind.AzureBlob, new DatastoreSettings(AzuriteEndpoint, "training", "team-a", null, DatastoreAuth.AccountKey), new DatastoreCredentials(AccountKey: DatastoreServiceTests.AzuriteKey)));
        await SeedAsync(store);

        var urls = await FolderAsync("blob_key", DateTimeOffset.UtcNow.AddMinutes(10));

        Assert.Equal(["a.csv", "sub/b.txt"], urls.Select(u => u.RelativePath));
        var a = new Uri(urls[0].Url);
        Assert.Contains("sr=b", a.Query, StringComparison.Ordinal);
        Assert.Contains("sp=r", a.Query, StringComparison.Ordinal);
        Assert.DoesNotContain(DatastoreServiceTests.AzuriteKey, urls[0].Url, StringComparison.Ordinal);
        Assert.Equal("a,b\n1,2\n", await Http.GetStringAsync(a, Ct));
        var moved = new Uri(a.GetLeftPart(UriPartial.Path).Replace("/data/a.csv", "/other/secret.txt", StringComparison.Ordinal) + a.Query);
        Assert.Equal(HttpStatusCode.Forbidden, (await Http.GetAsync(moved, Ct)).StatusCode);
        using var overwrite = new HttpRequestMessage(HttpMethod.Put, a) { Content = new StringContent("overwrite") };
        overwrite.Headers.Add("x-ms-blob-type", "BlockBlob");
        Assert.Equal(HttpStatusCode.Forbidden, (await Http.SendAsync(overwrite, Ct)).StatusCode);

        var shortLived = await FolderAsync("blob_key", DateTimeOffset.UtcNow.AddSeconds(2));
        await Task.Delay(TimeSpan.FromSeconds(3), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, (await Http.GetAsync(shortLived[0].Url, Ct)).StatusCode);
    }

    [Fact]
    public async Task FolderOnAnS3Datastore_GetsAPreSignedGetPerFile_ThatExpires()
    {
        var store = await CreateAsync(new DatastoreInput("bucket", DatastoreKind.S3, new DatastoreSettings($"http://127.0.0.1:{s3.Server.Port}", "studio", "team-a", null, DatastoreAuth.AccessKey, "us-east-1"), new DatastoreCredentials(AccessKeyId: "S3RVER", SecretAccessKey: "S3RVER")));
        await SeedAsync(store);

        var urls = await FolderAsync("bucket", DateTimeOffset.UtcNow.AddMinutes(10));

        Assert.Equal(["a.csv", "sub/b.txt"], urls.Select(u => u.RelativePath));
        Assert.Contains($"/studio/team-a/{_prefix}/data/a.csv", new Uri(urls[0].Url).AbsolutePath, StringComparison.Ordinal);
        Assert.Contains("X-Amz-Expires=", urls[0].Url, StringComparison.Ordinal);
        Assert.DoesNotContain("S3RVER&", urls[0].Url.Replace("X-Amz-Credential=S3RVER", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal("b", await Http.GetStringAsync(urls[1].Url, Ct));

        var shortLived = await FolderAsync("bucket", DateTimeOffset.UtcNow.AddSeconds(2));
        await Task.Delay(TimeSpan.FromSeconds(3), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, (await Http.GetAsync(shortLived[0].Url, Ct)).StatusCode);
    }

    [Fact]
    public async Task SasDatastore_IsReadThroughTheStudiosRelay_WhoseUrlReadsOnlyItsFile_AndExpires()
    {
        var sas = new BlobSasBuilder(BlobContainerSasPermissions.Read | BlobContainerSasPermissions.List | BlobContainerSasPermissions.Write | BlobContainerSasPermissions.Create, DateTimeOffset.UtcNow.AddHours(1)) { BlobContainerName = "training", Resource = "c", Protocol = SasProtocol.HttpsAndHttp }
            .ToSasQueryParameters(new global::Azure.Storage.StorageSharedKeyCredential("devstoreaccount1", DatastoreServiceTests.AzuriteKey)).ToString();
        var store = await CreateAsync(new DatastoreInput("blob_sas", DatastoreKind.AzureBlob, new DatastoreSettings(AzuriteEndpoint, "training", "team-s", null, DatastoreAuth.Sas), new DatastoreCredentials(SasToken: sas)));
        await SeedAsync(store);

        var urls = await FolderAsync("blob_sas", DateTimeOffset.UtcNow.AddMinutes(10));

        var a = new Uri(urls[0].Url);
        Assert.Equal(_server.Address.Authority, a.Authority);
        Assert.StartsWith($"/artifacts/ds/{store.Id:N}/{_prefix}/data/a.csv", a.AbsolutePath, StringComparison.Ordinal);
        Assert.DoesNotContain("sig=", urls[0].Url, StringComparison.Ordinal);
        Assert.Equal("a,b\n1,2\n", await Http.GetStringAsync(a, Ct));
        var moved = new Uri(a.GetLeftPart(UriPartial.Path).Replace("/data/a.csv", "/other/secret.txt", StringComparison.Ordinal) + a.Query);
        Assert.Equal(HttpStatusCode.Forbidden, (await Http.GetAsync(moved, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Http.PutAsync(a, new StringContent("overwrite"), Ct)).StatusCode);

        var shortLived = await FolderAsync("blob_sas", DateTimeOffset.UtcNow.AddSeconds(1));
        await Task.Delay(TimeSpan.FromSeconds(2), Ct);
        var expired = await Http.GetAsync(shortLived[0].Url, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, expired.StatusCode);
        Assert.Contains("expired", await expired.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RelayedDatastore_WhoseSasChanges_UsesTheNewSasAtOnce()
    {
        static string Sas(string key) => new BlobSasBuilder(BlobContainerSasPermissions.Read | BlobContainerSasPermissions.List | BlobContainerSasPermissions.Write | BlobContainerSasPermissions.Create, DateTimeOffset.UtcNow.AddHours(1)) { BlobContainerName = "training", Resource = "c", Protocol = SasProtocol.HttpsAndHttp }
            .ToSasQueryParameters(new global::Azure.Storage.StorageSharedKeyCredential("devstoreaccount1", key)).ToString();
        var settings = new DatastoreSettings(AzuriteEndpoint, "training", "team-c", null, DatastoreAuth.Sas);
        var store = await CreateAsync(new DatastoreInput("blob_rotated", DatastoreKind.AzureBlob, settings, new DatastoreCredentials(SasToken: Sas(DatastoreServiceTests.AzuriteKey))));
        await SeedAsync(store);
        var url = (await FolderAsync("blob_rotated", DateTimeOffset.UtcNow.AddMinutes(10)))[0].Url;
        var service = _services.GetRequiredService<DatastoreService>();
        Assert.Equal("a,b\n1,2\n", await Http.GetStringAsync(url, Ct));

        var wrongKey = Convert.ToBase64String(new byte[64]);
        Assert.True((await service.UpdateAsync(JobsFixture.Admin, _workspace, "blob_rotated", new DatastoreInput("blob_rotated", DatastoreKind.AzureBlob, settings, new DatastoreCredentials(SasToken: Sas(wrongKey))), Ct)).IsSuccess);
        var refused = await Http.GetAsync(url, Ct);
        Assert.True((await service.UpdateAsync(JobsFixture.Admin, _workspace, "blob_rotated", new DatastoreInput("blob_rotated", DatastoreKind.AzureBlob, settings, new DatastoreCredentials(SasToken: Sas(DatastoreServiceTests.AzuriteKey))), Ct)).IsSuccess);
        var restored = await Http.GetStringAsync(url, Ct);

        Assert.Equal(HttpStatusCode.BadGateway, refused.StatusCode);
        Assert.Contains("blob_rotated", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal("a,b\n1,2\n", restored);
    }

    [Fact]
    public async Task OutputUrl_OfJobA_WritesUnderItsFolderOnly_NeverJobBs_AndCannotRead()
    {
        var jobA = ArtifactUri.ForDatastore(DatastoreName.Default, $"azureml/{_prefix}-a/model/");
        var write = await Urls.WriteFolderAsync(_workspaceId, jobA, DateTimeOffset.UtcNow.AddMinutes(10), sign: true, "outputs.model.path", Ct);
        Assert.True(write.IsSuccess);
        var url = new Uri(write.Value);
        string At(string relative) => url.GetLeftPart(UriPartial.Path) + relative + url.Query;

        var put = await Http.PutAsync(At("weights/model.pt"), new StringContent("weights"), Ct);
        var otherJob = await Http.PutAsync(At("weights/model.pt").Replace($"{_prefix}-a", $"{_prefix}-b", StringComparison.Ordinal), new StringContent("x"), Ct);
        var escape = await Http.PutAsync(At("../../elsewhere.txt"), new StringContent("x"), Ct);
        var read = await Http.GetAsync(At("weights/model.pt"), Ct);

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, otherJob.StatusCode);
        Assert.True(escape.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.BadRequest, escape.StatusCode.ToString());
        Assert.Equal(HttpStatusCode.Forbidden, read.StatusCode);
        var blobstore = _services.GetRequiredService<DatastoreStores>().For(Datastore.StudioDefault(_workspaceId), DatastoreCredentials.Empty);
        Assert.Equal([$"azureml/{_prefix}-a/model/weights/model.pt"], (await blobstore.ListAsync("azureml/", 10, Ct)).Select(i => i.Path));
    }

    [Fact]
    public async Task UnknownDatastoreOrMissingPath_Is422NamingTheInput()
    {
        var unknown = await Urls.ReadAsync(_workspaceId, ArtifactUri.ForDatastore("nope", "x/"), DataAssetType.UriFolder, DateTimeOffset.UtcNow.AddMinutes(1), true, "inputs.d.path", Ct);
        var missing = await Urls.ReadAsync(_workspaceId, ArtifactUri.ForDatastore(DatastoreName.Default, "no/such/file.csv"), DataAssetType.UriFile, DateTimeOffset.UtcNow.AddMinutes(1), true, "inputs.f.path", Ct);

        Assert.Equal(("unknown_datastore", "inputs.d.path", true), (unknown.Errors[0].Code, unknown.Errors[0].Field, unknown.Errors[0].IsUnprocessable));
        Assert.Equal(("missing_path", "inputs.f.path"), (missing.Errors[0].Code, missing.Errors[0].Field));
    }
}
