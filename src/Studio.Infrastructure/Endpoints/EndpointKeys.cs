using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Studio.Infrastructure.Endpoints;

/// <summary>
/// Makes and reads endpoint keys. A key is 32 random bytes (base64url); the endpoint record keeps it only as Data
/// Protection ciphertext, as cluster credentials are kept (the key ring in the studio database, wrapped by the
/// key-encryption certificate when one is configured), under its own purpose string.
/// </summary>
public sealed class EndpointKeys(IDataProtectionProvider protection)
{
    private readonly IDataProtector _protector = protection.CreateProtector("Studio.Endpoints.Keys.v1");

    /// <summary>A new key, already protected for the record.</summary>
    public string NewProtectedKey() => _protector.Protect(Base64UrlEncode(RandomNumberGenerator.GetBytes(32)));

    /// <summary>The plain key of a protected one (for the keys route and the scoring front door only).</summary>
    public string Reveal(string protectedKey) => _protector.Unprotect(protectedKey);

    private static string Base64UrlEncode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
