namespace Studio.Infrastructure.Artifacts;

/// <summary>
/// <c>Studio:Artifacts:Store</c>: where the studio keeps snapshots, outputs and models. <c>Local</c> (default: a folder
/// under the data folder, served with signed URLs), <c>AzureBlob</c> (<see cref="ConnectionString"/> with the account
/// key, <see cref="Container"/>) or <c>S3</c> (<see cref="ServiceUrl"/>, <see cref="Container"/> as the bucket,
/// <see cref="AccessKey"/>, <see cref="SecretKey"/>, <see cref="Region"/>).
/// </summary>
public sealed class ArtifactStoreOptions
{
    public const string SectionName = "Studio:Artifacts:Store";

    public string Kind { get; set; } = "Local";

    public string? ConnectionString { get; set; }

    public string? Container { get; set; }

    public string? Prefix { get; set; }

    public string? ServiceUrl { get; set; }

    public string? Region { get; set; }

    public string? AccessKey { get; set; }

    public string? SecretKey { get; set; }
}
