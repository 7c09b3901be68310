using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Studio.Web.Security;
using Studio.Web.Tests.Shared;

namespace Studio.Web.Tests.Api;

/// <summary>Jobs read registered data assets: <c>path: azureml:NAME@latest</c> / <c>:VERSION</c> resolve to the asset's files; a version a job used is archived, not deleted.</summary>
public sealed class DataAssetJobTests : IAsyncLifetime
{
    private static readonly string Samples = Path.Combine(AppContext.BaseDirectory, "Samples", "azureml-examples");

    private readonly StudioWebFactory _factory = new() { SandboxEnabled = true, SandboxSpeed = 20 };

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    private static MultipartFormDataContent Upload(string meta, string fileName, byte[] file)
    {
        var form = new MultipartFormDataContent();
        form.Add(new StringContent(meta, Encoding.UTF8, "application/json"), "meta");
        form.Add(new ByteArrayContent(file), "file", fileName);
        return form;
    }

    private static byte[] Zip(params (string Path, string Content)[] files)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (path, content) in files)
            {
                using var entry = zip.CreateEntry(path).Open();
                entry.Write(Encoding.UTF8.GetBytes(content));
            }
        }

        return stream.ToArray();
    }

    private static StringContent Yaml(string text) => new(text, Encoding.UTF8, "application/yaml");

    [Fact]
    public async Task CifarSample_WithItsUploadedDataAsset_IsSubmitted_AndTheUsedVersionIsArchivedNotDeleted()
    {
        var dana = _factory.AsUser("dana", StudioRoles.DataScientist);
        (await dana.PostAsync("/api/workspaces/default/data", Upload("""{"name":"cifar-10-example","type":"uri_folder"}""", "cifar.zip", Zip(("data_batch_1", "x"))), Ct)).EnsureSuccessStatusCode();
        var yaml = (await File.ReadAllTextAsync(Path.Combine(Samples, "jobs__single-step__pytorch__cifar-distributed__job.yml"), Ct)).Replace("code: src\n", string.Empty, StringComparison.Ordinal);

        var response = await dana.PostAsync("/api/workspaces/default/jobs?compute=azureml:local-sandbox", Yaml(yaml), Ct);

        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {body}");
        Assert.DoesNotContain(JsonDocument.Parse(body).RootElement.GetProperty("unsupported").EnumerateArray(), i => i.GetProperty("path").GetString()!.StartsWith("inputs", StringComparison.Ordinal));
        var name = JsonDocument.Parse(body).RootElement.GetProperty("name").GetString();
        var manifests = await dana.GetStringAsync($"/api/workspaces/default/jobs/{name}/manifests", Ct);
        Assert.Contains("--data-dir /mnt/studio/inputs/cifar", manifests, StringComparison.Ordinal);
        Assert.Contains("unzip", manifests, StringComparison.Ordinal);

        await WaitForAsync(async () => (await dana.GetFromJsonAsync<JsonElement>("/api/workspaces/default/data/cifar-10-example/versions/1", Ct)).GetProperty("jobCount").GetInt32() == 1);
        var removed = await Json(await dana.DeleteAsync("/api/workspaces/default/data/cifar-10-example/versions/1", Ct));
        Assert.True(removed.GetProperty("archived").GetBoolean());
        var version = await dana.GetFromJsonAsync<JsonElement>("/api/workspaces/default/data/cifar-10-example/versions/1", Ct);
        Assert.True(version.GetProperty("archived").GetBoolean());
    }

    [Fact]
    public async Task UploadedFileAsset_IsThePathOfItsFileInThePod()
    {
        var dana = _factory.AsUser("dana", StudioRoles.DataScientist);
        (await dana.PostAsync("/api/workspaces/default/data", Upload("""{"name":"heart","type":"uri_file"}""", "heart.csv", "age\n63\n"u8.ToArray()), Ct)).EnsureSuccessStatusCode();
        const string job = "command: python score.py --data ${{inputs.heart}}\nenvironment: {image: python:3.12}\ncompute: azureml:local-sandbox\ninputs:\n  heart:\n    type: uri_file\n    path: azureml:heart:1\n";

        var response = await dana.PostAsync("/api/workspaces/default/jobs", Yaml(job), Ct);

        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {body}");
        var name = JsonDocument.Parse(body).RootElement.GetProperty("name").GetString();
        Assert.Contains("--data /mnt/studio/inputs/heart/heart.csv", await dana.GetStringAsync($"/api/workspaces/default/jobs/{name}/manifests", Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inputs_ListSourcesModesPodPathsAndSizes_AndLiteralValues_ForReaders()
    {
        var dana = _factory.AsUser("dana", StudioRoles.DataScientist);
        var rita = _factory.AsUser("rita", StudioRoles.Reader);
        (await dana.PostAsync("/api/workspaces/default/data", Upload("""{"name":"cifar","type":"uri_folder"}""", "cifar.zip", Zip(("a.bin", "12345"), ("b/c.bin", "123"))), Ct)).EnsureSuccessStatusCode();
        const string job = "command: python train.py --data ${{inputs.cifar}} --epochs ${{inputs.epochs}}\nenvironment: {image: python:3.12}\ncompute: azureml:local-sandbox\ninputs:\n  epochs: 3\n  cifar:\n    type: uri_folder\n    mode: ro_mount\n    path: azureml:cifar:1\n";
        var submitted = await dana.PostAsync("/api/workspaces/default/jobs", Yaml(job), Ct);
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        var name = (await Json(submitted)).GetProperty("name").GetString();

        var inputs = await rita.GetFromJsonAsync<JsonElement>($"/api/workspaces/default/jobs/{name}/inputs", Ct);

        var cifar = inputs.EnumerateArray().Single(i => i.GetProperty("name").GetString() == "cifar");
        Assert.Equal("asset", cifar.GetProperty("sourceKind").GetString());
        Assert.Equal("cifar", cifar.GetProperty("assetName").GetString());
        Assert.Equal("1", cifar.GetProperty("assetVersion").GetString());
        Assert.Equal("ro_mount", cifar.GetProperty("modeAsked").GetString());
        Assert.Equal("download", cifar.GetProperty("modeUsed").GetString());
        Assert.Contains("CSI driver", cifar.GetProperty("modeReason").GetString(), StringComparison.Ordinal);
        Assert.Equal("/mnt/studio/inputs/cifar", cifar.GetProperty("podPath").GetString());
        Assert.Equal(8, cifar.GetProperty("sizeBytes").GetInt64());
        Assert.Equal(2, cifar.GetProperty("files").GetInt32());
        var epochs = inputs.EnumerateArray().Single(i => i.GetProperty("name").GetString() == "epochs");
        Assert.Equal("value", epochs.GetProperty("sourceKind").GetString());
        Assert.Equal("3", epochs.GetProperty("source").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await rita.GetAsync("/api/workspaces/default/jobs/no-such-job/inputs", Ct)).StatusCode);
        var openApi = await rita.GetFromJsonAsync<JsonElement>("/openapi/v1.json", Ct);
        Assert.True(openApi.GetProperty("paths").TryGetProperty("/api/workspaces/{workspace}/jobs/{name}/inputs", out _));
    }

    [Fact]
    public async Task AnInputThePodCannotFetch_IsFailed_WithTheFetchError()
    {
        var dana = _factory.AsUser("dana", StudioRoles.DataScientist);
        const string job = "command: wc -l ${{inputs.labels}}\nenvironment: {image: python:3.12}\ncompute: azureml:local-sandbox\ninputs:\n  labels:\n    type: uri_file\n    mode: download\n    path: https://127.0.0.1:1/labels.csv\n";
        var submitted = await dana.PostAsync("/api/workspaces/default/jobs", Yaml(job), Ct);
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        var name = (await Json(submitted)).GetProperty("name").GetString();

        await WaitForAsync(async () => (await dana.GetFromJsonAsync<JsonElement>($"/api/workspaces/default/jobs/{name}", Ct)).GetProperty("summary").GetProperty("state").GetString() is "Failed" or "Completed");

        var labels = (await dana.GetFromJsonAsync<JsonElement>($"/api/workspaces/default/jobs/{name}/inputs", Ct)).EnumerateArray().Single();
        Assert.Equal("https", labels.GetProperty("sourceKind").GetString());
        Assert.Equal("download", labels.GetProperty("modeUsed").GetString());
        Assert.Equal(JsonValueKind.Null, labels.GetProperty("modeReason").ValueKind);
        Assert.Equal(JsonValueKind.Null, labels.GetProperty("sizeBytes").ValueKind);
        Assert.Equal("failed", labels.GetProperty("fetch").GetString());
        Assert.Contains("could not fetch", labels.GetProperty("fetchNote").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownVersion_Is422NamingTheInput_AndSaysWhichVersionsExist()
    {
        var dana = _factory.AsUser("dana", StudioRoles.DataScientist);
        await dana.PostAsJsonAsync("/api/workspaces/default/data", new { name = "iris", type = "uri_file", path = "https://example.com/iris.csv" }, Ct);
        const string job = "command: echo ${{inputs.iris}}\nenvironment: {image: python:3.12}\ncompute: azureml:local-sandbox\ninputs:\n  iris:\n    type: uri_file\n    path: azureml:iris:7\n";

        var response = await dana.PostAsync("/api/workspaces/default/jobs", Yaml(job), Ct);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var message = (await Json(response)).GetProperty("errors").GetProperty("inputs.iris.path")[0].GetString();
        Assert.Contains("has no version 7 (it has 1)", message, StringComparison.Ordinal);
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not hold within 20 s.");
            await Task.Delay(200, Ct);
        }
    }
}
