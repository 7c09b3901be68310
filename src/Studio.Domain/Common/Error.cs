namespace Studio.Domain.Common;

/// <summary>An expected failure: a machine-readable code, a sentence for people, and the field it concerns (if any).</summary>
public sealed record Error(ErrorKind Kind, string Code, string Message, string? Field = null)
{
    public static Error Validation(string field, string message) => new(ErrorKind.Validation, "validation", message, field);

    /// <summary>
    /// A well-formed request that cannot be carried out as asked (a job larger than its quota or than Kubernetes allows):
    /// a field error with its own <paramref name="code"/>; answered 422 when it is the only kind of problem.
    /// </summary>
    public static Error Unprocessable(string code, string field, string message) => new(ErrorKind.Validation, code, message, field);

    /// <summary>Whether this is an <see cref="Unprocessable(string, string, string)"/> error.</summary>
    public bool IsUnprocessable => Kind == ErrorKind.Validation && Code != "validation";

    public static Error NotFound(string what) => new(ErrorKind.NotFound, "not_found", what);

    public static Error Conflict(string code, string message, string? field = null) => new(ErrorKind.Conflict, code, message, field);

    public static Error Forbidden(string message) => new(ErrorKind.Forbidden, "forbidden", message);
}
