namespace Studio.Domain.Common;

/// <summary>An expected failure: a machine-readable code, a sentence for people, and the field it concerns (if any).</summary>
public sealed record Error(ErrorKind Kind, string Code, string Message, string? Field = null)
{
    public static Error Validation(string field, string message) => new(ErrorKind.Validation, "validation", message, field);

    /// <summary>A well-formed value of <paramref name="field"/> that a rule refuses (HTTP 422).</summary>
    public static Error Refused(string field, string message) => new(ErrorKind.Refused, "refused", message, field);

    public static Error NotFound(string what) => new(ErrorKind.NotFound, "not_found", what);

    public static Error Conflict(string code, string message, string? field = null) => new(ErrorKind.Conflict, code, message, field);

    public static Error Forbidden(string message) => new(ErrorKind.Forbidden, "forbidden", message);
}
