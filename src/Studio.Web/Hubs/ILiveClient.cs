namespace Studio.Web.Hubs;

/// <summary>What the live hub calls on its clients.</summary>
public interface ILiveClient
{
    /// <summary>A snapshot or a batch of changes for one subscribed scope (client method <c>Update</c>).</summary>
    Task Update(LiveUpdate update);

    /// <summary>
    /// The subscription to <paramref name="scope"/> ended on the server (client method <c>Ended</c>): access was revoked
    /// (re-checked periodically) or its source went away. <paramref name="reason"/> says why.
    /// </summary>
    Task Ended(string scope, string reason);
}
