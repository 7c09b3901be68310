using Studio.Domain.Artifacts;

namespace Studio.Infrastructure.Datastores;

/// <summary>A datastore as the API and pages show it: never its secret, only whether one is stored.</summary>
public sealed record DatastoreView(
    string Name,
    DatastoreKind Kind,
    string? Endpoint,
    string? Container,
    string Prefix,
    string? Description,
    DatastoreAuth Auth,
    string? Region,
    bool PathStyle,
    bool ReadOnly,
    bool BuiltIn,
    bool HasSecret,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset? UpdatedAt)
{
    public static DatastoreView From(Datastore store, bool hasSecret, string? builtInDescription = null) => new(
        store.Name,
        store.Kind,
        store.Endpoint?.AbsoluteUri,
        store.Container,
        store.IsStudioDefault ? string.Empty : store.Prefix,
        builtInDescription ?? store.Description,
        store.Auth,
        store.Region,
        store.PathStyle,
        store.ReadOnly,
        store.IsStudioDefault,
        hasSecret,
        store.CreatedAt,
        store.CreatedBy,
        store.UpdatedAt);
}
