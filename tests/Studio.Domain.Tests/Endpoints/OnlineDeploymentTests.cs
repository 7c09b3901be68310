using Studio.Domain.Common;
using Studio.Domain.Endpoints;

namespace Studio.Domain.Tests.Endpoints;

public sealed class OnlineDeploymentTests
{
    private static readonly DateTimeOffset T0 = OnlineEndpointTests.T0;

    private static readonly OnlineDeploymentSpec Blue = new()
    {
        Name = "blue",
        EndpointName = "my-endpoint",
        Model = new DeploymentModel("azureml:sklearn:1"),
        Image = "python:3.12-slim",
        InstanceCount = 2,
    };

    private static OnlineDeployment NewDeployment(OnlineDeploymentSpec? spec = null)
    {
        var deployment = OnlineDeployment.Create(OnlineEndpointTests.NewEndpoint(), spec ?? Blue, "defaultinstancetype", T0).Value;
        deployment.ClearDomainEvents();
        return deployment;
    }

    [Fact]
    public void Create_IsCreating_WithItsKubernetesNameDesiredReplicasAndTheTwentyMinuteDeadline()
    {
        var deployment = OnlineDeployment.Create(OnlineEndpointTests.NewEndpoint(), Blue, "defaultinstancetype", T0).Value;

        Assert.Equal(EndpointState.Creating, deployment.State);
        Assert.Equal("my-endpoint-blue", deployment.KubernetesName);
        Assert.Equal(2, deployment.DesiredReplicas);
        Assert.Equal(T0.AddMinutes(20), deployment.Deadline);
        Assert.Equal(EndpointChange.Created, Assert.IsType<OnlineDeploymentChanged>(Assert.Single(deployment.DomainEvents)).Change);
    }

    [Fact]
    public void Create_OnAnotherEndpointThanItNames_FailsAtEndpointName()
    {
        var result = OnlineDeployment.Create(OnlineEndpointTests.NewEndpoint("other-endpoint"), Blue, "defaultinstancetype", T0);

        Assert.Equal("endpoint_name", Assert.Single(result.Errors).Field);
    }

    public static TheoryData<DeploymentObservation, int, EndpointState, string?> Observations() => new()
    {
        { new DeploymentObservation(2, 0, false), 1, EndpointState.Creating, null },
        { new DeploymentObservation(2, 1, false), 5, EndpointState.Creating, null },
        { new DeploymentObservation(2, 2, true), 5, EndpointState.Succeeded, null },
        { new DeploymentObservation(2, 2, false), 5, EndpointState.Creating, null },
        { new DeploymentObservation(2, 0, false, DeploymentFailure.ImagePullLoopBackOff, "pull failed"), 2, EndpointState.Failed, DeploymentFailure.ImagePullLoopBackOff },
        { new DeploymentObservation(2, 1, false, DeploymentFailure.DeploymentCrashLoopBackOff), 3, EndpointState.Failed, DeploymentFailure.DeploymentCrashLoopBackOff },
        { new DeploymentObservation(2, 0, false, DeploymentFailure.PodUnschedulable), 3, EndpointState.Failed, DeploymentFailure.PodUnschedulable },
        { new DeploymentObservation(2, 1, false), 20, EndpointState.Failed, DeploymentFailure.DeploymentTimeout },
    };

    [Theory]
    [MemberData(nameof(Observations))]
    public void Observe_WhileCreating_MovesByWhatTheClusterShows(DeploymentObservation observation, int minutes, EndpointState state, string? reason)
    {
        var deployment = NewDeployment();

        deployment.Observe(observation, T0.AddMinutes(minutes));

        Assert.Equal(state, deployment.State);
        Assert.Equal(reason, deployment.Reason);
        Assert.Equal(observation.Ready, deployment.ReadyReplicas);
        if (state == EndpointState.Failed)
        {
            Assert.False(string.IsNullOrWhiteSpace(deployment.Message));
            Assert.Null(deployment.Deadline);
        }
    }

    [Fact]
    public void Observe_AfterSuccess_OnlyUpdatesReadyReplicas()
    {
        var deployment = NewDeployment();
        deployment.Observe(new DeploymentObservation(2, 2, true), T0.AddMinutes(1));
        deployment.ClearDomainEvents();

        deployment.Observe(new DeploymentObservation(2, 1, true, DeploymentFailure.DeploymentCrashLoopBackOff), T0.AddMinutes(30));

        Assert.Equal(EndpointState.Succeeded, deployment.State);
        var raised = Assert.IsType<OnlineDeploymentChanged>(Assert.Single(deployment.DomainEvents));
        Assert.Equal(EndpointChange.Replicas, raised.Change);
        Assert.Equal((1, 2), (raised.ReadyReplicas, raised.DesiredReplicas));
    }

