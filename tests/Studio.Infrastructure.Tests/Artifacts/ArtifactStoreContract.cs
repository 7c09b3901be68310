using System.Net;
using System.Text;
using Studio.Infrastructure.Artifacts;

namespace Studio.Infrastructure.Tests.Artifacts;

/// <summary>
/// What every artifact store does, run against a real server by each store's test class: files in and out, listing,
/// and URLs signed for one path and one access that expire — read by a plain HTTP client, as a pod would.
/// </summary>
public abstract class ArtifactStoreContract : IAsyncLifetime
{
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected HttpClient Http { get; } = new();

    protected IArtifactStore Store { get; set; } = null!;

    /// <summary>This test's own folder in the shared server's container.</summary>
    protected string Prefix { get; } = "t-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>
    /// Whether the test server verifies a signed URL's signature (so a URL moved to another path or method is refused).
    /// s3rver checks the access key and the expiry of a SigV4 pre-signed URL but not its signature.
    /// </summary>
    protected virtual bool ServerChecksSignatures => true;

    public abstract ValueTask InitializeAsync();

    public virtual ValueTask DisposeAsync()
    {
        Http.Dispose();
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Upload_ThenReadSizeAndList()
    {
        await Store.UploadAsync("snapshots/abc.zip", new MemoryStream("zip bytes"u8.ToArray()), Ct);
        await Store.UploadAsync("jobs/j1/outputs/model/weights.bin", new MemoryStream(new byte[1234]), Ct);

        Assert.True(await Store.ExistsAsync("snapshots/abc.zip", Ct));
        Assert.False(await Store.ExistsAsync("snapshots/missing.zip", Ct));
        Assert.Equal(9, await Store.SizeAsync("snapshots/abc.zip", Ct));
        Assert.Null(await Store.SizeAsync("snapshots/missing.zip", Ct));
        Assert.Null(await Store.OpenReadAsync("snapshots/missing.zip", Ct));
        await using (var read = (await Store.OpenReadAsync("snapshots/abc.zip", Ct))!)
        using (var reader = new StreamReader(read))
        {
            Assert.Equal("zip bytes", await reader.ReadToEndAsync(Ct));
        }

        var listed = await Store.ListAsync("jobs/j1/", 100, Ct);
        Assert.Equal(["jobs/j1/outputs/model/weights.bin"], listed.Select(i => i.Path));
        Assert.Equal(1234, listed[0].SizeBytes);
    }

    [Fact]
    public async Task Upload_OfAStreamThatCannotSeek_Works()
    {
        await Store.UploadAsync("x/forward-only.txt", new ForwardOnlyStream(Encoding.UTF8.GetBytes("streamed")), Ct);

        Assert.Equal(8, await Store.SizeAsync("x/forward-only.txt", Ct));
    }

    [Fact]
    public async Task SignedReadUrl_ReadsItsFileOnly()
    {
        await Store.UploadAsync("jobs/job-a/in.txt", new MemoryStream("A's data"u8.ToArray()), Ct);
        await Store.UploadAsync("jobs/job-b/in.txt", new MemoryStream("B's data"u8.ToArray()), Ct);

        var url = await Store.SignAsync("jobs/job-a/in.txt", ArtifactAccess.Read, DateTimeOffset.UtcNow.AddMinutes(10), Ct);
        var forB = new Uri(url.AbsoluteUri.Replace("job-a", "job-b", StringComparison.Ordinal));

        Assert.Equal("A's data", await Http.GetStringAsync(url, Ct));
        if (!ServerChecksSignatures)
        {
            return;
        }

        using var overwrite = new HttpRequestMessage(HttpMethod.Put, url) { Content = new StringContent("overwrite") };
        overwrite.Headers.Add("x-ms-blob-type", "BlockBlob");
        Assert.Equal(HttpStatusCode.Forbidden, (await Http.GetAsync(forB, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Http.SendAsync(overwrite, Ct)).StatusCode);
    }

    [Fact]
    public async Task SignedWriteUrl_AcceptsAnUpload()
    {
        var url = await Store.SignAsync("jobs/job-a/outputs/result.txt", ArtifactAccess.Write, DateTimeOffset.UtcNow.AddMinutes(10), Ct);
        using var put = new HttpRequestMessage(HttpMethod.Put, url) { Content = new StringContent("result") };
        put.Headers.Add("x-ms-blob-type", "BlockBlob");

        var answer = await Http.SendAsync(put, Ct);

        Assert.True(answer.IsSuccessStatusCode, $"{(int)answer.StatusCode}: {await answer.Content.ReadAsStringAsync(Ct)}");
        Assert.Equal(6, await Store.SizeAsync("jobs/job-a/outputs/result.txt", Ct));
    }

    [Fact]
    public async Task SignedUrl_Expires()
    {
        await Store.UploadAsync("x/soon.txt", new MemoryStream("soon"u8.ToArray()), Ct);
        var url = await Store.SignAsync("x/soon.txt", ArtifactAccess.Read, DateTimeOffset.UtcNow.AddSeconds(2), Ct);
        Assert.Equal("soon", await Http.GetStringAsync(url, Ct));

        await Task.Delay(TimeSpan.FromSeconds(4), Ct);

        Assert.Equal(HttpStatusCode.Forbidden, (await Http.GetAsync(url, Ct)).StatusCode);
    }

    private sealed class ForwardOnlyStream(byte[] content) : MemoryStream(content)
    {
        public override bool CanSeek => false;
    }
}
