using Studio.Web.Live;

namespace Studio.Web.Hubs;

/// <summary>What the live hub calls on its clients.</summary>
public interface ILiveClient
{
    /// <summary>A snapshot or a batch of changes for one subscribed scope (client method <c>Update</c>).</summary>
    Task Update(LiveUpdate update);
}
