using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Studio.Web.Api;
using Studio.Web.Components;
using Studio.Web.Hosting;
using Studio.Web.Hubs;
using Studio.Web.Security;

if (HealthProbe.IsProbe(args))
{
    return await HealthProbe.RunAsync(args[1]);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddStudioWeb();

var app = builder.Build();

app.UseExceptionHandler();
var bodyLimit = app.Services.GetRequiredService<IOptions<Studio.Web.StudioOptions>>().Value.MaxRequestBodyBytes;
var multipartLimit = bodyLimit + app.Services.GetRequiredService<IOptions<Studio.Infrastructure.Artifacts.ArtifactsOptions>>().Value.MaxSnapshotBytes;
app.UseWhen(c => c.Request.Path.StartsWithSegments("/api"), api => api.UseMiddleware<RequestBodyLimit>(bodyLimit, multipartLimit));
// Browsers get the 404 page; API callers get problem details.
app.UseWhen(c => IsApi(c.Request), api => api.UseStatusCodePages());
// Only a page load (GET) re-executes as the not-found page: a refused POST (sign-out, a form) keeps its own status
// instead of becoming a POST to /not-found that antiforgery then refuses as 400.
app.UseWhen(c => !IsApi(c.Request) && (HttpMethods.IsGet(c.Request.Method) || HttpMethods.IsHead(c.Request.Method)), ui => ui.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
app.UseRouting();
var auth = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value;
var idpOrigin = auth.Mode == SignInMode.Oidc && Uri.TryCreate(auth.Oidc.Authority, UriKind.Absolute, out var authority) ? authority.GetLeftPart(UriPartial.Authority) : null;
app.UseMiddleware<SecurityHeadersMiddleware>(SecurityHeadersMiddleware.BuildPolicy(auth.Mode == SignInMode.Entra ? "https://login.microsoftonline.com" : idpOrigin));
app.UseAuthentication();
app.UseMiddleware<SameOriginGuard>();
app.UseAuthorization();
app.UseAntiforgery();

app.MapStaticAssets().AllowAnonymous();
app.MapHealthChecks("/healthz/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
app.MapHealthChecks("/healthz/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous();
app.MapOpenApi().RequireAuthorization(Policies.SignedIn);
app.MapAccountEndpoints();
app.MapWorkspaceApi();
app.MapClusterApi();
app.MapComputeApi();
app.MapInstanceTypeApi();
app.MapJobApi();
app.MapOnlineEndpointApi();
app.MapEnvironmentApi();
app.MapDatastoreApi();
app.MapDataAssetApi();
app.MapModelApi();
app.MapAzureApi();
app.MapSearchApi();
app.MapArtifactEndpoints();
// A connection ends when its sign-in does (a bearer token's expiry, a cookie's): the client reconnects with a fresh
// token, whose roles are checked again on every subscribe.
app.MapHub<LiveHub>("/hubs/live", o => o.CloseOnAuthenticationExpiration = true).RequireAuthorization(Policies.SignedIn);
app.MapRazorComponents<App>().AddInteractiveServerRenderMode().RequireAuthorization(Policies.SignedIn);

await app.RunAsync();
return 0;

static bool IsApi(HttpRequest request) =>
    request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/hubs") || request.Path.StartsWithSegments("/openapi") || request.Path.StartsWithSegments("/healthz");