    [Fact]
    public void Update_FromSucceeded_IsUpdatingWithANewGenerationAndDeadline_AndTheSameSpecChangesNothing()
    {
        var deployment = NewDeployment();
        deployment.Observe(new DeploymentObservation(2, 2, true), T0.AddMinutes(1));
        deployment.ClearDomainEvents();

        Assert.True(deployment.Update(Blue with { EnvironmentVariables = new Dictionary<string, string>() }, "defaultinstancetype", T0.AddMinutes(2)).IsSuccess);
        Assert.Empty(deployment.DomainEvents);

        Assert.True(deployment.Update(Blue with { InstanceCount = 3 }, "defaultinstancetype", T0.AddMinutes(3)).IsSuccess);
        Assert.Equal(EndpointState.Updating, deployment.State);
        Assert.Equal(2, deployment.Generation);
        Assert.Equal(3, deployment.DesiredReplicas);
        Assert.Equal(T0.AddMinutes(23), deployment.Deadline);
        var raised = Assert.IsType<OnlineDeploymentChanged>(Assert.Single(deployment.DomainEvents));
        Assert.Equal(EndpointChange.Settings | EndpointChange.State, raised.Change);
        Assert.Equal(EndpointState.Succeeded, raised.PreviousState);
    }

    [Fact]
    public void Update_WhileCreating_IsAConflict_AndAnInvalidSpecFailsFirst()
    {
        var deployment = NewDeployment();

        var busy = deployment.Update(Blue with { InstanceCount = 3 }, "defaultinstancetype", T0.AddMinutes(1));
        var invalid = deployment.Update(Blue with { InstanceCount = -3 }, "defaultinstancetype", T0.AddMinutes(1));

        Assert.Equal("operation_in_progress", Assert.Single(busy.Errors).Code);
        Assert.Equal("instance_count", Assert.Single(invalid.Errors).Field);
        Assert.Equal(1, deployment.Generation);
    }

    [Fact]
    public void FailedDeployment_CanBeUpdatedAgain_AndDeletingIsFinal()
    {
        var deployment = NewDeployment();
        deployment.FailApply("admission webhook refused it", T0.AddMinutes(1));

        Assert.True(deployment.Update(Blue with { InstanceCount = 1 }, "defaultinstancetype", T0.AddMinutes(2)).IsSuccess);
        deployment.BeginDelete(T0.AddMinutes(3));
        deployment.Observe(new DeploymentObservation(1, 1, true), T0.AddMinutes(4));

        Assert.Equal(EndpointState.Deleting, deployment.State);
        Assert.Equal([EndpointState.Creating, EndpointState.Failed, EndpointState.Updating, EndpointState.Deleting], deployment.Transitions.Select(t => t.State));
        Assert.Throws<DomainException>(() => deployment.FailApply("late", T0.AddMinutes(5)));
    }

    [Theory]
    [InlineData(EndpointState.Creating, EndpointState.Succeeded, true)]
    [InlineData(EndpointState.Creating, EndpointState.Failed, true)]
    [InlineData(EndpointState.Creating, EndpointState.Updating, false)]
    [InlineData(EndpointState.Succeeded, EndpointState.Updating, true)]
    [InlineData(EndpointState.Succeeded, EndpointState.Failed, false)]
    [InlineData(EndpointState.Failed, EndpointState.Updating, true)]
    [InlineData(EndpointState.Failed, EndpointState.Succeeded, false)]
    [InlineData(EndpointState.Updating, EndpointState.Succeeded, true)]
    [InlineData(EndpointState.Updating, EndpointState.Deleting, true)]
    [InlineData(EndpointState.Deleting, EndpointState.Succeeded, false)]
    [InlineData(EndpointState.Deleting, EndpointState.Deleting, false)]
    public void Lifecycle_Table(EndpointState from, EndpointState to, bool allowed)
    {
        Assert.Equal(allowed, EndpointLifecycle.CanMove(from, to));
    }

    [Fact]
    public void EveryFailureReason_HasAnExplanation()
    {
        string[] reasons = [DeploymentFailure.ImagePullLoopBackOff, DeploymentFailure.DeploymentCrashLoopBackOff, DeploymentFailure.PodUnschedulable, DeploymentFailure.PodOutOfMemory,
            DeploymentFailure.UserScriptInitFailed, DeploymentFailure.UserScriptImportError, DeploymentFailure.ResourceNotReady, DeploymentFailure.NamespaceNotFound,
            DeploymentFailure.DeploymentTimeout, DeploymentFailure.ApplyFailed];

        Assert.All(reasons, r => Assert.NotEqual(DeploymentFailure.Explain(null), DeploymentFailure.Explain(r)));
    }
}
