namespace Studio.Infrastructure.Datastores;

/// <summary>
/// What "test connection" found: <see cref="Ok"/>, else the <see cref="Cause"/> (<c>unknown_account</c>,
/// <c>unknown_container</c>, <c>wrong_key</c>, <c>expired_sas</c>, <c>not_permitted</c>, <c>unreachable</c>,
/// <c>identity_unavailable</c>, <c>error</c>) and a sentence saying what to fix.
/// </summary>
public sealed record DatastoreConnectionResult(bool Ok, string Cause, string Message)
{
    public static DatastoreConnectionResult Success(string message) => new(true, "ok", message);

    public static DatastoreConnectionResult Failure(string cause, string message) => new(false, cause, message);
}
