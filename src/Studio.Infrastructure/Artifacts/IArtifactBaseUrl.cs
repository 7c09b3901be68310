namespace Studio.Infrastructure.Artifacts;

/// <summary>The studio's address as pods reach it (<see cref="ArtifactsOptions.PublicUrl"/>, or the address it listens on).</summary>
public interface IArtifactBaseUrl
{
    Uri Current { get; }
}

/// <summary>A fixed address (configuration, tests).</summary>
public sealed class FixedArtifactBaseUrl(Uri url) : IArtifactBaseUrl
{
    public Uri Current { get; } = url;
}
