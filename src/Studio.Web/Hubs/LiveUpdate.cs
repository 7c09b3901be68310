using Studio.Infrastructure.Live;

namespace Studio.Web.Hubs;

/// <summary>
/// What a hub client receives for a subscribed scope: with <see cref="IsSnapshot"/>, the scope's whole state (the first
/// message after Subscribe, and again after the client fell behind or the source relisted); otherwise changes to apply.
/// </summary>
public sealed record LiveUpdate(string Scope, bool IsSnapshot, IReadOnlyList<LiveChange<LiveObject>> Changes);
