using Studio.Domain.Artifacts;
using Studio.Domain.Jobs;
using Studio.Domain.Workspaces;

namespace Studio.Domain.Tests.Artifacts;

public sealed class AssetReferenceTests
{
    [Theory]
    [InlineData("azureml:cifar@latest", "cifar", null)]
    [InlineData("AzureML:cifar@LATEST", "cifar", null)]
    [InlineData("cifar:3", "cifar", "3")]
    [InlineData("  azureml: heart.data:1.0.2 ", "heart.data", "1.0.2")]
    [InlineData("azureml:/subscriptions/s/resourceGroups/r/providers/Microsoft.MachineLearningServices/workspaces/w/environments/torch/versions/4", "torch", "4")]
    public void Parse_ReadsNameAndVersion(string text, string name, string? version)
    {
        var parsed = AssetReference.Parse(text, "inputs.x.path");

        Assert.True(parsed.IsSuccess, string.Join("; ", parsed.Errors.Select(e => e.Message)));
        Assert.Equal((name, version, (string?)null), (parsed.Value.Name, parsed.Value.Version, parsed.Value.Registry));
    }

    [Theory]
    [InlineData("azureml://registries/azureml/environments/sklearn-1.5/labels/latest", "azureml", "environments", "sklearn-1.5", null)]
    [InlineData("azureml://registries/azureml/environments/sklearn-1.5/versions/12", "azureml", "environments", "sklearn-1.5", "12")]
    [InlineData("azureml://registries/my-reg/models/resnet", "my-reg", "models", "resnet", null)]
    public void Parse_ReadsRegistryReferences(string text, string registry, string kind, string name, string? version)
    {
        var parsed = AssetReference.Parse(text, "environment").Value;

        Assert.Equal((registry, kind, name, version), (parsed.Registry, parsed.RegistryKind, parsed.Name, parsed.Version));
        Assert.Equal(text.Replace("/labels/latest", string.Empty, StringComparison.Ordinal) + (version is null ? "/labels/latest" : string.Empty), parsed.ToString());
    }

    [Theory]
    [InlineData("azureml:cifar", false, "names no version")]
    [InlineData("azureml:cifar@stable", true, "only '@latest' is supported")]
    [InlineData("azureml:-bad:1", true, "start with a letter or a digit")]
    [InlineData("azureml:cifar:1/2", true, "version may contain only")]
    [InlineData("azureml://registries/azureml/environments/x/labels/stable", true, "not a registry reference")]
    [InlineData("", true, "empty")]
    public void Parse_RefusesWhatIsNotAReference_NamingTheField(string text, bool bareNameIsLatest, string message)
    {
        var parsed = AssetReference.Parse(text, "inputs.cifar.path", bareNameIsLatest);

        var error = Assert.Single(parsed.Errors);
        Assert.Equal("inputs.cifar.path", error.Field);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BareName_IsLatestOnlyWhereAllowed()
    {
        Assert.Null(AssetReference.Parse("torch", "environment", bareNameIsLatest: true).Value.Version);
        Assert.False(AssetReference.Parse("torch", "inputs.x.path").IsSuccess);
    }

    [Theory]
    [InlineData("azureml:torch@stable")]
    [InlineData("azureml:torch:a/b")]
    [InlineData("azureml:-torch:1")]
    public void EnvironmentsDataAndComputeReadReferencesAlike(string text)
    {
        // One rule: an environment reference and a data asset path refuse the same text with the same sentence.
        var environment = WorkspaceEnvironment.ParseReference(text);
        var asset = ArtifactUri.Parse(text, "environment");

        Assert.Equal(Assert.Single(asset.Errors).Message, Assert.Single(environment.Errors).Message);
        Assert.Equal("x", ComputeTargetName.Parse(" AZUREML:x "));
    }

    [Theory]
    [InlineData("azureml://registries/azureml/environments/sklearn-1.5/labels/latest", "AzureML-sklearn-1.5@latest")]
    [InlineData("azureml://registries/azureml/environments/acpt-pytorch-2.2-cuda12.1/versions/7", "AzureML-acpt-pytorch-2.2-cuda12.1:7")]
    [InlineData("azureml://registries/azureml/environments/AzureML-sklearn-1.5/labels/latest", "AzureML-sklearn-1.5@latest")]
    public void Job_RegistryEnvironmentOfAzureMl_IsTheCuratedEnvironment(string environment, string expected)
    {
        var imported = CommandJobYaml.Import($"command: echo\nenvironment: {environment}\n");

        Assert.True(imported.IsSuccess, string.Join("; ", imported.Errors.Select(e => e.Message)));
        Assert.Equal(expected, imported.Value.Spec.Environment);
        Assert.DoesNotContain(imported.Value.Unsupported, i => i.Path == "environment");
    }

    [Fact]
    public void Job_RegistryEnvironmentOfAnotherRegistry_IsLookedUpByName_AndSaysSo()
    {
        var imported = CommandJobYaml.Import("command: echo\nenvironment: azureml://registries/contoso/environments/trainer/versions/2\n").Value;

        Assert.Equal("trainer:2", imported.Spec.Environment);
        Assert.Contains("contoso", Assert.Single(imported.Unsupported, i => i.Path == "environment").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Job_RegistryModelAsEnvironment_IsRefused()
    {
        var imported = CommandJobYaml.Import("command: echo\nenvironment: azureml://registries/azureml/models/resnet/versions/2\n");

        Assert.Contains(imported.Errors, e => e.Field == "environment" && e.Message.Contains("not an environment", StringComparison.Ordinal));
    }
}
