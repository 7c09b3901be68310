namespace Studio.Infrastructure.Jobs;

/// <summary>One job of a bulk cancel: canceled, or the reason it was not (already finished, not found, not allowed).</summary>
public sealed record JobCancelResult(string Name, bool Canceled, string? Problem);
