namespace Studio.Infrastructure.Persistence;

/// <summary><c>Studio:Database</c>: which database the studio keeps its records in.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Studio:Database";

    /// <summary><c>Sqlite</c> (default: a file under the data folder) or <c>PostgreSQL</c>.</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>An ADO.NET connection string. Optional for SQLite; required for PostgreSQL.</summary>
    public string? ConnectionString { get; set; }
}
