using Studio.Domain.Common;

namespace Studio.Infrastructure.Live;

/// <summary>
/// A subscribable scope, written <c>cluster:{cluster}</c>, <c>workspace:{workspace}</c>, <c>job:{workspace}/{job}</c> or
/// <c>endpoint:{workspace}/{endpoint}</c>.
/// </summary>
public sealed record LiveScope(LiveScopeKind Kind, string Name, string? Item = null)
{
    public static LiveScope Cluster(string name) => new(LiveScopeKind.Cluster, name);

    public static LiveScope Workspace(string name) => new(LiveScopeKind.Workspace, name);

    public static LiveScope Job(string workspace, string job) => new(LiveScopeKind.Job, workspace, job);

    public static LiveScope Endpoint(string workspace, string endpoint) => new(LiveScopeKind.Endpoint, workspace, endpoint);

    /// <summary>Reads a scope; the error names the accepted forms.</summary>
    public static Result<LiveScope> Parse(string? text)
    {
        var invalid = Error.Validation(
            "scope",
            $"Scope '{text}' is not valid. Use cluster:<cluster>, workspace:<workspace>, job:<workspace>/<job> or endpoint:<workspace>/<endpoint>.");
        var colon = text?.IndexOf(':') ?? -1;
        if (string.IsNullOrWhiteSpace(text) || colon <= 0)
        {
            return invalid;
        }

        var kind = text[..colon];
        var rest = text[(colon + 1)..];
        var slash = rest.IndexOf('/');
        var (name, item) = slash < 0 ? (rest, null) : (rest[..slash], rest[(slash + 1)..]);
        if (name.Length == 0 || item is { Length: 0 } || (item?.Contains('/') ?? false))
        {
            return invalid;
        }

        return (kind, item) switch
        {
            ("cluster", null) => Cluster(name),
            ("workspace", null) => Workspace(name),
            ("job", not null) => Job(name, item),
            ("endpoint", not null) => Endpoint(name, item),
            _ => invalid,
        };
    }

    public override string ToString() => Kind switch
    {
        LiveScopeKind.Cluster => $"cluster:{Name}",
        LiveScopeKind.Workspace => $"workspace:{Name}",
        LiveScopeKind.Job => $"job:{Name}/{Item}",
        _ => $"endpoint:{Name}/{Item}",
    };
}
