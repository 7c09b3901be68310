using Studio.Domain.Artifacts;

namespace Studio.Domain.Tests.Artifacts;

public sealed class ArtifactRecordsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ContentHash_RoundTripsItsPrefixedForm_AndRefusesOtherText()
    {
        var hash = ContentHash.FromBytes(System.Security.Cryptography.SHA256.HashData("x"u8));

        Assert.Equal(hash, ContentHash.Parse(hash.ToString()).Value);
        Assert.Equal(hash, ContentHash.Parse(hash.Hex.ToUpperInvariant()).Value);
        Assert.False(ContentHash.Parse("sha256:xyz").IsSuccess);
        Assert.False(ContentHash.Parse("../../" + hash.Hex[6..]).IsSuccess);
        Assert.Equal($"snapshots/{hash.Hex}.zip", new CodeSnapshot(hash, 10, 1).StoragePath);
    }

    [Fact]
    public void Datastore_AzureBlob_KeepsEndpointContainerAndPrefix()
    {
        var store = Datastore.Create(Guid.NewGuid(), "training_blob", DatastoreKind.AzureBlob, "https://acct.blob.core.windows.net", "data", "./team/a/", null, Now, "admin");

        Assert.True(store.IsSuccess);
        Assert.Equal("team/a", store.Value.Prefix);
        Assert.Equal("team/a/cifar/x.bin", store.Value.KeyOf("cifar/x.bin"));
        Assert.False(store.Value.ReadOnly);
    }

    public static TheoryData<DatastoreKind, string?, string?, string?, string> InvalidStores() => new()
    {
        { DatastoreKind.AzureBlob, "https://acct.blob.core.windows.net", null, null, "container" },
        { DatastoreKind.AzureBlob, "https://acct.blob.core.windows.net", "Bad_Container", null, "container" },
        { DatastoreKind.AzureBlob, "https://acct.blob.core.windows.net", "a--b", null, "container" },
        { DatastoreKind.S3, "ftp://s3.example.com", "bucket", null, "endpoint" },
        { DatastoreKind.S3, "http://s3.example.com", "bucket", null, "endpoint" },
        { DatastoreKind.S3, "https://key:secret@s3.example.com", "bucket", null, "endpoint" },
        { DatastoreKind.AzureBlob, "https://acct.blob.core.windows.net?sv=2020&sig=abc", "data", null, "endpoint" },
        { DatastoreKind.S3, "https://s3.example.com", "bucket", "../up", "prefix" },
        { DatastoreKind.Https, "https://example.com/data/", "bucket", null, "container" },
    };

    [Theory]
    [MemberData(nameof(InvalidStores))]
    public void Datastore_Create_RefusesBadFields_NamingThem(DatastoreKind kind, string? endpoint, string? container, string? prefix, string field)
    {
        var store = Datastore.Create(Guid.NewGuid(), "store1", kind, endpoint, container, prefix, null, Now, "admin");

        Assert.False(store.IsSuccess);
        Assert.Contains(store.Errors, e => e.Field == field);
    }

    [Fact]
    public void Datastore_Https_IsReadOnly_AndS3AcceptsLoopbackHttp()
    {
        Assert.True(Datastore.Create(Guid.NewGuid(), "public_data", DatastoreKind.Https, "https://example.com/data/", null, null, null, Now, "admin").Value.ReadOnly);
        Assert.True(Datastore.Create(Guid.NewGuid(), "minio", DatastoreKind.S3, "http://127.0.0.1:9000", "my.bucket", null, null, Now, "admin").IsSuccess);
        Assert.False(Datastore.Create(Guid.NewGuid(), "bad-name", DatastoreKind.StudioStore, null, null, null, null, Now, "admin").IsSuccess);
    }

    [Fact]
    public void DataAssetVersion_PointsAtADatastoreOrUrl_NeverAtAnotherAssetOrALocalPath()
    {
        var ok = DataAsset.Register(Guid.NewGuid(), "cifar-10-example", new DataAssetDraft(DataAssetType.UriFolder, "1", "azureml://datastores/workspaceblobstore/paths/cifar/"), Now, "dana");

        Assert.True(ok.IsSuccess);
        Assert.Equal("azureml://datastores/workspaceblobstore/paths/cifar/", Assert.Single(ok.Value.Versions).Path);
        Assert.Contains(Draft(DataAssetType.UriFolder, "1", "azureml:other@latest"), e => e.Field == "path");
        Assert.Contains(Draft(DataAssetType.UriFolder, "1", "./data"), e => e.Field == "path");
        Assert.Contains(Draft(DataAssetType.UriFile, "1", "azureml://datastores/s/paths/folder/"), e => e.Field == "path");
        Assert.Contains(Draft(DataAssetType.UriFile, "1/2", "https://example.com/a.csv"), e => e.Field == "version");

        static IReadOnlyList<Studio.Domain.Common.Error> Draft(DataAssetType type, string version, string path) =>
            DataAsset.Register(Guid.NewGuid(), "x", new DataAssetDraft(type, version, path), Now, "dana").Errors;
    }

    [Fact]
    public void ModelVersion_KeepsTypeTagsAndLineage()
    {
        var model = RegisteredModel.Register(
            Guid.NewGuid(), "cifar-net",
            new ModelDraft(ModelType.MlflowModel, "3", "azureml://datastores/workspaceblobstore/paths/jobs/train-1/outputs/model/", null, new ModelLineage("train-1", "model"), null, new Dictionary<string, string> { ["acc"] = "0.91" }),
            Now, "dana");

        Assert.True(model.IsSuccess);
        var version = Assert.Single(model.Value.Versions);
        Assert.Equal("mlflow_model", version.Type.ToYaml());
        Assert.Equal(("train-1", "model"), (version.SourceJob, version.SourceOutput));
        Assert.Equal("0.91", version.Tags["acc"]);
        Assert.Equal(ModelType.TritonModel, AssetTypes.ModelTypeOf("triton_model"));
        Assert.Contains(RegisteredModel.Register(Guid.NewGuid(), "m", new ModelDraft(ModelType.CustomModel, "1", "https://example.com/model.pt"), Now, "dana").Errors, e => e.Field == "path");
    }
}
