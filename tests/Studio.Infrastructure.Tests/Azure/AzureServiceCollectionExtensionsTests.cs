using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Studio.Infrastructure.Azure;

namespace Studio.Infrastructure.Tests.Azure;

public sealed class AzureServiceCollectionExtensionsTests
{
    [Fact]
    public void AddStudioAzure_BindsStudioAzureSectionAndRegistersOneDiscovery()
    {
        using var provider = Build(new()
        {
            ["Studio:Azure:ResourceManagerEndpoint"] = "https://management.usgovcloudapi.net/",
            ["Studio:Azure:AuthorityHost"] = "https://login.microsoftonline.us/",
        });

        var options = provider.GetRequiredService<IOptions<AzureOptions>>().Value;
        Assert.Equal("https://management.usgovcloudapi.net/", options.ResourceManagerEndpoint);
        Assert.Equal("https://login.microsoftonline.us/", options.AuthorityHost);
        Assert.Same(provider.GetRequiredService<AzureClusterDiscovery>(), provider.GetRequiredService<AzureClusterDiscovery>());
    }

    [Fact]
    public void AddStudioAzure_WithRelativeEndpoint_FailsOptionsValidationWithTheSettingName()
    {
        using var provider = Build(new() { ["Studio:Azure:ResourceManagerEndpoint"] = "management.azure.com" });

        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<AzureOptions>>().Value);
        Assert.Contains("Studio:Azure:ResourceManagerEndpoint", failure.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddStudioAzure(configuration).BuildServiceProvider();
    }
}
