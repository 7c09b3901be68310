using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Studio.Infrastructure.Persistence;

/// <summary>
/// <c>Studio:DataProtection</c>: the key-encryption certificate that protects the Data Protection key ring. The key ring
/// lives in the studio database next to the cluster credentials it encrypts; without a certificate a copy of the database
/// alone decrypts every credential.
/// </summary>
public sealed class KeyProtectionOptions
{
    public const string SectionName = "Studio:DataProtection";

    /// <summary>A PKCS#12 file (<c>.pfx</c>, <c>.p12</c>) or a PEM certificate (<c>.pem</c>, <c>.crt</c>) with its private key.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PEM private key's file, when it is not in <see cref="CertificatePath"/>.</summary>
    public string? CertificateKeyPath { get; set; }

    /// <summary>The PKCS#12 file's password.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>Certificates the key ring was encrypted with before a rotation (PKCS#12 with the same password, or PEM with the key inside): still accepted for reading.</summary>
    public string[] PreviousCertificatePaths { get; set; } = [];
}

/// <summary>How the Data Protection key ring is protected at rest (shown on the Administration page, warned about at start-up).</summary>
public sealed class KeyProtection
{
    private KeyProtection(X509Certificate2? certificate)
    {
        Encrypted = certificate is not null;
        Subject = certificate?.Subject;
        Thumbprint = certificate?.Thumbprint;
    }

    /// <summary>Whether the keys are encrypted with a key-encryption certificate.</summary>
    public bool Encrypted { get; }

    public string? Subject { get; }

    public string? Thumbprint { get; }

    /// <summary>One sentence for people: what protects the keys, or what is at risk and what to do.</summary>
    public string Summary => Encrypted
        ? $"The key ring is encrypted with the certificate {Subject} (thumbprint {Thumbprint})."
        : "The Data Protection key ring is stored unencrypted in the studio database, next to the cluster credentials it encrypts: " +
          "anyone with a copy of the database can decrypt every cluster credential. Set Studio:DataProtection:CertificatePath to a key-encryption certificate (PKCS#12 or PEM with its private key).";

    /// <summary>Protects the key ring with the configured certificate, if any; fails start-up when it cannot be loaded.</summary>
    public static KeyProtection Configure(IDataProtectionBuilder builder, KeyProtectionOptions? options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (string.IsNullOrWhiteSpace(options?.CertificatePath))
        {
            return new KeyProtection(null);
        }

        var certificate = Load(options.CertificatePath, options.CertificateKeyPath, options.CertificatePassword, nameof(KeyProtectionOptions.CertificatePath));
        var previous = options.PreviousCertificatePaths
            .Where(p => !string.IsNullOrWhiteSpace(p))
            .Select((p, i) => Load(p, null, options.CertificatePassword, $"{nameof(KeyProtectionOptions.PreviousCertificatePaths)}:{i}"));
        builder.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate([certificate, .. previous]);
        return new KeyProtection(certificate);
    }

    private static X509Certificate2 Load(string path, string? keyPath, string? password, string setting)
    {
        try
        {
            var extension = Path.GetExtension(path).ToLowerInvariant();
            var certificate = extension is ".pem" or ".crt" or ".cer"
                ? X509Certificate2.CreateFromPemFile(path, keyPath)
                : X509CertificateLoader.LoadPkcs12FromFile(path, password, X509KeyStorageFlags.EphemeralKeySet);
            if (!certificate.HasPrivateKey)
            {
                throw new CryptographicException("the file has no private key");
            }

            return certificate;
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new InvalidOperationException($"{KeyProtectionOptions.SectionName}:{setting} '{path}' cannot be used as the key-encryption certificate: {e.Message.TrimEnd('.')}. It must be a PKCS#12 file (with {KeyProtectionOptions.SectionName}:CertificatePassword) or a PEM certificate with its private key.", e);
        }
    }
}

/// <summary>Says at start-up, as a warning, when the key ring is not encrypted (see <see cref="KeyProtection.Summary"/>).</summary>
public sealed class KeyProtectionWarning(KeyProtection protection, ILogger<KeyProtection> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!protection.Encrypted)
        {
            logger.LogWarning("{Warning}", protection.Summary);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
