namespace Studio.Infrastructure.Live;

/// <summary>
/// What a subscriber receives: with <see cref="IsSnapshot"/>, the whole state of the scope (the first batch, and again
/// after the subscriber fell too far behind); otherwise the changes since the last batch, coalesced per object.
/// </summary>
public sealed record LiveBatch<T>(bool IsSnapshot, IReadOnlyList<LiveChange<T>> Changes)
    where T : class;
