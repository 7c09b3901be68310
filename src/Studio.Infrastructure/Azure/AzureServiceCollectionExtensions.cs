using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Studio.Infrastructure.Azure;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Azure discovery of AKS and Arc clusters.</summary>
public static class AzureServiceCollectionExtensions
{
    /// <summary>Binds <see cref="AzureOptions"/> from <c>Studio:Azure</c> and adds <see cref="AzureClusterDiscovery"/> as a singleton.</summary>
    public static IServiceCollection AddStudioAzure(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AzureOptions>()
            .Bind(configuration.GetSection(AzureOptions.SectionName))
            .Validate(o => IsAbsoluteOrUnset(o.ResourceManagerEndpoint), "Studio:Azure:ResourceManagerEndpoint must be an absolute URL such as https://management.azure.com/.")
            .Validate(o => IsAbsoluteOrUnset(o.AuthorityHost), "Studio:Azure:AuthorityHost must be an absolute URL such as https://login.microsoftonline.com/.")
            .ValidateOnStart();
        services.TryAddSingleton<AzureClusterDiscovery>();
        return services;
    }

    private static bool IsAbsoluteOrUnset(string? value) =>
        string.IsNullOrWhiteSpace(value) || Uri.TryCreate(value, UriKind.Absolute, out _);
}
