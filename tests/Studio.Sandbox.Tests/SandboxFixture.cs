using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

[assembly: AssemblyFixture(typeof(Studio.Sandbox.Tests.SandboxFixture))]

namespace Studio.Sandbox.Tests;

/// <summary>One sandbox server shared by the test assembly; every test works in its own namespace.</summary>
public sealed class SandboxFixture : IAsyncLifetime
{
    public SandboxServer Server { get; private set; } = null!;
    public Kubernetes Client { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Server = await SandboxServer.StartAsync(new SandboxOptions { Simulate = false });
        Client = CreateClient(Server);
        Http = new HttpClient { BaseAddress = Server.BaseAddress };
    }

    public static Kubernetes CreateClient(SandboxServer server)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(server.CreateKubeconfigYaml()));
        return new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(stream));
    }

    public async Task<string> NewNamespaceAsync()
    {
        var name = "t-" + Guid.NewGuid().ToString("N")[..10];
        await Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        return name;
    }

    public async Task<(int Code, JsonNode? Body)> SendAsync(HttpMethod method, string path, string? body = null, string contentType = "application/json", string? accept = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        Client.Dispose();
        await Server.DisposeAsync();
    }
}
