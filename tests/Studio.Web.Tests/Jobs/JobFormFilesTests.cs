using System.IO.Compression;
using System.Text;
using Studio.Domain.Artifacts;
using Studio.Domain.Jobs;
using Studio.Web.Model;

namespace Studio.Web.Tests.Jobs;

/// <summary>
/// The submit form's data input rows (datastore + path, https URL, data asset + version, uploaded files) become the
/// spec's inputs with Azure ML's paths, say what is missing, and come back from a spec; the files chosen as a folder are
/// packed into the zip the API takes, and files over the limit are refused with a message.
/// </summary>
public sealed class JobFormFilesTests
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private static JobFormModel Form(params DataInputRow[] rows) => new()
    {
        Compute = "cpu",
        Image = "python:3.12",
        Command = "python train.py " + string.Join(' ', rows.Select(r => $"--{r.Name} ${{{{inputs.{r.Name}}}}}")),
        DataInputs = [.. rows],
    };

    [Fact]
    public void Rows_BecomeTheSpecsDataInputs_WithAzureMlPaths()
    {
        var form = Form(
            new DataInputRow { Name = "images", Datastore = "workspaceblobstore", Path = "cifar-10/" },
            new DataInputRow { Name = "labels", Source = DataInputSource.Url, Url = "https://example.com/labels.csv", Type = DataAssetType.UriFile },
            new DataInputRow { Name = "heart", Source = DataInputSource.Asset, Asset = "heart", Version = "3", Type = DataAssetType.UriFile, Mode = "download" },
            new DataInputRow { Name = "latest", Source = DataInputSource.Asset, Asset = "cifar" });

        var spec = form.ToSpec();

        Assert.Equal("azureml://datastores/workspaceblobstore/paths/cifar-10/", spec.DataInputs["images"].Path);
        Assert.Equal(new JobDataInput(DataAssetType.UriFile, "https://example.com/labels.csv"), spec.DataInputs["labels"]);
        Assert.Equal(new JobDataInput(DataAssetType.UriFile, "azureml:heart:3", "download"), spec.DataInputs["heart"]);
        Assert.Equal("azureml:cifar@latest", spec.DataInputs["latest"].Path);
        Assert.Empty(form.Validate());
    }

    [Theory]
    [InlineData(DataInputSource.Datastore, "Enter the path in the datastore")]
    [InlineData(DataInputSource.Url, "Enter an https:// URL")]
    [InlineData(DataInputSource.Asset, "Choose a data asset")]
    [InlineData(DataInputSource.Local, "Enter the path of the input in the uploaded files")]
    public void AnIncompleteRow_HasAMessageUnderIt(DataInputSource source, string message)
    {
        var form = Form(new DataInputRow { Name = "data", Source = source });

        var errors = form.Validate();

        Assert.StartsWith(message, errors[JobFormFields.DataInput("data")], StringComparison.Ordinal);
    }

    [Fact]
    public void ALocalInput_NeedsTheFilesSentWithTheJob()
    {
        var form = Form(new DataInputRow { Name = "data", Source = DataInputSource.Local, Path = "./data" });

        Assert.Contains("upload the files", form.Validate()[JobFormFields.DataInput("data")], StringComparison.Ordinal);
        form.HasFiles = true;
        Assert.Empty(form.Validate());
    }

    [Fact]
    public void AServiceErrorAboutADataInput_ShowsUnderItsRow_ALiteralInputsUnderTheInputs()
    {
        var form = Form(new DataInputRow { Name = "images", Datastore = "nope", Path = "x/" });

        Assert.Equal(JobFormFields.DataInput("images"), form.FieldOf("inputs.images.path"));
        Assert.Equal(JobFormFields.Inputs, form.FieldOf("inputs.epochs"));
        Assert.Equal(JobFormFields.Code, form.FieldOf("code"));
    }

    [Fact]
    public void ASpecsInputs_ComeBackAsRows_AndACopiedLocalInputKeepsItsStoredFiles()
    {
        var spec = new JobSpec
        {
            Compute = "cpu",
            Image = "python:3.12",
            Command = "python train.py ${{inputs.a}} ${{inputs.b}} ${{inputs.c}}",
            DataInputs = new Dictionary<string, JobDataInput>
            {
                ["a"] = new(DataAssetType.UriFolder, "azureml://datastores/blobs/paths/x/"),
                ["b"] = new(DataAssetType.UriFolder, "azureml:cifar@latest"),
                ["c"] = new(DataAssetType.UriFolder, "./data") { Snapshot = "sha256:" + new string('a', 64) },
            },
        };

        var form = JobFormModel.FromSpec(spec);

        Assert.Equal([DataInputSource.Datastore, DataInputSource.Asset, DataInputSource.Local], form.DataInputs.Select(r => r.Source));
        Assert.Equal(("blobs", "x/"), (form.DataInputs[0].Datastore, form.DataInputs[0].Path));
        Assert.Equal(("cifar", DataInputRow.Latest), (form.DataInputs[1].Asset, form.DataInputs[1].Version));
        Assert.Empty(form.Validate());
        Assert.Equal(spec.DataInputs, form.ToSpec().DataInputs);
    }

    [Fact]
    public async Task AFolder_IsPackedIntoTheZipTheApiTakes_WithItsPathsUnderTheFolder()
    {
        using var upload = new JobCodeUpload();
        var files = new List<(string, Func<Stream>)>
        {
            ("job.yml", () => new MemoryStream("command: python src/train.py\n"u8.ToArray())),
            ("src/train.py", () => new MemoryStream("print('hi')"u8.ToArray())),
        };

        var error = await upload.SetFolderAsync("project", files, 1024 * 1024, Ct);

        Assert.Null(error);
        Assert.Equal(("project/ (2 files)", 2), (upload.Label, upload.FileCount));
        await using var stream = upload.Open();
        using var zip = new ZipArchive(stream);
        Assert.Equal(["job.yml", "src/train.py"], zip.Entries.Select(e => e.FullName));
        using var reader = new StreamReader(zip.GetEntry("src/train.py")!.Open(), Encoding.UTF8);
        Assert.Equal("print('hi')", await reader.ReadToEndAsync(Ct));
    }

    [Fact]
    public async Task FilesOverTheLimit_AreRefusedWithAMessage_AndNothingIsKept()
    {
        using var upload = new JobCodeUpload();

        var error = await upload.SetFolderAsync("big", [("data.bin", () => new MemoryStream(new byte[4096]))], 1000, Ct);
        var notAZip = await upload.SetZipAsync(new MemoryStream("not a zip"u8.ToArray()), "code.zip", 1000, Ct);

        Assert.Contains("larger than this studio takes", error, StringComparison.Ordinal);
        Assert.Contains("'code.zip' is not a readable zip file", notAZip, StringComparison.Ordinal);
        Assert.False(upload.HasFiles);
    }
}
