using Studio.Domain.Clusters;

namespace Studio.Infrastructure.Clusters;

public sealed record ClusterSummary(string Name, ClusterKind Kind, string Server, DateTimeOffset RegisteredAt, IReadOnlyList<string> Workspaces);
