using Azure.Core;
using Azure.Identity;

namespace Studio.Infrastructure.Tests.Azure;

/// <summary>Stands in for Microsoft Entra ID: hands out a fixed token, or fails the way Azure.Identity does.</summary>
internal sealed class FakeTokenCredential(string token, string? failureMessage = null) : TokenCredential
{
    private int _calls;

    public int Calls => _calls;

    public IReadOnlyList<string> Scopes { get; private set; } = [];

    public static FakeTokenCredential Failing(string message) => new(string.Empty, message);

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        Scopes = requestContext.Scopes;
        return failureMessage is null
            ? new AccessToken(token, DateTimeOffset.UtcNow.AddHours(1))
            : throw new AuthenticationFailedException(failureMessage);
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
