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
/// Data assets and models through the API: uploads stored as content-addressed snapshots (listed, downloadable), versions
/// numbered and immutable, datastore paths, YAML imports with their files, size limits and field messages, and who may
/// see and change them.
/// </summary>
public sealed class DataAssetApiTests : IAsyncLifetime
{
    private const int Limit = 64 * 1024;
    private static readonly string Samples = Path.Combine(AppContext.BaseDirectory, "Samples", "azureml-examples");

    private readonly StudioWebFactory _factory = new()
    {
        Settings = new Dictionary<string, string?> { ["Studio:Artifacts:MaxSnapshotBytes"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture) },
    };

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var admin = _factory.AsUser("admin", StudioRoles.Administrator);
        (await admin.PostAsJsonAsync("/api/workspaces", new { name = "nlp" }, Ct)).EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync("/api/workspaces/nlp/members/dana", new { role = "DataScientist" }, Ct)).EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync("/api/workspaces/nlp/members/rob", new { role = "Reader" }, Ct)).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/api/workspaces", new { name = "vision" }, Ct)).EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync("/api/workspaces/vision/members/vic", new { role = "DataScientist" }, Ct)).EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

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

    private static MultipartFormDataContent Upload(string part, string text, string fileName, byte[] file)
    {
        var form = new MultipartFormDataContent();
        var first = new StringContent(text, Encoding.UTF8);
        first.Headers.ContentType = new MediaTypeHeaderValue(part == "yaml" ? "application/yaml" : "application/json");
        form.Add(first, part);
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(content, "file", fileName);
        return form;
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

    [Fact]
    public async Task UploadFile_CreatesNumberedVersions_ThatListTheirFileAndDownloadIt()
    {
        var dana = _factory.AsUser("dana");

        var first = await dana.PostAsync("/api/workspaces/nlp/data", Upload("meta", """{"name":"heart","type":"uri_file","description":"UCI heart","tags":{"source":"uci"}}""", "heart.csv", "age,chol\n63,233\n"u8.ToArray()), Ct);
        var second = await dana.PostAsync("/api/workspaces/nlp/data", Upload("meta", """{"name":"Heart","type":"uri_file"}""", "heart.csv", "age,chol\n67,286\n"u8.ToArray()), Ct);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal("/api/workspaces/nlp/data/heart/versions/2", second.Headers.Location?.OriginalString);
        var version = (await Json(first)).GetProperty("version");
        Assert.Equal(("1", "heart.csv", true, "uri_file", "azureml:heart:1"), (version.GetProperty("version").GetString(), version.GetProperty("path").GetString(), version.GetProperty("upload").GetBoolean(), version.GetProperty("type").GetString(), version.GetProperty("reference").GetString()));
        Assert.Equal("uci", version.GetProperty("tags").GetProperty("source").GetString());

        var files = await dana.GetFromJsonAsync<JsonElement[]>("/api/workspaces/nlp/data/heart/versions/1/files", Ct);
        Assert.Equal("heart.csv", Assert.Single(files!).GetProperty("path").GetString());
        Assert.Equal("age,chol\n63,233\n", await dana.GetStringAsync("/api/workspaces/nlp/data/heart/versions/1/download?path=heart.csv", Ct));
        Assert.Equal("age,chol\n67,286\n", await dana.GetStringAsync("/api/workspaces/nlp/data/heart/versions/latest/download?path=heart.csv", Ct));

        var list = await dana.GetFromJsonAsync<JsonElement[]>("/api/workspaces/nlp/data", Ct);
        var heart = Assert.Single(list!);
        Assert.Equal(("heart", "2", 2), (heart.GetProperty("name").GetString(), heart.GetProperty("latestVersion").GetString(), heart.GetProperty("versionCount").GetInt32()));
    }

    [Fact]
    public async Task SampleYaml_WithItsFiles_TakesItsLocalFolder()
    {
        var dana = _factory.AsUser("dana");
        var yaml = File.ReadAllText(Path.Combine(Samples, "endpoints__batch__deploy-models__heart-classifier-mlflow__heart-dataset-unlabeled.yml"));
        var files = Zip(("heart-dataset-unlabeled.yml", yaml), ("data/part-1.csv", "63,1\n"), ("data/sub/part-2.csv", "67,0\n"), ("deployment.yml", "x"));

        var response = await dana.PostAsync("/api/workspaces/nlp/data", Upload("yaml", yaml, "files.zip", files), Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var version = (await Json(response)).GetProperty("version");
        Assert.Equal(("heart-dataset-unlabeled", "uri_folder", "data/"), (version.GetProperty("name").GetString(), version.GetProperty("type").GetString(), version.GetProperty("path").GetString()));
        Assert.Equal("An unlabeled dataset for heart classification.", version.GetProperty("description").GetString());
        var listed = await dana.GetFromJsonAsync<JsonElement[]>("/api/workspaces/nlp/data/heart-dataset-unlabeled/versions/1/files", Ct);
        Assert.Equal(["part-1.csv", "sub/part-2.csv"], listed!.Select(f => f.GetProperty("path").GetString()).Order());
        var zip = await dana.GetByteArrayAsync("/api/workspaces/nlp/data/heart-dataset-unlabeled/versions/1/download", Ct);
        using var archive = new ZipArchive(new MemoryStream(zip));
        Assert.Contains(archive.Entries, e => e.FullName == "sub/part-2.csv");
    }

    [Fact]
    public async Task Yaml_WithLocalPathButNoFiles_NamesThePath_AndStoresNothing()
    {
        var dana = _factory.AsUser("dana");
        var content = new StringContent("name: lonely\ntype: uri_folder\npath: ./data\n", Encoding.UTF8, "application/yaml");

        var response = await dana.PostAsync("/api/workspaces/nlp/data", content, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("send the YAML with its files", (await Json(response)).GetProperty("errors").GetProperty("path")[0].GetString(), StringComparison.Ordinal);
        Assert.Empty((await dana.GetFromJsonAsync<JsonElement[]>("/api/workspaces/nlp/data", Ct))!);
    }

    [Fact]
    public async Task DatastorePath_IsKept_AndItsFilesAreNotBrowsedHere()
    {
        var dana = _factory.AsUser("dana");

        var created = await dana.PostAsJsonAsync("/api/workspaces/nlp/data", new { name = "cifar-10-example", type = "uri_folder", path = "azureml://datastores/workspaceblobstore/paths/cifar/" }, Ct);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("azureml://datastores/workspaceblobstore/paths/cifar/", (await Json(created)).GetProperty("version").GetProperty("path").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await dana.GetAsync("/api/workspaces/nlp/data/cifar-10-example/versions/1/files", Ct)).StatusCode);
        var again = await dana.PostAsJsonAsync("/api/workspaces/nlp/data", new { name = "cifar-10-example", version = "1", type = "uri_folder", path = "https://example.com/other/" }, Ct);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task BadFields_AreFieldMessages()
    {
        var response = await _factory.AsUser("dana").PostAsJsonAsync("/api/workspaces/nlp/data", new { name = "-bad", version = "1 2", type = "uri_file", path = "ftp://example.com/x" }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await Json(response)).GetProperty("errors");
        Assert.Equal("The name must start with a letter or a digit.", errors.GetProperty("name")[0].GetString());
        Assert.True(errors.TryGetProperty("version", out _));
        Assert.Contains("register the storage as a datastore", errors.GetProperty("path")[0].GetString(), StringComparison.Ordinal);
        var type = await _factory.AsUser("dana").PostAsJsonAsync("/api/workspaces/nlp/data", new { name = "x", type = "mltable", path = "https://example.com/x" }, Ct);
        Assert.True((await Json(type)).GetProperty("errors").TryGetProperty("type", out _));
    }

    [Fact]
    public async Task UploadOverTheLimit_Is413_AndCreatesNothing()
    {
        var dana = _factory.AsUser("dana");

        var response = await dana.PostAsync("/api/workspaces/nlp/data", Upload("meta", """{"name":"big","type":"uri_file"}""", "big.bin", new byte[Limit + 1]), Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await dana.GetAsync("/api/workspaces/nlp/data/big", Ct)).StatusCode);
    }

    [Fact]
    public async Task Reader_ReadsButCannotCreate_AndAnotherWorkspaceSeesNothing()
    {
        var dana = _factory.AsUser("dana");
        await dana.PostAsJsonAsync("/api/workspaces/nlp/data", new { name = "iris", type = "uri_file", path = "https://example.com/iris.csv" }, Ct);

        var rob = _factory.AsUser("rob");
        Assert.Equal(HttpStatusCode.OK, (await rob.GetAsync("/api/workspaces/nlp/data/iris", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await rob.PostAsJsonAsync("/api/workspaces/nlp/data", new { name = "x", type = "uri_file", path = "https://example.com/x.csv" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await rob.DeleteAsync("/api/workspaces/nlp/data/iris/versions/1", Ct)).StatusCode);

        var vic = _factory.AsUser("vic");
        Assert.Equal(HttpStatusCode.NotFound, (await vic.GetAsync("/api/workspaces/nlp/data", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await vic.GetAsync("/api/workspaces/nlp/data/iris/versions/1", Ct)).StatusCode);
        Assert.Empty((await vic.GetFromJsonAsync<JsonElement[]>("/api/workspaces/vision/data", Ct))!);
    }

    [Fact]
    public async Task Remove_UnusedVersion_DeletesIt_AndArchiveHidesFromLatest()
    {
        var dana = _factory.AsUser("dana");
        await dana.PostAsJsonAsync("/api/workspaces/nlp/data", new { name = "iris", type = "uri_file", path = "https://example.com/iris-1.csv" }, Ct);
        await dana.PostAsJsonAsync("/api/workspaces/nlp/data", new { name = "iris", type = "uri_file", path = "https://example.com/iris-2.csv" }, Ct);

        Assert.Equal(HttpStatusCode.NoContent, (await dana.PostAsync("/api/workspaces/nlp/data/iris/versions/2/archive", null, Ct)).StatusCode);
        Assert.Equal("1", (await dana.GetFromJsonAsync<JsonElement>("/api/workspaces/nlp/data/iris/versions/latest", Ct)).GetProperty("version").GetString());

        var removed = await dana.DeleteAsync("/api/workspaces/nlp/data/iris/versions/1", Ct);
        Assert.False((await Json(removed)).GetProperty("archived").GetBoolean());
        Assert.Empty((await dana.GetFromJsonAsync<JsonElement[]>("/api/workspaces/nlp/data", Ct))!);
        Assert.Single((await dana.GetFromJsonAsync<JsonElement[]>("/api/workspaces/nlp/data?archived=true", Ct))!);
    }

    [Fact]
    public async Task MlflowModel_WithoutMLmodel_IsRefused_WithIt_IsRegistered()
    {
        var dana = _factory.AsUser("dana");

        var missing = await dana.PostAsync("/api/workspaces/nlp/models", Upload("meta", """{"name":"heart-classifier","type":"mlflow_model"}""", "model.zip", Zip(("model.pkl", "x"))), Ct);
        var ok = await dana.PostAsync("/api/workspaces/nlp/models", Upload("meta", """{"name":"heart-classifier","type":"mlflow_model","tags":{"auc":"0.91"}}""", "model.zip", Zip(("MLmodel", "flavors: {}"), ("model.pkl", "x"))), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("MLmodel", (await Json(missing)).GetProperty("errors").GetProperty("file")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        var version = (await Json(ok)).GetProperty("version");
        Assert.Equal(("1", "mlflow_model", "model/"), (version.GetProperty("version").GetString(), version.GetProperty("type").GetString(), version.GetProperty("path").GetString()));
        var files = await dana.GetFromJsonAsync<JsonElement[]>("/api/workspaces/nlp/models/heart-classifier/versions/1/files", Ct);
        Assert.Equal(["MLmodel", "model.pkl"], files!.Select(f => f.GetProperty("path").GetString()).Order());
        Assert.Equal(HttpStatusCode.NotFound, (await _factory.AsUser("vic").GetAsync("/api/workspaces/nlp/models/heart-classifier", Ct)).StatusCode);
    }

    [Fact]
    public async Task ModelYaml_FromADatastorePath_IsRegistered_AndUnknownKeysAreNamed()
    {
        var yaml = new StringContent("$schema: https://azuremlschemas.azureedge.net/latest/model.schema.json\nname: resnet\ntype: custom_model\npath: azureml://datastores/workspaceblobstore/paths/models/resnet/\nflavors: {python_function: {}}\n", Encoding.UTF8, "application/yaml");

        var response = await _factory.AsUser("dana").PostAsync("/api/workspaces/nlp/models", yaml, Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await Json(response);
        Assert.Equal("azureml://datastores/workspaceblobstore/paths/models/resnet/", body.GetProperty("version").GetProperty("path").GetString());
        Assert.Equal("flavors", Assert.Single(body.GetProperty("unsupported").EnumerateArray()).GetProperty("path").GetString());
    }
}
