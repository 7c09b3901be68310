using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Studio.Web.Security;
using Studio.Web.Tests.Shared;

namespace Studio.Web.Tests.Api;

/// <summary>
/// Jobs with code through the API: <c>POST .../jobs</c> as multipart (the YAML or JSON job and a zip of its files), the
/// snapshot stored once, listed and downloadable; bad zips, missing parts and oversized code are problem details.
/// </summary>
public sealed class JobCodeApiTests : IAsyncLifetime
{
    private static readonly string Samples = Path.Combine(AppContext.BaseDirectory, "Samples");

    private readonly StudioWebFactory _factory = new()
    {
        SandboxEnabled = true,
        SandboxSpeed = 20,
        Settings = new Dictionary<string, string?> { ["Studio:Artifacts:MaxSnapshotBytes"] = (256 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture) },
    };

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    private static byte[] Zip(params (string Path, byte[] Content)[] files)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (path, content) in files)
            {
                using var entry = zip.CreateEntry(path).Open();
                entry.Write(content);
            }
        }

        return stream.ToArray();
    }

    private static MultipartFormDataContent Multipart(string job, string jobType, byte[]? code)
    {
        var form = new MultipartFormDataContent();
        var jobPart = new StringContent(job, Encoding.UTF8);
        jobPart.Headers.ContentType = new MediaTypeHeaderValue(jobType);
        form.Add(jobPart, "job", jobType == "application/json" ? "job.json" : "job.yml");
        if (code is not null)
        {
            var codePart = new ByteArrayContent(code);
            codePart.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
            form.Add(codePart, "code", "code.zip");
        }

        return form;
    }

    [Fact]
    public async Task CifarYaml_WithItsFiles_IsSubmittedWithItsCode_ThenListedAndDownloadable_AndStoredOnce()
    {
        var scientist = _factory.AsUser("dana", StudioRoles.DataScientist);
        // Its data asset needs a registry (JobApiTests); here the data travels with the job, as a local folder beside the YAML.
        var yaml = File.ReadAllText(Path.Combine(Samples, "azureml-examples", "jobs__single-step__pytorch__cifar-distributed__job.yml"))
            .Replace("azureml:cifar-10-example@latest", "./cifar-10", StringComparison.Ordinal);
        var train = File.ReadAllBytes(Path.Combine(Samples, "code", "cifar-distributed", "src", "train.py"));
        var files = Zip(("job.yml", Encoding.UTF8.GetBytes(yaml)), ("src/train.py", train), ("src/.amlignore", "data/\n"u8.ToArray()), ("src/data/cifar.bin", new byte[1000]), ("cifar-10/data_batch_1", new byte[2000]));

        var first = await scientist.PostAsync("/api/workspaces/default/jobs?compute=local-sandbox", Multipart(yaml, "application/yaml", files), Ct);
        var second = await scientist.PostAsync("/api/workspaces/default/jobs?compute=local-sandbox", Multipart(yaml.Replace("display_name: pytorch-cifar-distributed-example", "display_name: again", StringComparison.Ordinal), "application/yaml", files), Ct);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var body = await first.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var code = body.GetProperty("code");
        Assert.Equal((2, 1, false), (code.GetProperty("files").GetInt32(), code.GetProperty("ignoredFiles").GetInt32(), code.GetProperty("reused").GetBoolean()));
        Assert.DoesNotContain(body.GetProperty("unsupported").EnumerateArray(), i => i.GetProperty("path").GetString() == "code");
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        var again = (await second.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("code");
        Assert.True(again.GetProperty("reused").GetBoolean());
        Assert.Equal(code.GetProperty("snapshot").GetString(), again.GetProperty("snapshot").GetString());

        var name = body.GetProperty("name").GetString();
        var reader = _factory.AsUser("rita", StudioRoles.Reader);
        var listed = await reader.GetFromJsonAsync<JsonElement>($"/api/workspaces/default/jobs/{name}/code", Ct);
        Assert.Equal(code.GetProperty("snapshot").GetString(), listed.GetProperty("snapshot").GetString());
        Assert.Equal([".amlignore", "train.py"], listed.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("path").GetString()));
        var download = await reader.GetAsync($"/api/workspaces/default/jobs/{name}/code/download", Ct);
        Assert.Equal("application/zip", download.Content.Headers.ContentType?.MediaType);
        using var zip = new ZipArchive(new MemoryStream(await download.Content.ReadAsByteArrayAsync(Ct)));
        Assert.Equal(train, ReadAll(zip.GetEntry("train.py")!));
    }

    [Fact]
    public async Task JsonJob_WithACodeZip_RunsTheZipAsItsCodeFolder()
    {
        var scientist = _factory.AsUser("dana", StudioRoles.DataScientist);
        const string job = """{"compute":"local-sandbox","image":"python:3.12","command":"python hello.py"}""";

        var submitted = await scientist.PostAsync("/api/workspaces/default/jobs", Multipart(job, "application/json", Zip(("hello.py", "print('hi')"u8.ToArray()))), Ct);

        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        var name = (await submitted.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("name").GetString();
        var detail = await scientist.GetFromJsonAsync<JsonElement>($"/api/workspaces/default/jobs/{name}", Ct);
        Assert.StartsWith("sha256:", detail.GetProperty("spec").GetProperty("codeSnapshot").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadCode_IsAProblemNamingCode_AndNothingIsSubmitted()
    {
        var scientist = _factory.AsUser("dana", StudioRoles.DataScientist);
        const string yaml = "command: python train.py\nenvironment: {image: python:3.12}\ncompute: azureml:local-sandbox\ncode: src\n";
        var random = new byte[300 * 1024];
        Random.Shared.NextBytes(random);

        var traversal = await scientist.PostAsync("/api/workspaces/default/jobs", Multipart(yaml, "application/yaml", Zip(("src/../../etc/cron.d/x", "x"u8.ToArray()))), Ct);
        var tooLarge = await scientist.PostAsync("/api/workspaces/default/jobs", Multipart(yaml, "application/yaml", Zip(("src/weights.bin", random))), Ct);
        var noCode = await scientist.PostAsync("/api/workspaces/default/jobs", Multipart(yaml, "application/yaml", null), Ct);
        var yamlAlone = await scientist.PostAsync("/api/workspaces/default/jobs", new StringContent(yaml, Encoding.UTF8, "application/yaml"), Ct);
        var notZip = await scientist.PostAsync("/api/workspaces/default/jobs", Multipart(yaml, "application/yaml", "not a zip"u8.ToArray()), Ct);

        foreach (var (response, status) in new[] { (traversal, HttpStatusCode.BadRequest), (tooLarge, HttpStatusCode.RequestEntityTooLarge), (noCode, HttpStatusCode.BadRequest), (yamlAlone, HttpStatusCode.BadRequest), (notZip, HttpStatusCode.BadRequest) })
        {
            Assert.Equal(status, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.True(problem.GetProperty("errors").TryGetProperty("code", out _), problem.ToString());
        }

        var jobs = await scientist.GetFromJsonAsync<JsonElement>("/api/workspaces/default/jobs/", Ct);
        Assert.Equal(0, jobs.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Reader_CannotSubmitCode()
    {
        var reader = _factory.AsUser("rita", StudioRoles.Reader);

        var refused = await reader.PostAsync("/api/workspaces/default/jobs", Multipart("command: echo\nenvironment: {image: python:3.12}\ncompute: azureml:local-sandbox\n", "application/yaml", Zip(("a.py", "x"u8.ToArray()))), Ct);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    private static byte[] ReadAll(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
