using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Studio.Infrastructure.Live;
using Studio.Web.Security;

namespace Studio.Web.Hubs;

/// <summary>
/// <c>/hubs/live</c>: live status for external clients (wall displays, scripts). <see cref="Subscribe"/> a scope
/// (<c>cluster:sandbox</c>, <c>workspace:default</c>, <c>job:default/train-1</c>, <c>endpoint:default/score</c>) and the
/// hub calls <see cref="ILiveClient.Update"/> with a snapshot, then coalesced changes (about one batch per 100 ms).
/// Authorization is checked on every subscribe. A client that reconnects subscribes again and starts from a fresh
/// snapshot, so it misses nothing. The hub is one more subscriber of the live module (<see cref="LiveFeed"/>): its shared
/// pumps (<see cref="LiveHubSubscriptions"/>) follow the scope's informer keys, and job records arrive through the
/// backplane (<see cref="LiveHubJobRelay"/>).
/// </summary>
[Authorize(Policy = Policies.SignedIn)]
public sealed class LiveHub(LiveFeed live, LiveHubSubscriptions subscriptions) : Hub<ILiveClient>
{
    /// <summary>Starts (or restarts, with a fresh snapshot) updates for a scope on this connection.</summary>
    public async Task Subscribe(string scope)
    {
        var target = await AuthorizeAsync(scope);
        await Groups.AddToGroupAsync(Context.ConnectionId, LiveHubPublisher.Group(target.Scope), Context.ConnectionAborted);
        var started = await subscriptions.StartAsync(Context.ConnectionId, Context.User!.ToActor(), target, Context.ConnectionAborted);
        if (!started.IsSuccess)
        {
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, LiveHubPublisher.Group(target.Scope), Context.ConnectionAborted);
            throw new HubException(started.Errors[0].Message);
        }
    }

    /// <summary>Stops updates for a scope on this connection.</summary>
    public async Task Unsubscribe(string scope)
    {
        var parsed = LiveScope.Parse(scope);
        if (!parsed.IsSuccess)
        {
            throw new HubException(parsed.Errors[0].Message);
        }

        subscriptions.Stop(Context.ConnectionId, parsed.Value.ToString());
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, LiveHubPublisher.Group(parsed.Value), Context.ConnectionAborted);
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        subscriptions.StopAll(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }

    private async Task<LiveTarget> AuthorizeAsync(string scope)
    {
        var parsed = LiveScope.Parse(scope);
        if (!parsed.IsSuccess)
        {
            throw new HubException(parsed.Errors[0].Message);
        }

        var target = await live.AuthorizeAsync(Context.User!.ToActor(), parsed.Value, Context.ConnectionAborted);
        return target.IsSuccess ? target.Value : throw new HubException(target.Errors[0].Message);
    }
}
