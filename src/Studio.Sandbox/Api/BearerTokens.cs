using Microsoft.Extensions.Primitives;

namespace Studio.Sandbox.Api;

/// <summary>
/// Which bearer tokens the API server accepts. By default any request is served (the sandbox does not authenticate); once
/// tokens are set, a request without one of them gets <c>401 Unauthorized</c>, as from a real API server whose service
/// account token was rotated or revoked.
/// </summary>
internal sealed class BearerTokens
{
    private volatile HashSet<string>? _accepted;

    public BearerTokens(IEnumerable<string>? accepted) => Accept(accepted);

    /// <summary>Replaces the accepted tokens (null or empty: accept every request again).</summary>
    public void Accept(IEnumerable<string>? tokens)
    {
        var set = tokens is null ? null : new HashSet<string>(tokens.Where(t => !string.IsNullOrEmpty(t)), StringComparer.Ordinal);
        _accepted = set is { Count: > 0 } ? set : null;
    }

    /// <summary>Throws a 401 Status unless the request carries an accepted bearer token (or no tokens are required).</summary>
    public void Check(StringValues authorization)
    {
        if (_accepted is not { } accepted)
        {
            return;
        }

        var header = authorization.ToString();
        const string Scheme = "Bearer ";
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) || !accepted.Contains(header[Scheme.Length..].Trim()))
        {
            throw new ApiException(401, "Unauthorized", "Unauthorized");
        }
    }
}
