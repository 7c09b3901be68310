namespace Studio.Infrastructure.Tests.Persistence;

/// <summary>One PostgreSQL server shared by every persistence test class.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}
