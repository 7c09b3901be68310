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
        var ok = DataAssetVersion.Create(Guid.NewGuid(), "cifar-10-example", "1", DataAssetType.UriFolder, "azureml://datastores/workspaceblobstore/paths/cifar/", null, Now, "dana");

        Assert.True(ok.IsSuccess);
        Assert.Equal("azureml:cifar-10-example:1", ok.Value.Reference);
        Assert.Equal("workspaceblobstore", ok.Value.Location.Datastore);
        Assert.Contains(DataAssetVersion.Create(Guid.NewGuid(), "x", "1", DataAssetType.UriFolder, "azureml:other@latest", null, Now, "dana").Errors, e => e.Field == "path");
        Assert.Contains(DataAssetVersion.Create(Guid.NewGuid(), "x", "1", DataAssetType.UriFolder, "./data", null, Now, "dana").Errors, e => e.Field == "path");
        Assert.Contains(DataAssetVersion.Create(Guid.NewGuid(), "x", "1", DataAssetType.UriFile, "azureml://datastores/s/paths/folder/", null, Now, "dana").Errors, e => e.Field == "path");
        Assert.Contains(DataAssetVersion.Create(Guid.NewGuid(), "x", "", DataAssetType.UriFile, "https://example.com/a.csv", null, Now, "dana").Errors, e => e.Field == "version");
    }

    [Fact]
    public void ModelVersion_KeepsTypeTagsAndLineage()
    {
        var model = ModelVersion.Create(Guid.NewGuid(), "cifar-net", "3", ModelType.MlflowModel, "azureml://datastores/workspaceblobstore/paths/jobs/train-1/outputs/model/", new Dictionary<string, string> { ["acc"] = "0.91" }, "train-1", null, Now, "dana");

        Assert.True(model.IsSuccess);
        Assert.Equal("mlflow_model", model.Value.Type.ToYaml());
        Assert.Equal("train-1", model.Value.SourceJob);
        Assert.Equal(ModelType.TritonModel, AssetTypes.ModelTypeOf("triton_model"));
        Assert.Contains(ModelVersion.Create(Guid.NewGuid(), "m", "1", ModelType.CustomModel, "https://example.com/model.pt", null, null, null, Now, "dana").Errors, e => e.Field == "path");
    }
}
