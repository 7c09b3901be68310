using Studio.Domain.Artifacts;
using Studio.Domain.Common;

namespace Studio.Domain.Tests.Artifacts;

public sealed class DataAssetTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private static readonly string Hash = "sha256:" + new string('a', 64);

    private static DataAsset NewAsset(string? version = null) =>
        DataAsset.Register(Guid.NewGuid(), "heart", new DataAssetDraft(DataAssetType.UriFile, version, "heart.csv", Hash), T0, "dana").Value;

    [Fact]
    public void AddVersion_WithoutVersion_TakesTheNextNumber()
    {
        var asset = NewAsset();
        asset.AddVersion(new DataAssetDraft(DataAssetType.UriFile, "7", "https://example.com/heart.csv"), T0.AddMinutes(1), "dana");
        asset.AddVersion(new DataAssetDraft(DataAssetType.UriFile, "v-special", "https://example.com/heart.csv"), T0.AddMinutes(2), "dana");

        var next = asset.AddVersion(new DataAssetDraft(DataAssetType.UriFile, null, "https://example.com/heart.csv"), T0.AddMinutes(3), "dana");

        Assert.Equal(["1", "7", "v-special", "8"], asset.Versions.Select(v => v.Version));
        Assert.Equal("8", next.Value.Version);
        Assert.Same(next.Value, asset.Latest);
    }

    [Fact]
    public void AddVersion_ExistingVersion_IsAConflict_AndChangesNothing()
    {
        var asset = NewAsset("1");

        var again = asset.AddVersion(new DataAssetDraft(DataAssetType.UriFile, "1", "https://example.com/other.csv"), T0, "eve");

        Assert.Equal(ErrorKind.Conflict, Assert.Single(again.Errors).Kind);
        Assert.Equal("heart.csv", Assert.Single(asset.Versions).Path);
    }

    [Fact]
    public void Upload_KeepsItsSnapshotAndFileName_AndAFileUploadIsNoFolder()
    {
        var version = Assert.Single(NewAsset().Versions);

        Assert.Equal((Hash, "heart.csv", true), (version.Snapshot, version.Path, version.IsUpload));
        var folder = DataAsset.Register(Guid.NewGuid(), "x", new DataAssetDraft(DataAssetType.UriFile, null, "data/", Hash), T0, "dana");
        Assert.Equal("path", Assert.Single(folder.Errors).Field);
        var bad = DataAsset.Register(Guid.NewGuid(), "x", new DataAssetDraft(DataAssetType.UriFolder, null, "../up", Hash), T0, "dana");
        Assert.Equal("path", Assert.Single(bad.Errors).Field);
    }

    [Fact]
    public void Register_ReportsEveryBadField()
    {
        var result = DataAsset.Register(Guid.NewGuid(), "-bad", new DataAssetDraft(DataAssetType.UriFolder, "a b", "ftp://x", null, new string('d', 5001), new Dictionary<string, string> { [""] = "x" }), T0, "dana");

        Assert.Equal(["name", "version", "description", "tags", "path"], result.Errors.Select(e => e.Field));
    }

    [Fact]
    public void Remove_UnusedVersion_Deletes_UsedVersion_IsArchivedAndLeavesLatest()
    {
        var asset = NewAsset();
        var second = asset.AddVersion(new DataAssetDraft(DataAssetType.UriFile, null, "https://example.com/heart.csv"), T0.AddMinutes(1), "dana").Value;
        asset.MarkUsed(second);

        Assert.True(asset.Remove("2").Value);
        Assert.True(second.Archived);
        Assert.Equal("1", asset.Latest!.Version);
        Assert.Same(second, asset.Find("2"));

        Assert.False(asset.Remove("1").Value);
        Assert.Equal(["2"], asset.Versions.Select(v => v.Version));
        Assert.Null(asset.Latest);
        Assert.Equal(ErrorKind.NotFound, asset.Remove("9").Errors[0].Kind);
    }

    [Fact]
    public void Archive_HidesFromLatest_AndRestoreShowsAgain()
    {
        var asset = NewAsset();
        asset.AddVersion(new DataAssetDraft(DataAssetType.UriFile, null, "https://example.com/heart.csv"), T0.AddMinutes(1), "dana");

        asset.Archive("2", true);
        Assert.Equal("1", asset.Latest!.Version);
        asset.Archive("2", false);
        Assert.Equal("2", asset.Latest!.Version);
    }

    [Fact]
    public void MlflowModel_NeedsItsMLmodelFile()
    {
        Assert.Null(RegisteredModel.CheckFiles(ModelType.MlflowModel, ["MLmodel", "model.pkl"]));
        Assert.Contains("MLmodel", RegisteredModel.CheckFiles(ModelType.MlflowModel, ["model/MLmodel", "model.pkl"])!.Message, StringComparison.Ordinal);
        Assert.Null(RegisteredModel.CheckFiles(ModelType.CustomModel, ["model.pt"]));
        Assert.NotNull(RegisteredModel.CheckFiles(ModelType.TritonModel, []));
    }

    [Fact]
    public void YamlImport_ReadsTheDataSchema_AndNamesWhatItIgnores()
    {
        const string yaml = """
            $schema: https://azuremlschemas.azureedge.net/latest/data.schema.json
            name: heart-dataset-unlabeled
            description: An unlabeled dataset for heart classification.
            type: uri_folder
            path: data
            tags: {source: uci}
            properties: {x: y}
            """;

        var imported = AssetYaml.ReadData(yaml).Value;

        Assert.Equal("heart-dataset-unlabeled", imported.Name);
        Assert.Equal(new DataAssetDraft(DataAssetType.UriFolder, null, "data", null, "An unlabeled dataset for heart classification.", imported.Draft.Tags), imported.Draft);
        Assert.Equal("uci", imported.Draft.Tags!["source"]);
        Assert.Equal(["properties"], imported.Ignored);
        Assert.Equal("type", Assert.Single(AssetYaml.ReadData("name: x\ntype: mltable\npath: d").Errors).Field);
        Assert.Equal("path", Assert.Single(AssetYaml.ReadModel("name: x\ntype: mlflow_model").Errors).Field);
        Assert.Equal(ModelType.TritonModel, AssetYaml.ReadModel("name: m\ntype: triton_model\npath: azureml://datastores/s/paths/m/").Value.Draft.Type);
    }
}
