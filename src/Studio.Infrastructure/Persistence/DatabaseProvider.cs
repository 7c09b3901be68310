namespace Studio.Infrastructure.Persistence;

public enum DatabaseProvider
{
    Sqlite,
    PostgreSQL,
}
