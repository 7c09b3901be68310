using Studio.Domain.Artifacts;

namespace Studio.Domain.Tests.Artifacts;

public sealed class DatastoreTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    private static DatastoreSettings S3 => new("http://127.0.0.1:9000", "bucket", "team", null, DatastoreAuth.AccessKey, "eu-west-1", PathStyle: false);

    [Theory]
    [InlineData(DatastoreKind.AzureBlob, DatastoreAuth.AccessKey)]
    [InlineData(DatastoreKind.S3, DatastoreAuth.AccountKey)]
    [InlineData(DatastoreKind.Https, DatastoreAuth.Sas)]
    public void Create_WithAnAuthTheKindDoesNotTake_IsRefusedOnAuth(DatastoreKind kind, DatastoreAuth auth)
    {
        var created = Datastore.Create(Guid.NewGuid(), "store", kind, new DatastoreSettings("https://example.com", kind == DatastoreKind.Https ? null : "bucket", Auth: auth), Now, "admin");

        Assert.Contains(created.Errors, e => e.Field == "auth");
    }

    [Fact]
    public void Update_ChangesSettingsButNeitherNameNorKind_AndRefusesAllOrNothing()
    {
        var store = Datastore.Create(Guid.NewGuid(), "minio", DatastoreKind.S3, S3, Now, "admin").Value;

        var bad = store.Update(S3 with { Container = "Bad_Bucket", Prefix = "elsewhere" }, Now.AddHours(1));
        var good = store.Update(S3 with { Prefix = "./other/", Region = null, PathStyle = true }, Now.AddHours(2));

        Assert.False(bad.IsSuccess);
        Assert.True(good.IsSuccess);
        Assert.Equal(("minio", DatastoreKind.S3, "other", null, true, (DateTimeOffset?)Now.AddHours(2)), (store.Name, store.Kind, store.Prefix, store.Region, store.PathStyle, store.UpdatedAt));
    }

    [Fact]
    public void StudioDefault_IsTheWorkspacesFolderOfTheStudioStore_AndCannotChange()
    {
        var workspace = Guid.NewGuid();
        var store = Datastore.StudioDefault(workspace);

        Assert.Equal((DatastoreName.Default, DatastoreKind.StudioStore, $"workspaces/{workspace:N}", false), (store.Name, store.Kind, store.Prefix, store.ReadOnly));
        Assert.Equal("datastore_builtin", store.Update(S3, Now).Errors.Single().Code);
    }

    [Theory]
    [InlineData(DatastoreKind.AzureBlob, DatastoreAuth.AccountKey, null, null, null, null, "credentials.accountKey")]
    [InlineData(DatastoreKind.AzureBlob, DatastoreAuth.AccountKey, "not base64!", null, null, null, "credentials.accountKey")]
    [InlineData(DatastoreKind.AzureBlob, DatastoreAuth.Sas, null, "sv=2024&se=2030-01-01", null, null, "credentials.sasToken")]
    [InlineData(DatastoreKind.AzureBlob, DatastoreAuth.Identity, "a2V5", null, null, null, "credentials.accountKey")]
    [InlineData(DatastoreKind.S3, DatastoreAuth.AccessKey, null, null, "AKIA", null, "credentials.secretAccessKey")]
    public void Credentials_ThatTheAuthDoesNotTake_AreNamed(DatastoreKind kind, DatastoreAuth auth, string? key, string? sas, string? id, string? secret, string field)
    {
        var errors = new DatastoreCredentials(key, sas, id, secret).Validate(kind, auth);

        Assert.Contains(errors, e => e.Field == field);
    }

    [Fact]
    public void Credentials_NeverShowTheirSecretInText()
    {
        var credentials = new DatastoreCredentials(AccessKeyId: "AKIAEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG");

        Assert.Empty(credentials.Validate(DatastoreKind.S3, DatastoreAuth.AccessKey));
        Assert.DoesNotContain("wJalr", credentials.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("AKIA", $"{credentials}", StringComparison.Ordinal);
    }
}
