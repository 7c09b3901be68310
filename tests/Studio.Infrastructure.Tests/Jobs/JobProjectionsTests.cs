using k8s.Models;
using Studio.Domain.Jobs;
using Studio.Infrastructure.Jobs;

namespace Studio.Infrastructure.Tests.Jobs;

/// <summary>Pods and Jobs as a hostile or half-made cluster object can look: every nullable field missing, or null where a value belongs.</summary>
public sealed class JobProjectionsTests
{
    private static V1ObjectMeta Meta(IDictionary<string, string>? labels = null) => new() { Name = "p-0", NamespaceProperty = "ns", Labels = labels };

    [Fact]
    public void Pod_WithNoSpecStatusLabelsOrOwners_IsAPendingPodOfNoJob()
    {
        var info = JobProjections.ToInfo(new V1Pod { Metadata = new V1ObjectMeta { Name = "bare" } });

        Assert.Equal(("default", "bare", string.Empty, "Pending", null, 0), (info.Namespace, info.Name, info.Job, info.Phase, info.Node, info.Rank));
        Assert.Empty(info.Containers);
        Assert.Null(info.WorkspaceId);
        Assert.Empty(info.ToObservation().Containers);
    }

    [Fact]
    public void Pod_WithNullEntriesAndValues_WhereAClusterWouldHaveValues_IsProjectedWithoutThem()
    {
        var pod = new V1Pod
        {
            Metadata = Meta(new Dictionary<string, string> { ["studio.io/job"] = null!, ["studio.io/workspace-id"] = null!, ["studio.io/rank"] = null! }),
            Spec = new V1PodSpec
            {
                Containers =
                [
                    null!,
                    new V1Container { Name = null!, Image = null! },
                    new V1Container { Name = "main", Image = "img", Resources = new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { ["memory"] = null! } } },
                    new V1Container { Name = "main", Image = "duplicate" },
                ],
            },
            Status = new V1PodStatus
            {
                Phase = null,
                Conditions = [null!, new V1PodCondition { Type = null!, Status = null! }],
                ContainerStatuses = [null!, new V1ContainerStatus { Name = null!, Image = null!, State = null, LastState = null }, new V1ContainerStatus { Name = "main", Image = "img", State = new V1ContainerState { Running = new V1ContainerStateRunning() } }],
            },
        };

        var info = JobProjections.ToInfo(pod);

        Assert.Equal(string.Empty, info.Job);
        Assert.Null(info.WorkspaceId);
        Assert.Equal("Pending", info.Phase);
        Assert.Contains(info.Containers, c => c.Name == "main" && c.Phase == ContainerPhase.Running && c.Image == "img");
        Assert.All(info.Containers, c => Assert.NotNull(c.Name));
    }

    [Fact]
    public void Job_WithNullConditionsAndLabelValues_IsProjected()
    {
        var job = new V1Job
        {
            Metadata = new V1ObjectMeta { Name = "j", Labels = new Dictionary<string, string> { ["studio.io/workspace"] = null!, ["studio.io/workspace-id"] = null! } },
            Status = new V1JobStatus { Conditions = [null!, new V1JobCondition { Type = null!, Status = null! }] },
        };

        var info = JobProjections.ToInfo(job);

        Assert.Equal(("default", "j", null, null), (info.Namespace, info.Name, info.Workspace, info.WorkspaceId));
        Assert.Empty(info.Conditions);
        Assert.Equal(1, info.Completions);
    }
}
