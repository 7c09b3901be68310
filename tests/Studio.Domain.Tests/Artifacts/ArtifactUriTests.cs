using Studio.Domain.Artifacts;

namespace Studio.Domain.Tests.Artifacts;

public sealed class ArtifactUriTests
{
    public static TheoryData<string, ArtifactUriKind, string> Valid() => new()
    {
        { "azureml://datastores/workspaceblobstore/paths/cifar/", ArtifactUriKind.DatastorePath, "azureml://datastores/workspaceblobstore/paths/cifar/" },
        { "azureml://datastores/my_blob/paths/data/train.csv", ArtifactUriKind.DatastorePath, "azureml://datastores/my_blob/paths/data/train.csv" },
        { "azureml://datastores/my_blob/paths/./a//b/", ArtifactUriKind.DatastorePath, "azureml://datastores/my_blob/paths/a/b/" },
        { "azureml://datastores/my_blob/paths/with%20space.txt", ArtifactUriKind.DatastorePath, "azureml://datastores/my_blob/paths/with space.txt" },
        { "azureml://datastores/my_blob", ArtifactUriKind.DatastorePath, "azureml://datastores/my_blob/paths/" },
        { "azureml://subscriptions/s1/resourcegroups/rg/workspaces/ws/datastores/blob1/paths/x/y.csv", ArtifactUriKind.DatastorePath, "azureml://datastores/blob1/paths/x/y.csv" },
        { "azureml:cifar-10-example@latest", ArtifactUriKind.Asset, "azureml:cifar-10-example@latest" },
        { "azureml:cifar-10-example@LATEST", ArtifactUriKind.Asset, "azureml:cifar-10-example@latest" },
        { "azureml:heart.data:3", ArtifactUriKind.Asset, "azureml:heart.data:3" },
        { "https://azuremlexamples.blob.core.windows.net/datasets/cifar10/", ArtifactUriKind.Https, "https://azuremlexamples.blob.core.windows.net/datasets/cifar10/" },
        { "  https://example.com/iris.csv  ", ArtifactUriKind.Https, "https://example.com/iris.csv" },
        { "./data", ArtifactUriKind.LocalPath, "data" },
        { "src", ArtifactUriKind.LocalPath, "src" },
        { "data/sub/", ArtifactUriKind.LocalPath, "data/sub/" },
        { "file:./data/iris.csv", ArtifactUriKind.LocalPath, "data/iris.csv" },
        { "a/./b", ArtifactUriKind.LocalPath, "a/b" },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void Parse_AcceptsAzureMlSyntax_AndCanonicalizesIt(string text, ArtifactUriKind kind, string canonical)
    {
        var parsed = ArtifactUri.Parse(text, "inputs.x.path");

        Assert.True(parsed.IsSuccess, string.Join("; ", parsed.Errors.Select(e => e.Message)));
        Assert.Equal(kind, parsed.Value.Kind);
        Assert.Equal(canonical, parsed.Value.ToString());
    }

    [Fact]
    public void Parse_SplitsDatastoreNameAndPath()
    {
        var parsed = ArtifactUri.Parse("azureml://datastores/my_blob/paths/data/train.csv", "p").Value;

        Assert.Equal("my_blob", parsed.Datastore);
        Assert.Equal("data/train.csv", parsed.Path);
    }

    [Fact]
    public void Parse_SplitsAssetNameAndVersion_LatestIsNull()
    {
        var latest = ArtifactUri.Parse("azureml:cifar@latest", "p").Value;
        var pinned = ArtifactUri.Parse("azureml:cifar:2", "p").Value;

        Assert.Equal(("cifar", (string?)null), (latest.AssetName, latest.AssetVersion));
        Assert.Equal(("cifar", "2"), (pinned.AssetName!, pinned.AssetVersion));
    }

    public static TheoryData<string?, string> Invalid() => new()
    {
        { null, "empty" },
        { "   ", "empty" },
        { "../secrets", "'..'" },
        { "data/../../etc/passwd", "'..'" },
        { "/etc/passwd", "absolute" },
        { "~/data", "absolute" },
        { "C:/data", "absolute" },
        { "data\\x", "backslash" },
        { "data/\tx", "control" },
        { "azureml://datastores/my_blob/paths/../other", "'..'" },
        { "azureml://datastores/my_blob/paths/a/%2e%2e/%2e%2e/b", "'..'" },
        { "azureml://datastores/1bad/paths/x", "start with a letter" },
        { "azureml://datastores/bad-name/paths/x", "letters, digits and '_'" },
        { "azureml://datastores/blob/x", "/paths/" },
        { "azureml://registries/azureml/data/x/versions/1", "registry" },
        { "azureml://jobs/abc/outputs/x", "not a datastore path" },
        { "azureml:cifar", "names no version" },
        { "azureml:cifar@stable", "'@latest'" },
        { "azureml:-cifar@latest", "start with a letter" },
        { "azureml:cifar:../1", "version" },
        { "http://example.com/data.csv", "plain http" },
        { "s3://bucket/key", "register the storage as a datastore" },
        { "wasbs://c@acct.blob.core.windows.net/x", "register the storage as a datastore" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Parse_RefusesTraversalAndUnknownForms_NamingTheField(string? text, string reason)
    {
        var parsed = ArtifactUri.Parse(text, "inputs.cifar.path");

        Assert.False(parsed.IsSuccess);
        Assert.Equal("inputs.cifar.path", parsed.Errors[0].Field);
        Assert.Contains(reason, parsed.Errors[0].Message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("a/b/c.txt", "a/b", true)]
    [InlineData("a/b", "a/b/", true)]
    [InlineData("a/bc", "a/b", false)]
    [InlineData("x", "", true)]
    [InlineData("jobs/job-b/out.txt", "jobs/job-a/", false)]
    public void IsWithin_MatchesWholeSegmentsOnly(string path, string scope, bool within) =>
        Assert.Equal(within, ArtifactPath.IsWithin(path, scope));
}
