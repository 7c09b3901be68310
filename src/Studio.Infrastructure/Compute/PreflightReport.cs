namespace Studio.Infrastructure.Compute;

/// <summary>
/// What an attach would meet: pass/fail per check, whether the namespace must be created, and which other compute
/// targets already use it (those need an explicit confirmation).
/// </summary>
public sealed record PreflightReport(IReadOnlyList<CheckResult> Checks, bool NamespaceExists, IReadOnlyList<string> NamespaceUsedBy, IReadOnlyList<string> InstanceTypes)
{
    public bool Passed => Checks.All(c => c.Status != CheckStatus.Fail);
}
