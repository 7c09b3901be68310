namespace Studio.Web.Model;

/// <summary>
/// The pending or failure explainer's answer in plain words: a headline, the facts behind it (per pool, per pod),
/// a one-line hint, and what would work instead.
/// </summary>
public sealed record JobExplanation(bool IsFailure, string Headline, IReadOnlyList<string> Facts, string? Hint, IReadOnlyList<string> Alternatives)
{
    /// <summary>Queue position and ETA for a queued job ("3 jobs ahead; about 12 min").</summary>
    public string? Queue { get; init; }
}
