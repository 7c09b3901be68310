using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Studio.Web.Security;
using Studio.Web.Tests.Shared;

namespace Studio.Web.Tests.Api;

/// <summary>The jobs API against the studio with its embedded sandbox (20× speed; local-sandbox attached to 'default').</summary>
public sealed class JobApiTests : IAsyncLifetime
{
    private static readonly string Samples = Path.Combine(AppContext.BaseDirectory, "Samples", "azureml-examples");

    private readonly StudioWebFactory _factory = new() { SandboxEnabled = true, SandboxSpeed = 20 };

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    private static StringContent Yaml(string text) => new(text, Encoding.UTF8, "application/yaml");

    [Fact]
    public async Task SubmitYaml_OfTheCifarSample_WithComputeReplaced_Is201_WithItsNameAndUnsupportedKeys_ThenGetLogsEventsManifestsAndCancel()
    {
        var scientist = _factory.AsUser("dana", StudioRoles.DataScientist);
        // Without its code folder: a YAML naming code: must come with its files (JobCodeApiTests); this one runs the image alone.
        // Its data asset input needs the asset registered (SubmitYaml_WithADataAssetNoRegistryKnows_Is422NamingItsPath), so it reads a public file here.
        var yaml = (await File.ReadAllTextAsync(Path.Combine(Samples, "jobs__single-step__pytorch__cifar-distributed__job.yml"), Ct))
            .Replace("code: src\n", string.Empty, StringComparison.Ordinal)
            .Replace("type: uri_folder\n     path: azureml:cifar-10-example@latest", "type: uri_file\n     path: azureml:cifar-10-example@latest\n     mode: direct", StringComparison.Ordinal)
            .Replace("path: azureml:cifar-10-example@latest", "path: https://example.com/cifar-10.tar.gz", StringComparison.Ordinal);

        var response = await scientist.PostAsync("/api/workspaces/default/jobs?compute=azureml:local-sandbox", Yaml(yaml), Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var submitted = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var name = submitted.GetProperty("name").GetString()!;
        Assert.Equal($"/api/workspaces/default/jobs/{name}", response.Headers.Location!.OriginalString);
        Assert.Empty(submitted.GetProperty("unsupported").EnumerateArray());
        var detail = await scientist.GetFromJsonAsync<JsonElement>($"/api/workspaces/default/jobs/{name}", Ct);
        Assert.Equal(name, detail.GetProperty("summary").GetProperty("name").GetString());
        Assert.Equal(2, detail.GetProperty("summary").GetProperty("instanceCount").GetInt32());
        var list = await scientist.GetFromJsonAsync<JsonElement>("/api/workspaces/default/jobs?compute=local-sandbox&text=cifar", Ct);
        Assert.Contains(list.GetProperty("items").EnumerateArray(), j => j.GetProperty("name").GetString() == name);
        var manifests = await scientist.GetStringAsync($"/api/workspaces/default/jobs/{name}/manifests", Ct);
        Assert.Contains("completionMode: Indexed", manifests, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await scientist.GetAsync($"/api/workspaces/default/jobs/{name}/logs?tail=10", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await scientist.GetAsync($"/api/workspaces/default/jobs/{name}/events", Ct)).StatusCode);

        var canceled = await scientist.PostAsync($"/api/workspaces/default/jobs/{name}/cancel", null, Ct);

        var body = await canceled.Content.ReadAsStringAsync(Ct);
        Assert.True(canceled.StatusCode == HttpStatusCode.OK, $"{(int)canceled.StatusCode}: {body}");
        Assert.Equal("Canceled", JsonDocument.Parse(body).RootElement.GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await scientist.PostAsync($"/api/workspaces/default/jobs/{name}/cancel", null, Ct)).StatusCode);
    }

