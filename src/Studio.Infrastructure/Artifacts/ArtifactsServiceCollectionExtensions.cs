using Amazon.Runtime;
using Amazon.S3;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Studio.Infrastructure.Artifacts;
using Studio.Infrastructure.Assets;
using Studio.Infrastructure.Artifacts.Snapshots;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the artifact store (<see cref="ArtifactStoreOptions"/>), signed URLs, code snapshots, data assets, models and workspaces' datastores.</summary>
public static class ArtifactsServiceCollectionExtensions
{
    public static IServiceCollection AddStudioArtifacts(this IServiceCollection services, IConfiguration configuration, string dataFolder)
    {
        services.AddMetrics();
        services.AddOptions<ArtifactsOptions>().Bind(configuration.GetSection(ArtifactsOptions.SectionName));
        var store = configuration.GetSection(ArtifactStoreOptions.SectionName).Get<ArtifactStoreOptions>() ?? new ArtifactStoreOptions();
        services.TryAddSingleton<ArtifactUrlSigner>();
        services.TryAddSingleton(sp => new LocalArtifactStore(Path.Combine(dataFolder, "artifacts"), sp.GetRequiredService<ArtifactUrlSigner>(), sp.GetRequiredService<IArtifactBaseUrl>()));
        services.TryAddSingleton<LocalArtifactHttp>();
        services.TryAddSingleton<IArtifactStore>(sp => Create(store, sp));
        services.TryAddSingleton<CodeSnapshotService>();
        services.TryAddSingleton<AssetFiles>();
        services.TryAddSingleton<DataAssetService>();
        services.TryAddSingleton<ModelService>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDataAssetLocator, DataAssetLocator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Studio.Infrastructure.Events.IDomainEventHandler<Studio.Domain.Jobs.JobStatusChanged>, DataAssetUsage>());
        services.AddStudioDatastores();
        return services;
    }

    /// <summary>The configured store; a misconfiguration stops the start with the setting to fix.</summary>
    public static IArtifactStore Create(ArtifactStoreOptions options, IServiceProvider services)
    {
        switch (options.Kind.Trim().ToLowerInvariant())
        {
            case "local" or "":
                return services.GetRequiredService<LocalArtifactStore>();
            case "azureblob":
                if (string.IsNullOrWhiteSpace(options.ConnectionString) || string.IsNullOrWhiteSpace(options.Container))
                {
                    throw new InvalidOperationException($"{ArtifactStoreOptions.SectionName}: AzureBlob needs ConnectionString (with the account key) and Container.");
                }

                return new AzureBlobArtifactStore(new BlobContainerClient(options.ConnectionString, options.Container), options.Prefix ?? string.Empty);
            case "s3":
                if (string.IsNullOrWhiteSpace(options.ServiceUrl) || string.IsNullOrWhiteSpace(options.Container) || string.IsNullOrWhiteSpace(options.AccessKey) || string.IsNullOrWhiteSpace(options.SecretKey))
                {
                    throw new InvalidOperationException($"{ArtifactStoreOptions.SectionName}: S3 needs ServiceUrl, Container (the bucket), AccessKey and SecretKey.");
                }

                return new S3ArtifactStore(S3Client(options.ServiceUrl, options.Region, options.AccessKey, options.SecretKey), options.Container, options.Prefix ?? string.Empty);
            default:
                throw new InvalidOperationException($"{ArtifactStoreOptions.SectionName}:Kind '{options.Kind}' is not known; use Local, AzureBlob or S3.");
        }
    }

    /// <summary>An S3 client for any S3-compatible endpoint: path-style addressing, checksums only where the API requires them.</summary>
    public static IAmazonS3 S3Client(string serviceUrl, string? region, string accessKey, string secretKey, bool pathStyle = true) =>
        new AmazonS3Client(new BasicAWSCredentials(accessKey, secretKey), new AmazonS3Config
        {
            ServiceURL = serviceUrl,
            ForcePathStyle = pathStyle,
            AuthenticationRegion = string.IsNullOrWhiteSpace(region) ? "us-east-1" : region,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        });
}
