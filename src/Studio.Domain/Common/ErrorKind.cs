namespace Studio.Domain.Common;

/// <summary>The class of an expected failure; the web layer maps it to an HTTP status.</summary>
public enum ErrorKind
{
    Validation,
    NotFound,
    Conflict,
    Forbidden,
}