    [Fact]
    public async Task SubmitYaml_WithADataAssetNoRegistryKnows_Is422NamingItsPath_AndCreatesNothing()
    {
        var scientist = _factory.AsUser("dana", StudioRoles.DataScientist);
        var yaml = (await File.ReadAllTextAsync(Path.Combine(Samples, "jobs__single-step__pytorch__cifar-distributed__job.yml"), Ct)).Replace("code: src\n", string.Empty, StringComparison.Ordinal)
            .Replace("cifar-10-example", "no-such-asset-anywhere", StringComparison.Ordinal);

        var response = await scientist.PostAsync("/api/workspaces/default/jobs?compute=azureml:local-sandbox", Yaml(yaml), Ct);

        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, $"{(int)response.StatusCode}: {body}");
        Assert.Contains("inputs.cifar.path", JsonDocument.Parse(body).RootElement.GetProperty("errors").EnumerateObject().Select(p => p.Name));
        var list = await scientist.GetFromJsonAsync<JsonElement>("/api/workspaces/default/jobs?text=cifar", Ct);
        Assert.Empty(list.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task List_WithSeveralStatuses_KeepsAnyOfThem_AndAnUnknownStatusIs400OnThatParameter()
    {
        var scientist = _factory.AsUser("dana", StudioRoles.DataScientist);

        var any = await scientist.GetAsync("/api/workspaces/default/jobs?status=queued,Running,Completed", Ct);
        var unknown = await scientist.GetAsync("/api/workspaces/default/jobs?status=Running,Sleeping", Ct);

        Assert.Equal(HttpStatusCode.OK, any.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        var problem = await unknown.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Contains("Sleeping", problem.GetProperty("errors").GetProperty("status")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubmitYaml_Malformed_Is400_WithProblemsNamedByYamlPath()
    {
        var scientist = _factory.AsUser("dana", StudioRoles.DataScientist);

        var wrongTypes = await scientist.PostAsync("/api/workspaces/default/jobs", Yaml("command: python train.py\nresources:\n  instance_count: two\ndistribution:\n  type: horovod\n"), Ct);
        var broken = await scientist.PostAsync("/api/workspaces/default/jobs", Yaml("command: [unclosed\n"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, wrongTypes.StatusCode);
        var errors = (await wrongTypes.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("resources.instance_count", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("distribution.type", out _), errors.ToString());
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        var problem = await broken.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Contains("line", problem.GetProperty("errors").GetProperty("(document)")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubmitJson_WithIdempotencyKey_TwiceGivesTheSameJob_AndMissingFieldsAre400PerField_AndReadersAre403()
    {
        var scientist = _factory.AsUser("dana", StudioRoles.DataScientist);
        var reader = _factory.AsUser("rita", StudioRoles.Reader);
        var body = new { compute = "local-sandbox", image = "busybox:1.36", command = "echo hi", displayName = "api hello" };

        using var first = new HttpRequestMessage(HttpMethod.Post, "/api/workspaces/default/jobs") { Content = JsonContent.Create(body) };
        first.Headers.Add("Idempotency-Key", "req-123");
        using var second = new HttpRequestMessage(HttpMethod.Post, "/api/workspaces/default/jobs") { Content = JsonContent.Create(body) };
        second.Headers.Add("Idempotency-Key", "req-123");
        var a = await scientist.SendAsync(first, Ct);
        var b = await scientist.SendAsync(second, Ct);
        var missing = await scientist.PostAsJsonAsync("/api/workspaces/default/jobs", new { compute = "local-sandbox" }, Ct);
        var asReader = await reader.PostAsJsonAsync("/api/workspaces/default/jobs", body, Ct);

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.OK), (a.StatusCode, b.StatusCode));
        var nameA = (await a.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("name").GetString();
        var created = await b.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal((nameA, false), (created.GetProperty("name").GetString(), created.GetProperty("created").GetBoolean()));
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        var errors = (await missing.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("command", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("environment", out _), errors.ToString());
        Assert.Equal(HttpStatusCode.Forbidden, asReader.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync($"/api/workspaces/default/jobs/{nameA}", Ct)).StatusCode);
    }

    [Fact]
    public async Task Submit_AnInstanceTypeTheComputeTargetDoesNotAllow_Is422NamingTheAllowedOnes_AsJsonYamlAndPreflight()
    {
        var admin = _factory.AsUser("admin", StudioRoles.Administrator);
        var scientist = _factory.AsUser("dana", StudioRoles.DataScientist);
        var restricted = await admin.PutAsJsonAsync("/api/workspaces/default/computes/local-sandbox/instancetypes", new { defaultInstanceType = "defaultinstancetype", allowed = new[] { "defaultinstancetype" } }, Ct);
        Assert.True(restricted.IsSuccessStatusCode, await restricted.Content.ReadAsStringAsync(Ct));

        var json = await scientist.PostAsJsonAsync("/api/workspaces/default/jobs", new { compute = "local-sandbox", image = "busybox:1.36", command = "echo hi", instanceType = "gpu-big" }, Ct);
        var yaml = await scientist.PostAsync("/api/workspaces/default/jobs", Yaml("command: echo hi\nenvironment:\n  image: busybox:1.36\ncompute: azureml:local-sandbox\nresources:\n  instance_type: gpu-big\n"), Ct);
        var preflight = await scientist.PostAsJsonAsync("/api/workspaces/default/jobs/preflight", new { compute = "local-sandbox", image = "busybox:1.36", command = "echo hi", instanceType = "gpu-big" }, Ct);
        var defaulted = await scientist.PostAsJsonAsync("/api/workspaces/default/jobs", new { compute = "local-sandbox", image = "busybox:1.36", command = "echo hi" }, Ct);

        foreach (var refused in new[] { json, yaml })
        {
            Assert.True(refused.StatusCode == HttpStatusCode.UnprocessableEntity, $"{(int)refused.StatusCode}: {await refused.Content.ReadAsStringAsync(Ct)}");
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            var message = (await refused.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors").GetProperty("resources.instance_type")[0].GetString();
            Assert.Contains("'gpu-big' is not allowed on compute target 'local-sandbox'. Allowed: defaultinstancetype.", message, StringComparison.Ordinal);
        }

        var report = await preflight.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("NeverFits", report.GetProperty("verdict").GetString());
        Assert.Contains("Allowed: defaultinstancetype", report.GetProperty("errors").GetProperty("resources.instance_type").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, defaulted.StatusCode);
        var name = (await defaulted.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("name").GetString();
        var detail = await scientist.GetFromJsonAsync<JsonElement>($"/api/workspaces/default/jobs/{name}", Ct);
        Assert.Equal("defaultinstancetype", detail.GetProperty("summary").GetProperty("instanceType").GetString());
    }

    [Fact]
    public async Task SubmitJson_SameIdempotencyKeyWithADifferentBody_Is422_AndTheSameBodyStillReturnsTheOriginalJob()
    {
        var scientist = _factory.AsUser("dana", StudioRoles.DataScientist);
        async Task<HttpResponseMessage> SendAsync(object body)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/workspaces/default/jobs") { Content = JsonContent.Create(body) };
            request.Headers.Add("Idempotency-Key", "req-reused");
            return await scientist.SendAsync(request, Ct);
        }

        var original = new { compute = "local-sandbox", image = "busybox:1.36", command = "echo one", displayName = "first" };
        var first = await SendAsync(original);
        var changedCommand = await SendAsync(original with { command = "echo two" });
        var changedName = await SendAsync(original with { displayName = "second" });
        var same = await SendAsync(original);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        foreach (var refused in new[] { changedCommand, changedName })
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.Contains("This Idempotency-Key was used for a different request", (await refused.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors").GetProperty("Idempotency-Key")[0].GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
        Assert.Equal((await first.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("name").GetString(), (await same.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("name").GetString());
        Assert.Equal(1, (await scientist.GetFromJsonAsync<JsonElement>("/api/workspaces/default/jobs", Ct)).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task FollowLogs_StreamsText_UntilTheJobEnds()
    {
        var scientist = _factory.AsUser("dana", StudioRoles.DataScientist);
        var submitted = await scientist.PostAsJsonAsync("/api/workspaces/default/jobs", new { compute = "local-sandbox", image = "busybox:1.36", command = "echo streamed line" }, Ct);
        var name = (await submitted.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("name").GetString();

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        var text = await scientist.GetStringAsync($"/api/workspaces/default/jobs/{name}/logs?follow=true", timeout.Token);

        Assert.Contains("[rank 0] streamed line", text, StringComparison.Ordinal);
    }
}
