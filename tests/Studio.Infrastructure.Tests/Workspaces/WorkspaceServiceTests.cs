using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Studio.Domain.Common;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Persistence;
using Studio.Infrastructure.Persistence.Repositories;
using Studio.Infrastructure.Tests.Persistence;
using Studio.Infrastructure.Workspaces;

namespace Studio.Infrastructure.Tests.Workspaces;

[Collection(PostgresCollection.Name)]
public sealed class WorkspaceServiceTests(PostgresServer postgres)
{
    private static readonly Actor Admin = new("admin", "Local administrator", WorkspaceRole.Administrator);
    private static readonly Actor Nobody = new("nobody", "Nobody", null);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(DatabaseTarget.Sqlite)]
    [InlineData(DatabaseTarget.PostgreSQL)]
    public async Task Repository_RoundTrip_KeepsMembersComputeTargetsAndTimestamps(DatabaseTarget target)
    {
        await using var provider = await TestDatabases.CreateAsync(target, postgres);
        var created = new DateTimeOffset(2026, 11, 28, 10, 30, 15, TimeSpan.Zero);
        var clusterId = Guid.NewGuid();
        Guid id;
        await using (var db = provider.Context())
        {
            var repository = new WorkspaceRepository(db);
            var workspace = Workspace.Create(WorkspaceName.Create("Vision-Team").Value, "  GPU work  ", "alice@contoso.com", "Alice", created);
            Assert.True(workspace.SetMember("bob@contoso.com", "Bob", WorkspaceRole.DataScientist, created).IsSuccess);
            Assert.True(workspace.AttachComputeTarget("gpu-a100", clusterId, "team-vision", "A100 pool", created).IsSuccess);
            repository.Add(workspace);
            await repository.SaveChangesAsync(Ct);
            id = workspace.Id;
        }

        await using (var db = provider.Context())
        {
            var loaded = await new WorkspaceRepository(db).FindByNameAsync("vision-team", Ct);
            Assert.NotNull(loaded);
            Assert.Equal(id, loaded.Id);
            Assert.Equal("Vision-Team", loaded.Name);
            Assert.Equal("GPU work", loaded.Description);
            Assert.Equal(created, loaded.CreatedAt);
            Assert.Equal(WorkspaceRole.Administrator, loaded.RoleOf("ALICE@contoso.com"));
            Assert.Equal(WorkspaceRole.DataScientist, loaded.RoleOf("bob@contoso.com"));
            var compute = Assert.Single(loaded.ComputeTargets);
            Assert.Equal(("gpu-a100", clusterId, "team-vision"), (compute.Name, compute.ClusterId, compute.Namespace));
        }
    }

    [Theory]
    [InlineData(DatabaseTarget.Sqlite)]
    [InlineData(DatabaseTarget.PostgreSQL)]
    public async Task Create_WhenNameTakenInOtherCase_ReturnsConflictOnNameField(DatabaseTarget target)
    {
        await using var provider = await TestDatabases.CreateAsync(target, postgres);
        var service = provider.GetRequiredService<WorkspaceService>();

        Assert.True((await service.CreateAsync(Admin, "research", null, Ct)).IsSuccess);
        var second = await service.CreateAsync(Admin, "RESEARCH", null, Ct);

        var error = Assert.Single(second.Errors);
        Assert.Equal(ErrorKind.Conflict, error.Kind);
        Assert.Equal("name", error.Field);
    }

    [Theory]
    [InlineData(DatabaseTarget.Sqlite)]
    [InlineData(DatabaseTarget.PostgreSQL)]
    public async Task Delete_WhenComputeTargetsAttached_IsRefusedAndNothingIsLost(DatabaseTarget target)
    {
        await using var provider = await TestDatabases.CreateAsync(target, postgres);
        var service = provider.GetRequiredService<WorkspaceService>();
        await service.CreateAsync(Admin, "busy", null, Ct);
        await using (var db = provider.Context())
        {
            var workspace = await new WorkspaceRepository(db).FindByNameAsync("busy", Ct);
            workspace!.AttachComputeTarget("cpu", Guid.NewGuid(), "busy-ns", null, DateTimeOffset.UtcNow);
            await db.SaveChangesAsync(Ct);
        }

        var result = await service.DeleteAsync(Admin, "busy", Ct);

        Assert.Equal("workspace_has_compute", Assert.Single(result.Errors).Code);
        Assert.True((await service.GetAsync(Admin, "busy", Ct)).IsSuccess);
    }

    [Theory]
    [InlineData(DatabaseTarget.Sqlite)]
    [InlineData(DatabaseTarget.PostgreSQL)]
    public async Task RenameAndDelete_WriteTheAuditTrail(DatabaseTarget target)
    {
        await using var provider = await TestDatabases.CreateAsync(target, postgres);
        var service = provider.GetRequiredService<WorkspaceService>();
        await service.CreateAsync(Admin, "old-name", null, Ct);

        Assert.True((await service.UpdateAsync(Admin, "old-name", "new-name", null, Ct)).IsSuccess);
        Assert.True((await service.DeleteAsync(Admin, "new-name", Ct)).IsSuccess);

        var audit = await provider.GetRequiredService<AuditLog>().RecentAsync(10, Ct);
        Assert.Equal(["workspace.delete", "workspace.rename", "workspace.create"], audit.Select(a => a.Action));
        Assert.All(audit, a => Assert.Equal("admin", a.UserId));
    }

    [Theory]
    [InlineData(DatabaseTarget.Sqlite)]
    [InlineData(DatabaseTarget.PostgreSQL)]
    public async Task List_ForUserWithoutRoleOrMembership_ShowsOnlyWorkspacesTheyBelongTo(DatabaseTarget target)
    {
        await using var provider = await TestDatabases.CreateAsync(target, postgres);
        var service = provider.GetRequiredService<WorkspaceService>();
        await service.CreateAsync(Admin, "open", null, Ct);
        await service.CreateAsync(Admin, "secret", null, Ct);
        await service.SetMemberAsync(Admin, "open", "nobody", "Nobody", WorkspaceRole.Reader, Ct);

        var visible = await service.ListAsync(Nobody, Ct);

        var only = Assert.Single(visible);
        Assert.Equal(("open", WorkspaceRole.Reader), (only.Name, only.YourRole));
        Assert.Equal(ErrorKind.NotFound, Assert.Single((await service.GetAsync(Nobody, "secret", Ct)).Errors).Kind);
    }

    [Theory]
    [InlineData(DatabaseTarget.Sqlite)]
    [InlineData(DatabaseTarget.PostgreSQL)]
    public async Task Create_ByNonAdministrator_IsForbiddenAndStoresNothing(DatabaseTarget target)
    {
        await using var provider = await TestDatabases.CreateAsync(target, postgres);
        var service = provider.GetRequiredService<WorkspaceService>();

        var result = await service.CreateAsync(new Actor("rob", "Rob", WorkspaceRole.Reader), "mine", null, Ct);

        Assert.Equal(ErrorKind.Forbidden, Assert.Single(result.Errors).Kind);
        await using var db = provider.Context();
        Assert.False(await db.Workspaces.AnyAsync(Ct));
    }
}
