using Azure;
using Azure.Identity;
using Studio.Domain.Common;

namespace Studio.Infrastructure.Azure;

/// <summary>
/// Maps what Azure.Identity and Azure.Core throw to one actionable sentence. Messages name the cluster or subscription,
/// never the secret, and never echo Azure's own text (which can carry request details).
/// </summary>
internal static class AzureErrors
{
    public const string UnauthorizedCode = "azure_unauthorized";
    public const string ForbiddenCode = "azure_forbidden";
    public const string SignInFailedCode = "azure_sign_in_failed";
    public const string UnreachableCode = "azure_unreachable";
    public const string UnavailableCode = "azure_unavailable";
    public const string UnexpectedResponseCode = "azure_unexpected_response";

    public static Error TimedOut(Uri endpoint) => new(
        ErrorKind.Conflict,
        UnreachableCode,
        $"Azure Resource Manager at {endpoint} did not answer in time: try again, and check the network and proxy if it persists.");

    /// <summary>The expected failure for <paramref name="exception"/>, or null when it is not an Azure failure (a bug: let it surface).</summary>
    public static Error? Map(Exception exception, AzureSignIn signIn, Uri endpoint, string forbidden, string notFound) => exception switch
    {
        CredentialUnavailableException when signIn.Kind == AzureCredentialKind.ManagedIdentity => new Error(
            ErrorKind.Forbidden,
            SignInFailedCode,
            "No managed identity is available to the studio here: run it on Azure with an identity assigned, or sign in with a service principal."),
        AuthenticationFailedException => new Error(
            ErrorKind.Forbidden,
            SignInFailedCode,
            signIn.Kind == AzureCredentialKind.ServicePrincipal
                ? "Microsoft Entra ID refused the sign-in: check tenant, client id and secret (and that the secret has not expired)."
                : "Microsoft Entra ID refused a token for the managed identity: check the client id of the user-assigned identity."),
        RequestFailedException { Status: 401 } => new Error(
            ErrorKind.Forbidden,
            UnauthorizedCode,
            signIn.Kind == AzureCredentialKind.ServicePrincipal
                ? "Azure rejected the credentials: check tenant, client id and secret."
                : "Azure rejected the managed identity's token: check that the identity belongs to the subscription's tenant."),
        RequestFailedException { Status: 403 } => new Error(ErrorKind.Forbidden, ForbiddenCode, forbidden),
        RequestFailedException { Status: 404 } => Error.NotFound(notFound),
        RequestFailedException { Status: 0 } => new Error(
            ErrorKind.Conflict,
            UnreachableCode,
            $"Azure Resource Manager at {endpoint} could not be reached: check the network, proxy and Studio:Azure:ResourceManagerEndpoint."),
        RequestFailedException failed => new Error(
            ErrorKind.Conflict,
            UnavailableCode,
            $"Azure Resource Manager answered {failed.Status}{(string.IsNullOrEmpty(failed.ErrorCode) ? string.Empty : $" ({failed.ErrorCode})")}: try again in a few minutes."),
        _ => null,
    };
}
