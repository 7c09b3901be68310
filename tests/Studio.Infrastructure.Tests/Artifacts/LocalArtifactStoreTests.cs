using System.Net;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Studio.Infrastructure.Artifacts;

namespace Studio.Infrastructure.Tests.Artifacts;

/// <summary>The studio's own store, served over real HTTP (Kestrel on loopback) with its signed URLs.</summary>
public sealed class LocalArtifactStoreTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "studio-artifacts-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly ManualClock _clock = new(DateTimeOffset.UtcNow);
    private readonly HttpClient _http = new();
    private ServiceProvider _services = null!;
    private ArtifactHttpServer _server = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private LocalArtifactStore Store => _services.GetRequiredService<LocalArtifactStore>();

    public async ValueTask InitializeAsync()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<TimeProvider>(_clock);
        services.AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider());
        services.AddSingleton<IArtifactBaseUrl, TestArtifactBaseUrl>();
        services.AddStudioArtifacts(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Studio:Artifacts:MaxUploadBytes"] = "1000" }).Build(), _folder);
        _services = services.BuildServiceProvider();
        _server = await ArtifactHttpServer.StartAsync(_services);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
        await _services.DisposeAsync();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public async Task SignedReadUrl_ServesExactlyItsFile_UntilItExpires()
    {
        await Store.UploadAsync("jobs/a/code.zip", new MemoryStream("job A"u8.ToArray()), Ct);
        await Store.UploadAsync("jobs/b/code.zip", new MemoryStream("job B"u8.ToArray()), Ct);
        var url = await Store.SignAsync("jobs/a/code.zip", ArtifactAccess.Read, _clock.Now.AddMinutes(10), Ct);

        Assert.StartsWith(_server.Address.AbsoluteUri, url.AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal("job A", await _http.GetStringAsync(url, Ct));

        // The same signature on job B's path: refused.
        var other = new Uri(url.AbsoluteUri.Replace("/jobs/a/", "/jobs/b/", StringComparison.Ordinal));
        var refused = await _http.GetAsync(other, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("not signed for this path", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        _clock.Now = _clock.Now.AddMinutes(11);
        var expired = await _http.GetAsync(url, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, expired.StatusCode);
        Assert.Contains("expired", await expired.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Urls_WithoutOrWithAnAlteredSignature_AreRefused()
    {
        await Store.UploadAsync("x/file.txt", new MemoryStream("secret"u8.ToArray()), Ct);
        var url = await Store.SignAsync("x/file.txt", ArtifactAccess.Read, _clock.Now.AddMinutes(10), Ct);
        var unsigned = new Uri(url.GetLeftPart(UriPartial.Path));
        var altered = new Uri(url.AbsoluteUri[..^4] + (url.AbsoluteUri.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA"));

        Assert.Equal(HttpStatusCode.Forbidden, (await _http.GetAsync(unsigned, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _http.GetAsync(altered, Ct)).StatusCode);
    }

    [Fact]
    public async Task SignedWriteUrl_StoresTheUpload_AndAReadUrlCannotWrite()
    {
        var write = await Store.SignAsync("jobs/a/outputs/model.bin", ArtifactAccess.Write, _clock.Now.AddMinutes(10), Ct);
        var read = await Store.SignAsync("jobs/a/outputs/model.bin", ArtifactAccess.Read, _clock.Now.AddMinutes(10), Ct);

        var readPut = await _http.PutAsync(read, new StringContent("nope"), Ct);
        var put = await _http.PutAsync(write, new StringContent("weights", Encoding.UTF8), Ct);
        var tooLarge = await _http.PutAsync(write, new ByteArrayContent(new byte[2000]), Ct);

        Assert.Equal(HttpStatusCode.Forbidden, readPut.StatusCode);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Equal("weights", await _http.GetStringAsync(read, Ct));
        Assert.Equal(7, await Store.SizeAsync("jobs/a/outputs/model.bin", Ct));
        Assert.Equal(["jobs/a/outputs/model.bin"], (await Store.ListAsync("jobs/a/", 10, Ct)).Select(i => i.Path));
    }

    [Fact]
    public async Task Store_RefusesPathsThatLeaveIt()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.UploadAsync("../outside.txt", new MemoryStream(), Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.UploadAsync(".tmp/x", new MemoryStream(), Ct));
        Assert.Null(await Store.OpenReadAsync("missing/file", Ct));
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync(await Store.SignAsync("missing/file", ArtifactAccess.Read, _clock.Now.AddMinutes(1), Ct), Ct)).StatusCode);
    }
}
