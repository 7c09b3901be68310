using Azure.Storage.Blobs;
using Studio.Infrastructure.Artifacts;

namespace Studio.Infrastructure.Tests.Artifacts;

/// <summary>The Azure Blob store against Azurite (npm), started for the test class.</summary>
[Collection(StorageServerCollection.Name)]
public sealed class AzureBlobArtifactStoreTests(AzuriteFixture azurite) : ArtifactStoreContract, IClassFixture<AzuriteFixture>
{
    // Azurite's well-known development account.
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    public override async ValueTask InitializeAsync()
    {
        var connection = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};BlobEndpoint=http://127.0.0.1:{azurite.Server.Port}/devstoreaccount1;";
        var container = new BlobContainerClient(connection, "studio");
        await container.CreateIfNotExistsAsync(cancellationToken: Ct);
        Store = new AzureBlobArtifactStore(container, Prefix);
    }

    [Fact]
    public async Task Paths_LiveUnderThePrefix_AndUrlsAreBlobSas()
    {
        await Store.UploadAsync("a/b.txt", new MemoryStream("x"u8.ToArray()), Ct);
        var url = await Store.SignAsync("a/b.txt", ArtifactAccess.Read, DateTimeOffset.UtcNow.AddMinutes(5), Ct);

        Assert.Contains($"/studio/{Prefix}/a/b.txt?", url.AbsoluteUri, StringComparison.Ordinal);
        Assert.Contains("sr=b", url.Query, StringComparison.Ordinal);
        Assert.Contains("sp=r", url.Query, StringComparison.Ordinal);
        Assert.DoesNotContain(AccountKey, url.AbsoluteUri, StringComparison.Ordinal);
    }
}
