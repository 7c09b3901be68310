using Studio.Domain.Workspaces;

namespace Studio.Infrastructure.Tests.Jobs;

/// <summary>A workspace of a test: its id and name, its compute target's namespace, a data scientist and a reader.</summary>
public sealed record TestWorkspace(Guid Id, string Name, string Namespace, Actor Scientist, Actor Reader)
{
    public const string Compute = "train";
}
