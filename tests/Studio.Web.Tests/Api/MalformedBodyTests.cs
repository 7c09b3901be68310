using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Studio.Web.Tests.Shared;

namespace Studio.Web.Tests.Api;

/// <summary>
/// Posts malformed bodies to every route of the OpenAPI document that takes one (POST, PUT, PATCH, DELETE) as an
/// administrator: nothing may answer 5xx, and a refusal is problem details.
/// </summary>
public sealed class MalformedBodyTests : IAsyncLifetime
{
    private readonly StudioWebFactory _factory = new() { SandboxEnabled = true, SandboxSpeed = 10 };

    private static readonly (string Name, string MediaType, string Body)[] Bodies =
    [
        ("empty", "application/json", ""),
        ("array", "application/json", "[]"),
        ("number", "application/json", "0"),
        ("string", "application/json", "\"x\""),
        ("null", "application/json", "null"),
        ("empty object", "application/json", "{}"),
        ("truncated", "application/json", "{\"name\": "),
        ("wrong types", "application/json", "{\"name\": 5, \"yaml\": 5, \"kubeconfig\": [1], \"spec\": \"x\", \"signIn\": 7, \"settings\": 1}"),
        ("nulls", "application/json", "{\"name\": null, \"yaml\": null, \"kubeconfig\": null, \"spec\": null, \"signIn\": null}"),
        ("huge number", "application/json", "{\"count\": 9223372036854775808, \"instanceCount\": 2147483648}"),
        ("text", "text/plain", "hello"),
        ("deep nesting", "application/json", new string('[', 1024 * 1024) + new string(']', 1024 * 1024)),
        // YAML nests without brackets too: one list per two characters (it overflowed the YAML reader's stack).
        ("deep block nesting", "application/yaml", string.Concat(Enumerable.Repeat("- ", 512 * 1024)) + "x"),
    ];

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task EveryRouteWithABody_AnswersMalformedBodies_WithoutA5xx()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = _factory.AsUser("admin", "Administrator");
        var routes = await RoutesAsync(client, ct);
        var failures = new List<string>();

        foreach (var (method, path) in routes)
        {
            foreach (var (name, mediaType, body) in Bodies)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), Fill(path));
                request.Content = new StringContent(body, Encoding.UTF8);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
                using var response = await client.SendAsync(request, ct);
                var status = (int)response.StatusCode;
                if (status >= 500)
                {
                    failures.Add($"{method} {path} with {name}: {status} {Trim(await response.Content.ReadAsStringAsync(ct))}");
                }
                else if (status == 400 && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                {
                    failures.Add($"{method} {path} with {name}: 400 without problem details ({response.Content.Headers.ContentType?.MediaType ?? "no body"})");
                }
            }
        }

        Assert.True(routes.Count >= 20, $"Expected the API's routes with bodies, found {routes.Count}.");
        Assert.True(failures.Count == 0, $"{failures.Count} malformed requests were not refused cleanly:\n" + string.Join('\n', failures));
    }

    [Fact]
    public async Task EveryRouteWithABody_AnswersABodyOverTheServersLimit_413WithProblemDetails()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var factory = new StudioWebFactory { Settings = new Dictionary<string, string?> { ["Studio:MaxRequestBodyBytes"] = "65536" } };
        var client = factory.AsUser("admin", "Administrator");
        var routes = await RoutesAsync(client, ct);
        var body = "{\"name\": \"" + new string('x', 100 * 1024) + "\"}";
        var failures = new List<string>();

        foreach (var (method, path) in routes)
        {
            foreach (var declared in new[] { true, false })
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), Fill(path));
                // Without a declared length the body arrives chunked and is cut off as it is read.
                request.Content = declared ? new StringContent(body, Encoding.UTF8, "application/json") : new StreamContent(new UnknownLengthStream(Encoding.UTF8.GetBytes(body)));
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await client.SendAsync(request, ct);
                var refused = response.StatusCode == HttpStatusCode.RequestEntityTooLarge && response.Content.Headers.ContentType?.MediaType == "application/problem+json";
                if (declared && !refused)
                {
                    failures.Add($"{method} {path} (Content-Length): {(int)response.StatusCode} {response.Content.Headers.ContentType?.MediaType}");
                }

                // A chunked body is only cut off where a handler reads it (routes without a body never do): never a 5xx,
                // and the routes that read the body (job submit, workspace create) refuse it.
                if (!declared && ((int)response.StatusCode >= 500 || (!refused && (path.EndsWith("/jobs", StringComparison.Ordinal) || path == "/api/workspaces") && method == "POST")))
                {
                    failures.Add($"{method} {path} (chunked): {(int)response.StatusCode} {response.Content.Headers.ContentType?.MediaType}");
                }
            }
        }

        Assert.True(routes.Count >= 20, $"Expected the API's routes with bodies, found {routes.Count}.");
        Assert.True(failures.Count == 0, $"{failures.Count} oversized requests were not answered 413 with problem details:\n" + string.Join('\n', failures));
    }

    [Fact]
    public async Task WrongJsonShape_Is400_NamingThePath()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = _factory.AsUser("admin", "Administrator");

        using var response = await client.PostAsync("/api/clusters/inspect", new StringContent("{\"kubeconfig\": [1]}", Encoding.UTF8, "application/json"), ct);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("$.kubeconfig", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("$.kubeconfig", out _));
    }

    private static async Task<List<(string Method, string Path)>> RoutesAsync(HttpClient client, CancellationToken ct)
    {
        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json", ct));
        var routes = new List<(string, string)>();
        foreach (var path in document.RootElement.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var method = operation.Name.ToUpperInvariant();
                if (method is "POST" or "PUT" or "PATCH" or "DELETE")
                {
                    routes.Add((method, path.Name));
                }
            }
        }

        return routes;
    }

    /// <summary>Path parameters name things that exist where possible (the default workspace, the sandbox cluster), so handlers run.</summary>
    private static string Fill(string path)
    {
        var segments = path.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            if (segments[i].StartsWith('{'))
            {
                segments[i] = (i > 0 ? segments[i - 1] : string.Empty) switch
                {
                    "workspaces" => "default",
                    "clusters" => "sandbox",
                    "compute" or "computes" => "local-sandbox",
                    "instancetypes" or "instance-types" => "defaultinstancetype",
                    _ => "x",
                };
            }
        }

        return string.Join('/', segments);
    }

    private static string Trim(string text) => text.Length > 300 ? text[..300] + "…" : text;

    /// <summary>A body whose length the client cannot know in advance (sent chunked).</summary>
    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
