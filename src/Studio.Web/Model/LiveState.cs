namespace Studio.Web.Model;

/// <summary>What a live page's indicator says.</summary>
public enum LiveState
{
    Connecting,
    Live,
    Stale,

    /// <summary>Was live, lost the connection, catching up (relisting).</summary>
    Reconnecting,
}
