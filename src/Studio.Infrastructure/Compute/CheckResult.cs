namespace Studio.Infrastructure.Compute;

/// <summary>One health or pre-flight check: what was checked, the outcome, what was found, and how to fix a failure.</summary>
public sealed record CheckResult(string Name, string Title, CheckStatus Status, string Detail, string? FixHint = null)
{
    public static CheckResult Pass(string name, string title, string detail) => new(name, title, CheckStatus.Pass, detail);

    public static CheckResult Warn(string name, string title, string detail, string hint) => new(name, title, CheckStatus.Warning, detail, hint);

    public static CheckResult Fail(string name, string title, string detail, string hint) => new(name, title, CheckStatus.Fail, detail, hint);
}
