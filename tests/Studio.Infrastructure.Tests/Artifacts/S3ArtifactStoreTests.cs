using Microsoft.Extensions.DependencyInjection;
using Studio.Infrastructure.Artifacts;

namespace Studio.Infrastructure.Tests.Artifacts;

/// <summary>The S3 store against s3rver (npm), started for the test class.</summary>
[Collection(StorageServerCollection.Name)]
public sealed class S3ArtifactStoreTests(S3rverFixture s3) : ArtifactStoreContract, IClassFixture<S3rverFixture>
{
    /// <summary>s3rver does not compute SigV4 signatures; <see cref="Urls_ArePreSignedForOneKey_WithoutTheSecret"/> checks what the URL binds.</summary>
    protected override bool ServerChecksSignatures => false;

    public override ValueTask InitializeAsync()
    {
        Store = new S3ArtifactStore(ArtifactsServiceCollectionExtensions.S3Client($"http://127.0.0.1:{s3.Server.Port}", null, "S3RVER", "S3RVER"), "studio", Prefix);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Urls_ArePreSignedForOneKey_WithoutTheSecret()
    {
        await Store.UploadAsync("a/b.txt", new MemoryStream("x"u8.ToArray()), Ct);
        var url = await Store.SignAsync("a/b.txt", ArtifactAccess.Read, DateTimeOffset.UtcNow.AddMinutes(5), Ct);

        Assert.Contains($"/studio/{Prefix}/a/b.txt?", url.AbsoluteUri, StringComparison.Ordinal);
        Assert.Contains("X-Amz-Signature=", url.Query, StringComparison.Ordinal);
        Assert.Contains("X-Amz-Expires=", url.Query, StringComparison.Ordinal);
        Assert.Contains("X-Amz-SignedHeaders=host", url.Query, StringComparison.Ordinal);
        Assert.DoesNotContain("S3RVER", url.Query.Replace("X-Amz-Credential=S3RVER", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }
}
