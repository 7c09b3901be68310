using Studio.Domain.Workspaces;

namespace Studio.Infrastructure.Environments;

/// <summary>A named environment as lists and pickers show it; <see cref="Version"/> is null for studio-wide entries.</summary>
public sealed record EnvironmentSummary(
    string Name,
    string? Version,
    string Image,
    string? Description,
    EnvironmentSource Source,
    DateTimeOffset? RegisteredAt,
    string? RegisteredBy)
{
    /// <summary>What a job names to use it: <c>azureml:NAME:VERSION</c>, or <c>azureml:NAME@latest</c> for studio-wide entries.</summary>
    public string Reference => Version is null ? $"azureml:{Name}@latest" : $"azureml:{Name}:{Version}";

    public static EnvironmentSummary From(WorkspaceEnvironment environment) =>
        new(environment.Name, environment.Version, environment.Image, environment.Description, EnvironmentSource.Workspace, environment.RegisteredAt, environment.RegisteredBy);
}
