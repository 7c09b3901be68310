namespace Studio.Domain.Common;

/// <summary>The class of an expected failure; the web layer maps it to an HTTP status.</summary>
public enum ErrorKind
{
    Validation,
    NotFound,
    Conflict,
    Forbidden,

    /// <summary>A well-formed field refused by a rule of where it is aimed (an instance type the compute target does not allow, a reserved namespace).</summary>
    Refused,
}
