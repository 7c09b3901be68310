namespace Studio.Infrastructure.Artifacts;

/// <summary>A file in an artifact store.</summary>
public sealed record ArtifactItem(string Path, long SizeBytes, DateTimeOffset? LastModified);
