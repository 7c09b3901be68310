namespace Studio.Sandbox.Api;

/// <summary>Options shared by the mutating verbs (query parameters and body options).</summary>
internal sealed class RequestOptions
{
    public bool DryRun { get; init; }
    public string? FieldManager { get; init; }
    public bool Force { get; init; }

    /// <summary>Strict, Warn or Ignore.</summary>
    public string FieldValidation { get; init; } = "Warn";

    /// <summary>Subresource: null, "status" or "scale".</summary>
    public string? Subresource { get; init; }

    public string? PropagationPolicy { get; init; }
    public long? GracePeriodSeconds { get; init; }
    public string? PreconditionUid { get; init; }
    public string? PreconditionResourceVersion { get; init; }

    /// <summary>
    /// In-process controllers (trusted code) may skip the typed-model round trip (the costliest validation step:
    /// JSON types and unknown fields of built-in kinds). Requests from HTTP clients never set this.
    /// </summary>
    public bool Trusted { get; init; }

    public static RequestOptions Default { get; } = new();

    public static RequestOptions Controller { get; } = new() { Trusted = true };
}
