using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Studio.Web.Tests.Shared;

namespace Studio.Web.Tests.Api;

public sealed class EndpointAuthorizationTests
{
    [Fact]
    public void EveryEndpoint_DeclaresAPolicyOrAllowsAnonymousExplicitly()
    {
        using var factory = new StudioWebFactory();
        _ = factory.Server;
        var endpoints = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();

        var missing = endpoints
            .Where(e => !e.Metadata.OfType<IAllowAnonymous>().Any())
            .Where(e => !e.Metadata.OfType<IAuthorizeData>().Any(a => !string.IsNullOrEmpty(a.Policy)))
            .Select(e => (e.RoutePattern.RawText ?? "") + " @ " + e.DisplayName)
            .ToList();

        Assert.True(endpoints.Count > 20, $"Expected the whole app's endpoints, found {endpoints.Count}.");
        Assert.Contains(endpoints, e => e.RoutePattern.RawText == "/api/workspaces/");
        Assert.Empty(missing);
    }

    [Fact]
    public void AnonymousEndpoints_AreOnlyHealthStaticAssetsSignInPublicPagesAndSignedArtifactUrls()
    {
        using var factory = new StudioWebFactory();
        _ = factory.Server;
        var anonymous = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.OfType<IAllowAnonymous>().Any() && e.Metadata.GetMetadata<Microsoft.AspNetCore.StaticAssets.StaticAssetDescriptor>() is null)
            .Select(e => e.RoutePattern.RawText)
            .Where(p => !p!.StartsWith("_framework/", StringComparison.Ordinal) && !p.StartsWith("_content/", StringComparison.Ordinal))
            .Order()
            .ToList();

        // /artifacts: the studio store's signed URLs, which pods fetch without a sign-in (the signature is checked instead).
        Assert.Equal(["/account/signin", "/artifacts/{**path}", "/healthz/live", "/healthz/ready", "/not-found", "/signed-out"], anonymous);
    }
}
