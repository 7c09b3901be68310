namespace Studio.Web;

/// <summary><c>Studio</c>: general settings.</summary>
public sealed class StudioOptions
{
    public const string SectionName = "Studio";

    /// <summary>Where the SQLite database and data-protection keys live. Relative paths are under the content root.</summary>
    public string DataFolder { get; set; } = "App_Data";

    /// <summary>The workspace created on first run.</summary>
    public string DefaultWorkspace { get; set; } = "default";

    /// <summary>An OTLP endpoint for traces and metrics (e.g. http://otel-collector:4317). Off when empty.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>The largest request body the API takes (bytes); a larger one is answered 413 with problem details.</summary>
    public long MaxRequestBodyBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Write logs as JSON lines (for log collectors) instead of plain text.</summary>
    public bool JsonLogs { get; set; }
}
