using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Events;
using Studio.Infrastructure.Tests.Persistence;

namespace Studio.Infrastructure.Tests.Events;

[Collection(PostgresCollection.Name)]
public sealed class DomainEventDispatchTests(PostgresServer postgres)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Workspace NewWorkspace(string name) => Workspace.Create(WorkspaceName.Create(name).Value, null, "alice", "Alice", T0);

    private Task<ServiceProvider> ProviderAsync(DatabaseTarget target) => TestDatabases.CreateAsync(target, postgres, services => services
        .AddDomainEventHandler<WorkspaceCreated, FailingHandler>()
        .AddDomainEventHandler<WorkspaceCreated, RecordingHandler>()
        .AddDomainEventHandler<WorkspaceRenamed, RecordingHandler>()
        .AddSingleton<Recorded>());

    [Theory]
    [InlineData(DatabaseTarget.Sqlite)]
    [InlineData(DatabaseTarget.PostgreSQL)]
    public async Task Save_DispatchesTheEventsAfterTheChangeIsStored_EvenWhenAnotherHandlerFails(DatabaseTarget target)
    {
        await using var provider = await ProviderAsync(target);
        var recorded = provider.GetRequiredService<Recorded>();
        var workspace = NewWorkspace("vision");
        await using (var db = provider.Context())
        {
            db.Workspaces.Add(workspace);
            Assert.Empty(recorded.Events);
            await db.SaveChangesAsync(Ct);
        }

        var created = Assert.IsType<WorkspaceCreated>(Assert.Single(recorded.Events));
        Assert.Equal(workspace.Id, created.WorkspaceId);
        Assert.True(recorded.StoredWhenHandled[0]);
        Assert.Empty(workspace.DomainEvents);

        await using (var db = provider.Context())
        {
            var loaded = await db.Workspaces.SingleAsync(w => w.Id == workspace.Id, Ct);
            loaded.Rename(WorkspaceName.Create("vision-2").Value);
            await db.SaveChangesAsync(Ct);
        }

        Assert.Equal("vision-2", Assert.IsType<WorkspaceRenamed>(recorded.Events[1]).NewName);
    }

    [Theory]
    [InlineData(DatabaseTarget.Sqlite)]
    [InlineData(DatabaseTarget.PostgreSQL)]
    public async Task FailedSave_DispatchesNothing_AndKeepsTheEventsForARetriedSave(DatabaseTarget target)
    {
        await using var provider = await ProviderAsync(target);
        var recorded = provider.GetRequiredService<Recorded>();
        await using (var db = provider.Context())
        {
            db.Workspaces.Add(NewWorkspace("taken"));
            await db.SaveChangesAsync(Ct);
        }

        recorded.Events.Clear();
        var duplicate = NewWorkspace("TAKEN");
        await using (var db = provider.Context())
        {
            db.Workspaces.Add(duplicate);
            await Assert.ThrowsAnyAsync<DbUpdateException>(() => db.SaveChangesAsync(Ct));
        }

        Assert.Empty(recorded.Events);
        Assert.IsType<WorkspaceCreated>(Assert.Single(duplicate.DomainEvents));
    }

    public sealed class Recorded
    {
        public List<object> Events { get; } = [];

        public List<bool> StoredWhenHandled { get; } = [];
    }

    private sealed class RecordingHandler(Recorded recorded, IServiceProvider services) : IDomainEventHandler<WorkspaceCreated>, IDomainEventHandler<WorkspaceRenamed>
    {
        public async ValueTask HandleAsync(WorkspaceCreated domainEvent, CancellationToken cancellationToken)
        {
            // Another context sees the row: the handler runs after the save, not inside it.
            await using var db = services.Context();
            recorded.StoredWhenHandled.Add(await db.Workspaces.AnyAsync(w => w.Id == domainEvent.WorkspaceId, cancellationToken));
            recorded.Events.Add(domainEvent);
        }

        public ValueTask HandleAsync(WorkspaceRenamed domainEvent, CancellationToken cancellationToken)
        {
            recorded.Events.Add(domainEvent);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class FailingHandler : IDomainEventHandler<WorkspaceCreated>
    {
        public ValueTask HandleAsync(WorkspaceCreated domainEvent, CancellationToken cancellationToken) => throw new InvalidOperationException("handler failed");
    }
}
