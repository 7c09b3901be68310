using Studio.Domain.Artifacts;
using Studio.Domain.Jobs;

namespace Studio.Domain.Tests.Jobs;

public sealed class CommandJobYamlInputsTests
{
    private const string Job = """
        command: python train.py --data ${{inputs.data}} --labels ${{inputs.labels}} --lr ${{inputs.lr}}
        environment: {image: python:3.12}
        compute: azureml:cpu
        inputs:
          lr: 0.1
          data:
            type: uri_folder
            path: ./data/train/
          labels:
            type: uri_file
            path: https://example.com/sets/labels.csv
            mode: download
        """;

    [Fact]
    public void LocalAndHttpsInputs_AreDataInputs_AndTheCommandGetsTheirPathsInThePod()
    {
        var import = CommandJobYaml.Import(Job).Value;

        var spec = import.Spec;
        Assert.Empty(import.Unsupported);
        Assert.Equal(new JobDataInput(DataAssetType.UriFolder, "data/train/"), spec.DataInputs["data"]);
        Assert.Equal(new JobDataInput(DataAssetType.UriFile, "https://example.com/sets/labels.csv", "download"), spec.DataInputs["labels"]);
        Assert.Equal("python train.py --data /mnt/studio/inputs/data --labels /mnt/studio/inputs/labels/labels.csv --lr 0.1", spec.ResolvedCommand());
        Assert.Empty(spec.Validate());
    }

    [Fact]
    public void Export_KeepsDataInputs_SoTheSubmittedYamlImportsAgain()
    {
        var spec = CommandJobYaml.Import(Job).Value.Spec;

        var again = CommandJobYaml.Import(CommandJobYamlExport.Export(spec)).Value.Spec;

        Assert.Equal(spec.DataInputs["data"], again.DataInputs["data"]);
        Assert.Equal(spec.DataInputs["labels"], again.DataInputs["labels"]);
        Assert.Equal("0.1", again.Inputs["lr"]);
    }

    [Fact]
    public void RoMount_IsDownloadedAndSaysSo_AndDirectPassesThePath()
    {
        var import = CommandJobYaml.Import("""
            command: echo ${{inputs.a}} ${{inputs.b}}
            environment: {image: python:3.12}
            inputs:
              a: {type: uri_folder, path: ./a, mode: ro_mount}
              b: {type: uri_file, path: "https://example.com/b.csv", mode: direct}
            """).Value;

        Assert.Empty(import.Unsupported);
        Assert.Equal("https://example.com/b.csv", import.Spec.Inputs["b"]);
        Assert.Contains("mounted as download: no CSI driver", import.Spec.DataInputs["a"].Delivery(), StringComparison.Ordinal);
    }

    [Fact]
    public void DatastorePathsAndDataAssets_AreDataInputs_WithNothingUnsupported()
    {
        var import = CommandJobYaml.Import("""
            command: python train.py --data ${{inputs.d}} --labels ${{inputs.l}} --url ${{inputs.u}}
            environment: {image: python:3.12}
            inputs:
              d: {type: uri_folder, path: "azureml://datastores/training_blob/paths/cifar/"}
              l: {type: uri_file, path: "azureml:labels@latest", mode: download}
              u: {type: uri_file, path: "azureml://datastores/training_blob/paths/x/y.csv", mode: direct}
            """).Value;

        Assert.Empty(import.Unsupported);
        Assert.Equal("azureml://datastores/training_blob/paths/cifar/", import.Spec.DataInputs["d"].Path);
        Assert.Equal("direct", import.Spec.DataInputs["u"].Mode);
        Assert.Equal("python train.py --data /mnt/studio/inputs/d --labels /mnt/studio/inputs/l/labels --url /mnt/studio/inputs/u/y.csv", import.Spec.ResolvedCommand());
        Assert.Empty((import.Spec with { Compute = "k8s" }).Validate());
    }

    [Theory]
    [InlineData("{type: uri_folder, path: ../outside}", "inputs.x.path")]
    [InlineData("{type: uri_folder, path: /etc}", "inputs.x.path")]
    [InlineData("{type: uri_folder, path: ./data, mode: rw_mount}", "inputs.x.mode")]
    [InlineData("{type: uri_folder, path: ./data, mode: teleport}", "inputs.x.mode")]
    [InlineData("{type: uri_folder, path: 'http://example.com/x'}", "inputs.x.path")]
    public void BadDataInputs_AreErrorsNamingTheirPath(string input, string field)
    {
        var import = CommandJobYaml.Import($"command: echo ${{{{inputs.x}}}}\nenvironment: {{image: python:3.12}}\ninputs:\n  x: {input}\n");

        Assert.False(import.IsSuccess);
        Assert.Equal(field, import.Errors[0].Field);
    }

    [Fact]
    public void AnHttpsFolder_CannotBeFetched()
    {
        var spec = CommandJobYaml.Import("command: echo ${{inputs.x}}\nenvironment: {image: python:3.12}\ncompute: azureml:cpu\ninputs:\n  x: {type: uri_folder, path: 'https://example.com/x/'}\n").Value.Spec;

        Assert.Contains(spec.Validate(), e => e.Field == "inputs.x.type");
    }
}
