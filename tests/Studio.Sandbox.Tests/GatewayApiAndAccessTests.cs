using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace Studio.Sandbox.Tests;

/// <summary>Options that make the sandbox look like a real cluster's API server: the Gateway API served, HTTPS, bearer tokens checked.</summary>
public sealed class GatewayApiAndAccessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Route = """
        {"apiVersion":"gateway.networking.k8s.io/v1","kind":"HTTPRoute","metadata":{"name":"studio"},
         "spec":{"parentRefs":[{"name":"shared-gateway","namespace":"gateway-system"}],"hostnames":["studio.example.com"],
           "rules":[{"matches":[{"path":{"type":"PathPrefix","value":"/"}}],"backendRefs":[{"name":"studio","port":80}],
                     "sessionPersistence":{"sessionName":"studio-affinity","type":"Cookie"},"madeUp":true}]}}
        """;

    private static async Task<(HttpStatusCode Code, JsonNode? Body)> PostAsync(HttpClient http, string path, string json)
    {
        using var response = await http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"), Ct);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct)));
    }

    [Fact]
    public async Task GatewayApi_ServesHttpRoutes_KeepingSessionPersistenceAndPruningUnknownFields()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { Port = 0, GatewayApi = true, Simulate = false }, Ct);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        var (code, body) = await PostAsync(http, "/apis/gateway.networking.k8s.io/v1/namespaces/default/httproutes", Route);

        Assert.True(code == HttpStatusCode.Created, body?.ToJsonString());
        var rule = body!["spec"]!["rules"]![0]!;
        Assert.Equal("Cookie", (string?)rule["sessionPersistence"]!["type"]);
        Assert.Null(rule["madeUp"]);
        var discovery = await http.GetStringAsync("/apis/gateway.networking.k8s.io/v1", Ct);
        Assert.Contains("\"gateways\"", discovery, StringComparison.Ordinal);
        Assert.Contains("\"gatewayclasses\"", discovery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GatewayApi_RefusesARouteOutsideTheSchema()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { Port = 0, GatewayApi = true, Simulate = false }, Ct);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        var (code, body) = await PostAsync(http, "/apis/gateway.networking.k8s.io/v1/namespaces/default/httproutes", Route.Replace("\"Cookie\"", "\"Carrier-pigeon\"", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        Assert.Contains("sessionPersistence.type", body!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutGatewayApi_HttpRoutesAreNotServed()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { Port = 0, Simulate = false }, Ct);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        var (code, _) = await PostAsync(http, "/apis/gateway.networking.k8s.io/v1/namespaces/default/httproutes", Route);

        Assert.Equal(HttpStatusCode.NotFound, code);
    }

    [Fact]
    public async Task Tls_WithAcceptedTokens_ServesOnlyThoseTokens_OverACertificateTheKubeconfigCarries()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { Port = 0, Tls = true, AcceptedTokens = ["right"], Simulate = false }, Ct);
        var authority = X509Certificate2.CreateFromPem(server.CertificateAuthorityPem);
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate is not null && certificate.Thumbprint == authority.Thumbprint,
        };
        using var http = new HttpClient(handler) { BaseAddress = server.BaseAddress };

        Assert.Equal("https", server.BaseAddress.Scheme);
        Assert.Contains("certificate-authority-data: " + Convert.ToBase64String(Encoding.UTF8.GetBytes(server.CertificateAuthorityPem!)), server.CreateKubeconfigYaml(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/v1/namespaces", Ct)).StatusCode);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/v1/namespaces", Ct)).StatusCode);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "right");
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/v1/namespaces", Ct)).StatusCode);

        server.AcceptTokens("rotated");

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/v1/namespaces", Ct)).StatusCode);
    }
}
