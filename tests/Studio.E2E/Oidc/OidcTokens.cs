using System.Text.Json;

namespace Studio.E2E.Oidc;

/// <summary>Gets access tokens from the test provider's token endpoint.</summary>
public static class OidcTokens
{
    /// <summary>
    /// An app-only token (client_credentials). With <paramref name="resource"/> it is a JWT for that resource indicator
    /// carrying the client's <c>roles</c>; without, an opaque token meant for the provider itself.
    /// </summary>
    public static async Task<string> ClientCredentialsAsync(Uri issuer, string clientId, string? resource, CancellationToken cancellationToken)
    {
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = $"{clientId}-secret",
        };
        if (resource is not null)
        {
            form["resource"] = resource;
        }

        using var http = new HttpClient();
        using var response = await http.PostAsync(new Uri(issuer, "/token"), new FormUrlEncodedContent(form), cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"The provider refused a token for {clientId}: {(int)response.StatusCode} {body}");
        }

        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("access_token").GetString()!;
    }
}
