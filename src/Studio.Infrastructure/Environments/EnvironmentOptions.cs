namespace Studio.Infrastructure.Environments;

/// <summary>Studio-wide named environments, configured as <c>Studio:Jobs:Environments:&lt;name&gt;=&lt;image&gt;</c>.</summary>
public sealed class EnvironmentOptions
{
    /// <summary>The section the environments are read from (their keys sit with the other job settings).</summary>
    public const string SectionName = "Studio:Jobs";

    /// <summary>Named environments → image; these win over the curated Azure ML ones of the same name.</summary>
    public Dictionary<string, string> Environments { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
