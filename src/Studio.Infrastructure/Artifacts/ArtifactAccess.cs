namespace Studio.Infrastructure.Artifacts;

/// <summary>What a signed URL allows.</summary>
public enum ArtifactAccess
{
    /// <summary>GET (and HEAD) of the path.</summary>
    Read,

    /// <summary>PUT of the path (job outputs).</summary>
    Write,
}
