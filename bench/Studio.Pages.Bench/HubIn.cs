namespace Studio.Pages.Bench;

/// <summary>A message from the server: type, target (or "result"/"error"/"close"), invocation id, arguments, error.</summary>
internal sealed record HubIn(int Type, string Target, string? InvocationId, object?[] Args, string? Error);
