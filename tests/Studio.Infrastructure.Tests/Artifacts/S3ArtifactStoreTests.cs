using Microsoft.Extensions.DependencyInjection;
using Studio.Infrastructure.Artifacts;

namespace Studio.Infrastructure.Tests.Artifacts;

/// <summary>The S3 store against s3rver (npm), started for the test class.</summary>
public sealed class S3ArtifactStoreTests : ArtifactStoreContract
{
    private StorageServer _s3 = null!;

    /// <summary>s3rver does not compute SigV4 signatures; <see cref="Urls_ArePreSignedForOneKey_WithoutTheSecret"/> checks what the URL binds.</summary>
    protected override bool ServerChecksSignatures => false;

    public override async ValueTask InitializeAsync()
    {
        _s3 = await StorageServer.S3rverAsync(Ct);
        Store = new S3ArtifactStore(ArtifactsServiceCollectionExtensions.S3Client($"http://127.0.0.1:{_s3.Port}", null, "S3RVER", "S3RVER"), "studio", "team-a");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _s3.DisposeAsync();
    }

    [Fact]
    public async Task Urls_ArePreSignedForOneKey_WithoutTheSecret()
    {
        await Store.UploadAsync("a/b.txt", new MemoryStream("x"u8.ToArray()), Ct);
        var url = await Store.SignAsync("a/b.txt", ArtifactAccess.Read, DateTimeOffset.UtcNow.AddMinutes(5), Ct);

        Assert.Contains("/studio/team-a/a/b.txt?", url.AbsoluteUri, StringComparison.Ordinal);
        Assert.Contains("X-Amz-Signature=", url.Query, StringComparison.Ordinal);
        Assert.Contains("X-Amz-Expires=", url.Query, StringComparison.Ordinal);
        Assert.Contains("X-Amz-SignedHeaders=host", url.Query, StringComparison.Ordinal);
        Assert.DoesNotContain("S3RVER", url.Query.Replace("X-Amz-Credential=S3RVER", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }
}
