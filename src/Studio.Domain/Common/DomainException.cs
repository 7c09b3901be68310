namespace Studio.Domain.Common;

/// <summary>A broken invariant: a bug in the caller, never an expected user error (those are <see cref="Result"/>s).</summary>
public sealed class DomainException(string message) : Exception(message);
