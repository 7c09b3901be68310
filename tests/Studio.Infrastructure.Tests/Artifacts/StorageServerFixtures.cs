namespace Studio.Infrastructure.Tests.Artifacts;

/// <summary>One Azurite for a test class (each test works under its own prefix).</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    public StorageServer Server { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Server = await StorageServer.AzuriteAsync(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>One s3rver for a test class (each test works under its own prefix).</summary>
public sealed class S3rverFixture : IAsyncLifetime
{
    public StorageServer Server { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Server = await StorageServer.S3rverAsync(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>The storage-server tests run alone: a Node.js server starved by the sandbox tests' load answers late.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class StorageServerCollection
{
    public const string Name = "Storage servers";
}
