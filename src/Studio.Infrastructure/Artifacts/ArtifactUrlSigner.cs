using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Studio.Infrastructure.Artifacts;

/// <summary>
/// The studio store's signed URLs: a token that names the access (read or write), the exact path (or a folder scope
/// ending with '/') and the expiry, protected with Data Protection (authenticated encryption under the studio's key ring,
/// shared by replicas). A token cannot be altered or moved to another path, and it stops working at its expiry.
/// </summary>
public sealed class ArtifactUrlSigner(IDataProtectionProvider protection, TimeProvider clock)
{
    public const string TokenParameter = "t";
    private readonly IDataProtector _protector = protection.CreateProtector("Studio.Artifacts.SignedUrl.v1");

    public string Sign(string scope, ArtifactAccess access, DateTimeOffset expiresAt) =>
        _protector.Protect(string.Create(CultureInfo.InvariantCulture, $"{(access == ArtifactAccess.Read ? 'r' : 'w')}|{expiresAt.ToUnixTimeSeconds()}|{scope}"));

    /// <summary>Checks <paramref name="token"/> for <paramref name="path"/> and <paramref name="access"/>; null when it grants them, else why not.</summary>
    public string? Check(string? token, string path, ArtifactAccess access)
    {
        if (string.IsNullOrEmpty(token))
        {
            return "The URL is not signed: artifact URLs carry a signature (t=...).";
        }

        string payload;
        try
        {
            payload = _protector.Unprotect(token);
        }
        catch (CryptographicException)
        {
            return "The URL's signature is not valid (altered, or signed by another studio).";
        }

        var parts = payload.Split('|', 3);
        if (parts.Length != 3 || !long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var expires))
        {
            return "The URL's signature is not valid.";
        }

        var expiry = DateTimeOffset.FromUnixTimeSeconds(expires);
        if (clock.GetUtcNow() >= expiry)
        {
            return string.Create(CultureInfo.InvariantCulture, $"The signed URL expired at {expiry:yyyy-MM-ddTHH:mm:ssZ}.");
        }

        if ((parts[0] == "r") != (access == ArtifactAccess.Read))
        {
            return access == ArtifactAccess.Read ? "The URL is signed for writing only." : "The URL is signed for reading only.";
        }

        var scope = parts[2];
        var allowed = scope.EndsWith('/') ? Studio.Domain.Artifacts.ArtifactPath.IsWithin(path, scope) : string.Equals(path, scope, StringComparison.Ordinal);
        return allowed ? null : "The URL is not signed for this path.";
    }
}
