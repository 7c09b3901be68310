using Studio.Domain.Common;
using Studio.Domain.Workspaces;

namespace Studio.Domain.Tests.Workspaces;

public sealed class ComputeTargetTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private static ComputeTarget Attach(NamespaceQuota? quota = null, string? instanceType = null) =>
        Workspace.Create(WorkspaceName.Create("team").Value, null, "admin", "Admin", Now)
            .AttachComputeTarget("gpu", Guid.NewGuid(), "team-gpu", null, Now, instanceType, quota, namespaceCreatedByStudio: true).Value;

    [Fact]
    public void Attach_StartsCreating_WithTheDefaultInstanceTypeAndNoQuota()
    {
        var target = Attach(new NamespaceQuota(null, null, null));

        Assert.Equal((ComputeTargetState.Creating, "defaultinstancetype", null, true), (target.State, target.DefaultInstanceType, target.Quota, target.NamespaceCreatedByStudio));
    }

    [Fact]
    public void PodSecurity_IsRestrictedByDefault_AndAnAdministratorMayChooseBaseline()
    {
        var target = Attach();

        Assert.Equal(PodSecurityLevel.Restricted, target.PodSecurity);
        target.SetPodSecurity(PodSecurityLevel.Baseline);
        Assert.Equal(PodSecurityLevel.Baseline, target.PodSecurity);
        Assert.Throws<DomainException>(() => target.SetPodSecurity((PodSecurityLevel)7));
    }

    [Fact]
    public void Failed_KeepsTheReason_AndRetryClearsIt_ThenSucceeded()
    {
        var target = Attach(new NamespaceQuota("4", "16Gi", 1), "cpusmall");

        target.MarkFailed("forbidden");
        Assert.Equal((ComputeTargetState.Failed, "forbidden"), (target.State, target.StateReason));
        target.Retry();
        target.MarkSucceeded();

        Assert.Equal((ComputeTargetState.Succeeded, (string?)null), (target.State, target.StateReason));
        Assert.Equal(new NamespaceQuota("4", "16Gi", 1), target.Quota);
    }

    [Fact]
    public void Detaching_CannotSucceedOrFail_AndASucceededTargetIsNotRetried()
    {
        var target = Attach();
        target.MarkSucceeded();
        Assert.Throws<DomainException>(target.Retry);

        target.BeginDetach();

        Assert.Throws<DomainException>(target.MarkSucceeded);
        Assert.Throws<DomainException>(() => target.MarkFailed("x"));
    }

    [Fact]
    public void Identity_IsTheOnlyEditableProperty_AndBlankClearsIt()
    {
        var target = Attach();

        target.SetIdentity("  team/computes/gpu ");
        Assert.Equal("team/computes/gpu", target.Identity);
        target.SetIdentity(" ");

        Assert.Null(target.Identity);
        Assert.All(typeof(ComputeTarget).GetProperties().Where(p => p.SetMethod is not null), p => Assert.False(p.SetMethod!.IsPublic, $"{p.Name} has a public setter"));
    }

    [Fact]
    public void Attach_InvalidDefaultInstanceTypeAndNegativeGpuQuota_AreFieldErrors()
    {
        var result = Workspace.Create(WorkspaceName.Create("team").Value, null, "admin", "Admin", Now)
            .AttachComputeTarget("gpu", Guid.NewGuid(), "ns", null, Now, "Bad Type", new NamespaceQuota(null, null, -1));

        Assert.Equal(["defaultInstanceType", "quotaGpu"], result.Errors.Select(e => e.Field));
    }
}
