using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Studio.Infrastructure.Artifacts;
using Studio.Infrastructure.Datastores;

namespace Studio.Infrastructure.Tests.Artifacts;

/// <summary>
/// The studio store's HTTP endpoint (<see cref="LocalArtifactHttp"/> at <c>/artifacts/{**path}</c>, and the datastore
/// relay under <c>/artifacts/ds/</c>, as Studio.Web maps them) on a loopback Kestrel port, serving the store of the studio services it is given; it points the studio's
/// <see cref="TestArtifactBaseUrl"/> at itself, so signed URLs name it and the sandbox's kubelet can fetch them.
/// </summary>
public sealed class ArtifactHttpServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ArtifactHttpServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<ArtifactHttpServer> StartAsync(IServiceProvider studio)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var http = studio.GetRequiredService<LocalArtifactHttp>();
        // The relay needs the studio's database: resolved on its first request, so store-only tests need none.
        var relay = new Lazy<DatastoreRelay>(studio.GetRequiredService<DatastoreRelay>);
        app.MapMethods("/artifacts/{**path}", [HttpMethods.Get, HttpMethods.Head, HttpMethods.Put, HttpMethods.Post], (HttpContext c) =>
            c.GetRouteValue("path") as string is var path && DatastoreRelay.Handles(path) ? relay.Value.HandleAsync(c, path) : http.HandleAsync(c, path));
        await app.StartAsync();
        var address = new Uri(app.Urls.First());
        if (studio.GetService<IArtifactBaseUrl>() is TestArtifactBaseUrl baseUrl)
        {
            baseUrl.Current = address;
        }

        return new ArtifactHttpServer(app, address);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
