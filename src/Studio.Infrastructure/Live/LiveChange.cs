namespace Studio.Infrastructure.Live;

/// <summary>One object's change in a live scope; <see cref="Value"/> is null for deletes.</summary>
public sealed record LiveChange<T>(ChangeKind Kind, string Key, T? Value)
    where T : class;
