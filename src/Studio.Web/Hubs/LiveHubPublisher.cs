using Microsoft.AspNetCore.SignalR;
using Studio.Infrastructure.Live;

namespace Studio.Web.Hubs;

/// <summary>
/// Publishes changes that originate in this studio process (a job record's status transition written here) to the hub
/// groups of their scopes. With <c>Studio:SignalR:Redis</c> configured the message goes through the backplane, so
/// clients connected to any replica receive it. (Cluster changes are not sent this way: every replica sees them through
/// its own shared informers and delivers them to its own connections.)
/// </summary>
public sealed class LiveHubPublisher(IHubContext<LiveHub, ILiveClient> hub)
{
    /// <summary>The hub group of a scope: its canonical text.</summary>
    public static string Group(LiveScope scope) => scope.ToString();

    public Task PublishAsync(LiveScope scope, IReadOnlyList<LiveChange<LiveObject>> changes, CancellationToken cancellationToken = default) =>
        hub.Clients.Group(Group(scope)).Update(new LiveUpdate(scope.ToString(), false, changes));
}
