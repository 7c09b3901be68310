using Studio.Domain.Artifacts;

namespace Studio.Infrastructure.Datastores;

/// <summary>
/// A datastore as an administrator gives it (create, change, test): its settings and, when given, its secret. On a
/// change, a null <see cref="Credentials"/> keeps the stored secret.
/// </summary>
public sealed record DatastoreInput(string? Name, DatastoreKind Kind, DatastoreSettings Settings, DatastoreCredentials? Credentials);
