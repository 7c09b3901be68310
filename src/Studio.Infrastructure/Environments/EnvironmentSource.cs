namespace Studio.Infrastructure.Environments;

/// <summary>Where a named environment comes from.</summary>
public enum EnvironmentSource
{
    /// <summary>Registered in the workspace by its members (versioned; wins over the others).</summary>
    Workspace,

    /// <summary>Configured for the whole studio under <c>Studio:Jobs:Environments</c>.</summary>
    Configured,

    /// <summary>One of Azure ML's curated environments that the public samples use.</summary>
    Curated,
}
