namespace Studio.Infrastructure.Tests.Persistence;

/// <summary>The two providers every persistence test runs on.</summary>
public enum DatabaseTarget
{
    Sqlite,
    PostgreSQL,
}
