namespace Studio.Domain.Endpoints;

/// <summary>How callers authenticate to an online endpoint (§4.2 <c>auth_mode</c>).</summary>
public enum EndpointAuthMode
{
    /// <summary><c>key</c> (the default): a primary and a secondary key, either accepted, each regenerated on its own.</summary>
    Key,

    /// <summary><c>aml_token</c>: short-lived tokens the studio issues to its signed-in members.</summary>
    AmlToken,
}
