using Studio.Domain.Common;
using Studio.Domain.Workspaces;

namespace Studio.Domain.Tests.Workspaces;

public sealed class WorkspaceTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private static Workspace NewWorkspace() => Workspace.Create(WorkspaceName.Create("research").Value, null, "alice", "Alice", Now);

    [Fact]
    public void Create_MakesCreatorTheOnlyAdministratorAndRaisesEvent()
    {
        var workspace = NewWorkspace();

        var member = Assert.Single(workspace.Members);
        Assert.Equal(("alice", WorkspaceRole.Administrator), (member.UserId, member.Role));
        Assert.IsType<WorkspaceCreated>(Assert.Single(workspace.DomainEvents));
    }

    [Fact]
    public void Create_WithoutCreator_IsABug()
    {
        Assert.Throws<DomainException>(() => Workspace.Create(WorkspaceName.Create("research").Value, null, " ", "", Now));
    }

    [Fact]
    public void SetMember_NewUser_AddsWithRole_AndSecondCallChangesRole()
    {
        var workspace = NewWorkspace();

        Assert.True(workspace.SetMember("bob", null, WorkspaceRole.Reader, Now).IsSuccess);
        Assert.True(workspace.SetMember("BOB", null, WorkspaceRole.DataScientist, Now).IsSuccess);

        Assert.Equal(2, workspace.Members.Count);
        Assert.Equal(WorkspaceRole.DataScientist, workspace.RoleOf("bob"));
        Assert.Equal("bob", workspace.Members.Single(m => m.UserId == "bob").DisplayName);
    }

    [Fact]
    public void SetMember_DemotingLastAdministrator_IsRefused()
    {
        var workspace = NewWorkspace();

        var result = workspace.SetMember("alice", null, WorkspaceRole.Reader, Now);

        Assert.Equal("last_administrator", Assert.Single(result.Errors).Code);
        Assert.Equal(WorkspaceRole.Administrator, workspace.RoleOf("alice"));
    }

    [Fact]
    public void RemoveMember_LastAdministrator_IsRefused_ButAllowedOnceAnotherAdminExists()
    {
        var workspace = NewWorkspace();
        Assert.False(workspace.RemoveMember("alice").IsSuccess);

        workspace.SetMember("bob", "Bob", WorkspaceRole.Administrator, Now);

        Assert.True(workspace.RemoveMember("alice").IsSuccess);
        Assert.Null(workspace.RoleOf("alice"));
    }

    [Theory]
    [InlineData("", "userId")]
    [InlineData("  ", "userId")]
    public void SetMember_WithoutUser_FailsOnUserField(string userId, string field)
    {
        var result = NewWorkspace().SetMember(userId, null, WorkspaceRole.Reader, Now);

        Assert.Equal(field, Assert.Single(result.Errors).Field);
    }

    [Fact]
    public void SetMember_WithUndefinedRole_FailsOnRoleField()
    {
        var result = NewWorkspace().SetMember("bob", null, (WorkspaceRole)42, Now);

        Assert.Equal("role", Assert.Single(result.Errors).Field);
    }

    [Fact]
    public void CanDelete_WithComputeTargets_IsRefusedNamingThem_AndAllowedAfterDetach()
    {
        var workspace = NewWorkspace();
        Assert.True(workspace.AttachComputeTarget("gpu-pool", Guid.NewGuid(), "research", null, Now).IsSuccess);

        var refused = workspace.CanDelete();
        Assert.Contains("gpu-pool", Assert.Single(refused.Errors).Message, StringComparison.Ordinal);

        Assert.True(workspace.DetachComputeTarget("gpu-pool").IsSuccess);
        Assert.True(workspace.CanDelete().IsSuccess);
    }

    [Fact]
    public void AttachComputeTarget_ValidatesNameAndNamespaceTogether()
    {
        var result = NewWorkspace().AttachComputeTarget("1bad", Guid.NewGuid(), "Bad_NS", null, Now);

        Assert.Equal(["name", "namespace"], result.Errors.Select(e => e.Field));
    }

    [Fact]
    public void AttachComputeTarget_DuplicateNameInAnyCase_IsAConflict()
    {
        var workspace = NewWorkspace();
        workspace.AttachComputeTarget("cpu", Guid.NewGuid(), "a", null, Now);

        var result = workspace.AttachComputeTarget("CPU", Guid.NewGuid(), "b", null, Now);

        Assert.Equal("compute_exists", Assert.Single(result.Errors).Code);
        Assert.Single(workspace.ComputeTargets);
    }

    [Fact]
    public void Rename_ChangesNormalizedNameAndRaisesEvent()
    {
        var workspace = NewWorkspace();
        workspace.ClearDomainEvents();

        workspace.Rename(WorkspaceName.Create("Research-2").Value);

        Assert.Equal(("Research-2", "research-2"), (workspace.Name, workspace.NormalizedName));
        var renamed = Assert.IsType<WorkspaceRenamed>(Assert.Single(workspace.DomainEvents));
        Assert.Equal("research", renamed.OldName);
    }

    [Theory]
    [InlineData(null, null, null)]
    [InlineData(WorkspaceRole.Reader, null, WorkspaceRole.Reader)]
    [InlineData(null, WorkspaceRole.DataScientist, WorkspaceRole.DataScientist)]
    [InlineData(WorkspaceRole.Reader, WorkspaceRole.Administrator, WorkspaceRole.Administrator)]
    [InlineData(WorkspaceRole.Administrator, WorkspaceRole.Reader, WorkspaceRole.Administrator)]
    public void Actor_RoleIn_IsTheHigherOfGlobalRoleAndMembership(WorkspaceRole? global, WorkspaceRole? member, WorkspaceRole? expected)
    {
        var workspace = NewWorkspace();
        if (member is { } m)
        {
            workspace.SetMember("carol", null, m, Now);
        }

        Assert.Equal(expected, new Actor("carol", "Carol", global).RoleIn(workspace));
    }
}
