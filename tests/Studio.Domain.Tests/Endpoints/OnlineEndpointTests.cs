using Studio.Domain.Common;
using Studio.Domain.Endpoints;

namespace Studio.Domain.Tests.Endpoints;

public sealed class OnlineEndpointTests
{
    internal static readonly DateTimeOffset T0 = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    internal static OnlineEndpoint NewEndpoint(string name = "my-endpoint")
    {
        var endpoint = OnlineEndpoint.Create(Guid.NewGuid(), new OnlineEndpointSpec { Name = name, Compute = "k8s" }, Guid.NewGuid(), "ml", "k1", "k2", T0).Value;
        endpoint.Provisioned(T0.AddSeconds(1));
        endpoint.ClearDomainEvents();
        return endpoint;
    }

    [Fact]
    public void Create_IsCreating_AndRaisesCreated()
    {
        var endpoint = OnlineEndpoint.Create(Guid.NewGuid(), new OnlineEndpointSpec { Name = "my-endpoint", Compute = "k8s", Tags = new Dictionary<string, string> { ["a"] = "b" } }, Guid.NewGuid(), "ml", "k1", "k2", T0).Value;

        Assert.Equal(EndpointState.Creating, endpoint.State);
        var raised = Assert.IsType<OnlineEndpointChanged>(Assert.Single(endpoint.DomainEvents));
        Assert.Equal(EndpointChange.Created, raised.Change);
        Assert.Null(raised.PreviousState);
    }

    [Fact]
    public void Create_WithABadNameOrNoCompute_FailsByPath()
    {
        var result = OnlineEndpoint.Create(Guid.NewGuid(), new OnlineEndpointSpec { Name = "My_Endpoint", Compute = " " }, Guid.NewGuid(), "ml", "k1", "k2", T0);

        Assert.Equal(["name", "compute"], result.Errors.Select(e => e.Field));
    }

    [Fact]
    public void ChangesInOneSave_AreFoldedIntoOneEvent()
    {
        var endpoint = OnlineEndpoint.Create(Guid.NewGuid(), new OnlineEndpointSpec { Name = "my-endpoint", Compute = "k8s" }, Guid.NewGuid(), "ml", "k1", "k2", T0).Value;

        endpoint.Provisioned(T0.AddSeconds(1));

        var raised = Assert.IsType<OnlineEndpointChanged>(Assert.Single(endpoint.DomainEvents));
        Assert.Equal(EndpointChange.Created | EndpointChange.State, raised.Change);
        Assert.Equal(EndpointState.Succeeded, raised.State);
    }

    [Fact]
    public void Update_WithTheSameSpec_ChangesNothing_AndAnotherComputeIsRefused()
    {
        var endpoint = NewEndpoint();

        Assert.True(endpoint.Update(new OnlineEndpointSpec { Name = "my-endpoint", Compute = "k8s" }, T0.AddMinutes(1)).IsSuccess);
        Assert.Empty(endpoint.DomainEvents);

        var moved = endpoint.Update(new OnlineEndpointSpec { Name = "my-endpoint", Compute = "other" }, T0.AddMinutes(1));
        Assert.Equal("compute", Assert.Single(moved.Errors).Field);

        Assert.True(endpoint.Update(new OnlineEndpointSpec { Name = "my-endpoint", Compute = "K8S", Description = "scores", AuthMode = EndpointAuthMode.AmlToken }, T0.AddMinutes(2)).IsSuccess);
        Assert.Equal(EndpointAuthMode.AmlToken, endpoint.AuthMode);
        Assert.Equal(EndpointChange.Settings, Assert.IsType<OnlineEndpointChanged>(Assert.Single(endpoint.DomainEvents)).Change);
    }

    [Fact]
    public void SetTraffic_KeepsOnlyLiveShares_AndABadSplitChangesNothing()
    {
        var endpoint = NewEndpoint();
        string[] deployments = ["blue", "green"];

        Assert.True(endpoint.SetTraffic(new Dictionary<string, int> { ["blue"] = 100, ["green"] = 0 }, new Dictionary<string, int> { ["green"] = 20 }, deployments, T0.AddMinutes(1)).IsSuccess);
        var bad = endpoint.SetTraffic(new Dictionary<string, int> { ["blue"] = 90, ["green"] = 5 }, new Dictionary<string, int>(), deployments, T0.AddMinutes(2));

        Assert.False(bad.IsSuccess);
        Assert.Equal(new Dictionary<string, int> { ["blue"] = 100 }, endpoint.Traffic);
        Assert.Equal(new Dictionary<string, int> { ["green"] = 20 }, endpoint.MirrorTraffic);
        Assert.Equal(EndpointChange.Traffic, Assert.IsType<OnlineEndpointChanged>(Assert.Single(endpoint.DomainEvents)).Change);
    }

    [Fact]
    public void DeploymentWithLiveTraffic_CannotBeRemoved_OneWithOnlyMirrorCan()
    {
        var endpoint = NewEndpoint();
        endpoint.SetTraffic(new Dictionary<string, int> { ["blue"] = 100 }, new Dictionary<string, int> { ["green"] = 10 }, ["blue", "green"], T0);

        var refused = endpoint.CanRemoveDeployment("blue");
        endpoint.RemoveDeployment("green", T0.AddMinutes(1));

        Assert.Equal(ErrorKind.Conflict, refused!.Kind);
        Assert.Null(endpoint.CanRemoveDeployment("green"));
        Assert.Empty(endpoint.MirrorTraffic);
    }

    [Fact]
    public void RegenerateKey_ReplacesOnlyTheOneAsked()
    {
        var endpoint = NewEndpoint();

        endpoint.RegenerateKey(secondary: true, "k3", T0.AddMinutes(1));

        Assert.Equal(("k1", "k3"), (endpoint.PrimaryKey, endpoint.SecondaryKey));
        Assert.Equal(EndpointChange.Keys, Assert.IsType<OnlineEndpointChanged>(Assert.Single(endpoint.DomainEvents)).Change);
    }

    [Fact]
    public void Deleting_IsFinal()
    {
        var endpoint = NewEndpoint();

        endpoint.BeginDelete(T0.AddMinutes(1));

        Assert.Throws<DomainException>(() => endpoint.Provisioned(T0.AddMinutes(2)));
        Assert.Equal(ErrorKind.Conflict, Assert.Single(endpoint.SetTraffic(new Dictionary<string, int>(), new Dictionary<string, int>(), [], T0).Errors).Kind);
    }
}
