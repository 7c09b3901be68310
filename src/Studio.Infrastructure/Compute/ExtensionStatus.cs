namespace Studio.Infrastructure.Compute;

/// <summary>Whether the extension is installed on a cluster, with which settings, and its health checks.</summary>
public sealed record ExtensionStatus(string Cluster, bool Installed, ExtensionSettings? Settings, IReadOnlyList<CheckResult> Checks, DateTimeOffset CheckedAt)
{
    public bool Healthy => Installed && Checks.All(c => c.Status != CheckStatus.Fail);
}
